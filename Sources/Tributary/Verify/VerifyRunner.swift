import Foundation
public import Git

/// Runs a verify command on trees in scratch work trees, up to `jobs` at a time, keeping every
/// result by command and tree (`VerifyResults`), so that a tree run once is not run again.
public final class VerifyRunner: @unchecked Sendable {
    public let repository: Repository
    public let command: VerificationCommand
    public let jobs: Int
    let git: GitProgram
    let results: VerifyResults
    /// Runs made by this runner (not answered from the results kept).
    public private(set) var runs = 0
    /// Answers taken from the results kept.
    public private(set) var reused = 0
    /// Each run, as it ends.
    public var announce: @Sendable (String) -> Void = { _ in }

    public init(repository: Repository, command: VerificationCommand, jobs: Int, git: GitProgram = GitProgram()) throws
    {
        self.repository = repository
        self.command = command
        self.jobs = max(1, jobs)
        self.git = git
        results = try VerifyResults(repository: repository)
    }

    /// The results of `command` on each of `trees` (labels name them in progress lines), with
    /// whether each was a result kept from before: kept ones reused unless `fresh`, the others
    /// run, up to `jobs` at once, each in a work tree of its own.
    public func run(_ trees: [(commit: ObjectID, tree: ObjectID, label: String)], fresh: Bool = false) throws
        -> [(run: VerifyRun, reused: Bool)]
    {
        let (command, git, results) = (self.command, self.git, self.results)
        var answers: [VerifyRun?] = trees.map { fresh ? nil : results.result(of: command, on: $0.tree) }
        let kept = answers.map { $0 != nil }
        reused += kept.filter { $0 }.count
        let missing = trees.indices.filter { answers[$0] == nil }
        var unique: [Int] = []
        for index in missing where !unique.contains(where: { trees[$0].tree == trees[index].tree }) {
            unique.append(index)
        }
        let root = ScratchWorkTree.root(for: repository)
        // Each run takes a work tree no other run is using, and gives it back.
        let places = WorkTreePool(
            try (0..<min(jobs, max(1, unique.count))).map {
                try ScratchWorkTree(slot: $0, repository: repository)
            })
        let announce = self.announce
        let ran = try Parallel.map(unique, width: jobs) { index throws -> VerifyRun in
            let place = places.take()
            defer { places.give(back: place) }
            return try Self.execute(
                command, on: trees[index].commit, tree: trees[index].tree, in: place, logs: root + "/logs", git: git)
        } received: { position, run in
            try results.record(run, of: command)
            let seconds = String(format: "%.1f", run.seconds)
            announce("\(command.name) \(trees[unique[position]].label): \(run.outcome.rawValue) in \(seconds) s")
        }
        runs += ran.count
        for (position, run) in ran.enumerated() {
            for index in missing where trees[index].tree == trees[unique[position]].tree { answers[index] = run }
        }
        return zip(answers, kept).map { ($0!, $1) }
    }

    /// Checks `tree` out in `place` and runs the command there: `/bin/sh -c`, standard error into
    /// standard output, in a process group of its own that the timeout (or Ctrl-C) stops whole.
    static func execute(
        _ command: VerificationCommand, on commit: ObjectID, tree: ObjectID, in place: ScratchWorkTree, logs: String,
        git: GitProgram
    ) throws -> VerifyRun {
        try place.checkout(commit, git: git)
        let started = Date()
        let result = try Subprocess.run(
            "/bin/sh", ["-c", "exec 2>&1\n" + command.command], in: place.path,
            environment: [
                "TRIB_VERIFY_TREE": tree.hex, "TRIB_VERIFY_COMMIT": commit.hex, "TRIB_VERIFY_NAME": command.name,
            ],
            timeout: command.timeout, teardown: .interrupt, ownProcessGroup: true)
        let seconds = Date().timeIntervalSince(started)
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let log = logs + "/\(command.name)-\(tree.hex).log"
        try result.output.write(to: URL(fileURLWithPath: log))
        let outcome: VerifyRun.Outcome =
            result.timedOut ? .timedOut : (result.status == 0 && result.signal == nil ? .passed : .failed)
        // The end of the output is quoted for failures only: a pass's is in its log, and every run
        // is kept (results.json would carry it for each tree ever built).
        let tail = outcome == .passed ? Data() : result.output.suffix(command.logKilobytes * 1024)
        return VerifyRun(
            tree: tree, command: command.command, outcome: outcome,
            status: result.signal.map { 128 + $0 } ?? result.status, seconds: seconds, log: log,
            excerpt: String(decoding: tail, as: UTF8.self), when: Int64(started.timeIntervalSince1970))
    }
}

/// Scratch work trees handed to one run at a time.
final class WorkTreePool: @unchecked Sendable {
    private var free: [ScratchWorkTree]
    private let condition = NSCondition()

    init(_ places: [ScratchWorkTree]) { free = places }

    /// A free work tree, waiting for one when all are in use.
    func take() -> ScratchWorkTree {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty { condition.wait() }
        return free.removeFirst()
    }

    func give(back place: ScratchWorkTree) {
        condition.lock()
        free.append(place)
        condition.signal()
        condition.unlock()
    }
}
