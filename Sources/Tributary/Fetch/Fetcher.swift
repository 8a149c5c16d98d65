public import Foundation
public import Git

/// Fetches sub-trees' branches into the integration repository with the `git` program, each into
/// a reference of its own (`refs/tributary/trees/NAME`), and reports each tip before and after.
///
/// git fetches into a scratch reference (`refs/tributary/fetching/NAME`); the tree's reference
/// is then moved by compare-and-swap with a reflog entry (`trib fetch: URL BRANCH`), which is
/// how the previous tip stays on record. The URL and branch are checked (`TreeSource`) and given
/// to git as separate arguments after `--`; the ext:: and fd:: transports are also disabled in
/// git's own configuration for the run.
public struct Fetcher: Sendable {
    /// One tree's fetch.
    public struct Request: Sendable {
        /// The tree's name; its tip is kept at `refs/tributary/trees/NAME`.
        public var name: String
        public var url: String
        public var branch: String

        public init(name: String, url: String, branch: String) {
            self.name = name
            self.url = url
            self.branch = branch
        }

        public init(_ tree: Manifest.Tree) {
            self.init(name: tree.name, url: tree.url, branch: tree.branch)
        }

        /// Where the fetched tip is kept.
        public var reference: String { TreeReferences.tip(name) }
    }

    /// What a fetch did.
    public struct Outcome: Sendable {
        public var name: String
        public var previousTip: ObjectID?
        public var tip: ObjectID?
        /// Why the fetch failed; nil on success.
        public var failure: String?
        /// How long it took, in seconds.
        public var duration: TimeInterval = 0

        /// Whether the tip moved.
        public var changed: Bool { failure == nil && previousTip != tip }
    }

    public var git: GitProgram
    /// How long one fetch may take, in seconds.
    public var timeout: TimeInterval

    public init(git: GitProgram = GitProgram(), timeout: TimeInterval = 600) {
        self.git = git
        self.timeout = timeout
    }

    /// Fetches `request` into the repository at `repositoryPath`. A fetch that fails (but did
    /// not time out) is tried once more: with many fetches into one repository at once, or a
    /// flaky network, a second try often succeeds.
    public func fetch(_ request: Request, into repositoryPath: String) throws -> Outcome {
        let started = Date()
        var outcome = try fetchOnce(request, into: repositoryPath)
        if let failure = outcome.failure, !failure.hasPrefix("timed out"),
            TreeSource.problem(
                name: request.name, url: request.url, branch: request.branch) == nil
        {
            outcome = try fetchOnce(request, into: repositoryPath)
        }
        outcome.duration = Date().timeIntervalSince(started)
        return outcome
    }

    private func fetchOnce(_ request: Request, into repositoryPath: String) throws -> Outcome {
        let repository = try Repository.discover(from: repositoryPath)
        let previous = try repository.referenceTarget(request.reference)
        func failed(_ message: String) -> Outcome {
            Outcome(name: request.name, previousTip: previous, tip: previous, failure: message)
        }
        if let problem = TreeSource.problem(name: request.name, url: request.url, branch: request.branch) {
            return failed(problem)
        }
        let scratch = "refs/tributary/fetching/\(request.name)"
        let refspec = "+refs/heads/\(request.branch):\(scratch)"
        let result = try git.run(
            [
                "-c", "protocol.ext.allow=never", "-c", "protocol.fd.allow=never",
                "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-auto-maintenance",
                "--no-recurse-submodules", "--", request.url, refspec,
            ],
            in: repository.gitDirectory, timeout: timeout)
        if result.timedOut { return failed("timed out after \(Int(timeout)) s") }
        guard result.status == 0 else {
            let message = result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            return failed(message.isEmpty ? "git fetch exited with \(result.status)" : message)
        }
        guard let fetched = try repository.referenceTarget(scratch) else {
            return failed("git fetch left no \(scratch)")
        }
        defer { try? repository.updateReference(scratch, to: nil, expecting: fetched, message: "trib fetch: done") }
        if fetched != previous {
            try repository.updateReference(
                request.reference, to: fetched, expecting: previous,
                message: "trib fetch: \(request.url) \(request.branch)")
        }
        return Outcome(name: request.name, previousTip: previous, tip: fetched, failure: nil)
    }

    /// Fetches every request with up to `jobs` fetches at once, going on past failures.
    /// `progress` is called (from any thread, one call at a time) after each fetch ends, with
    /// the outcome and how many have ended. Outcomes come back in the order of `requests`.
    public func fetch(
        _ requests: [Request],
        into repositoryPath: String,
        jobs: Int,
        progress: @Sendable (Outcome, Int) -> Void = { _, _ in }
    ) -> [Outcome] {
        let state = FetchState(count: requests.count)
        let workers = max(1, min(jobs, requests.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = state.take() {
                let request = requests[index]
                let outcome: Outcome
                do {
                    outcome = try fetch(request, into: repositoryPath)
                } catch {
                    outcome = Outcome(name: request.name, failure: "\(error)")
                }
                state.finish(index, outcome, progress)
            }
        }
        return state.outcomes()
    }
}

/// The shared queue and results of a parallel fetch.
private final class FetchState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var finished = 0
    private var results: [Fetcher.Outcome?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func take() -> Int? {
        lock.withLock {
            guard nextIndex < results.count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func finish(_ index: Int, _ outcome: Fetcher.Outcome, _ progress: (Fetcher.Outcome, Int) -> Void) {
        lock.withLock {
            results[index] = outcome
            finished += 1
            progress(outcome, finished)
        }
    }

    func outcomes() -> [Fetcher.Outcome] { lock.withLock { results.compactMap { $0 } } }
}
