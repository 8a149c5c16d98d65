public import Foundation
public import Git
import Synchronization

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
        /// When the tip moved: the commits it has that the previous tip had not.
        public var newCommits: Int?
        /// When the tip moved: whether the previous tip is no longer in its history (the branch
        /// was rebased or rewound).
        public var forced: Bool = false
        /// The signal that stopped git, when one did (Ctrl-C, a kill): such a fetch is not tried
        /// again, and no fetch starts after it.
        public var signal: Int32?

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
    /// not time out, and git was not stopped by a signal) is tried once more: with many fetches
    /// into one repository at once, or a flaky network, a second try often succeeds.
    public func fetch(_ request: Request, into repositoryPath: String) throws -> Outcome {
        let started = Date()
        var outcome = try fetchOnce(request, into: repositoryPath)
        if let failure = outcome.failure, !failure.hasPrefix("timed out"), outcome.signal == nil,
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
            // When signals are forwarded (`Interrupts`), in a process group of its own, so that a
            // timeout or an interruption reaches the transport git starts (ssh, a remote helper)
            // too; SIGINT first, as on Ctrl-C, so that git removes its temporary packs.
            in: repository.gitDirectory, timeout: timeout, teardown: .interrupt,
            ownProcessGroup: Interrupts.isWatching)
        if result.timedOut { return failed("timed out after \(Int(timeout)) s") }
        if let signal = result.signal {
            var outcome = failed("git fetch was stopped by signal \(signal)")
            outcome.signal = signal
            return outcome
        }
        guard result.status == 0 else {
            let message = result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            return failed(message.isEmpty ? "git fetch exited with \(result.status)" : message)
        }
        guard let fetched = try repository.referenceTarget(scratch) else {
            return failed("git fetch left no \(scratch)")
        }
        defer { try? repository.updateReference(scratch, to: nil, expecting: fetched, message: "trib fetch: done") }
        var outcome = Outcome(name: request.name, previousTip: previous, tip: fetched, failure: nil)
        if fetched != previous {
            try repository.updateReference(
                request.reference, to: fetched, expecting: previous,
                message: "trib fetch: \(request.url) \(request.branch)")
            if let previous {
                outcome.newCommits =
                    (try? repository.commits(
                        in: RevisionRange(terms: [.include(fetched.hex), .exclude(previous.hex)])))?.count
                outcome.forced = (try? repository.isAncestor(previous, of: fetched)) != true
            }
        }
        return outcome
    }

    /// Fetches every request with up to `jobs` fetches at once, going on past failures.
    /// `progress` is called (on the calling thread) after each fetch ends, with the outcome and
    /// how many have ended. Outcomes come back in the order of `requests`.
    public func fetch(
        _ requests: [Request],
        into repositoryPath: String,
        jobs: Int,
        progress: (Outcome, Int) -> Void = { _, _ in }
    ) -> [Outcome] {
        var finished = 0
        let stopped = Mutex<Int32?>(nil)
        return Parallel.map(requests, width: jobs) { request -> Outcome in
            if let signal = stopped.withLock({ $0 }) {
                return Outcome(name: request.name, failure: "not fetched: a fetch was stopped by signal \(signal)")
            }
            do {
                let outcome = try fetch(request, into: repositoryPath)
                if let signal = outcome.signal { stopped.withLock { $0 = $0 ?? signal } }
                return outcome
            } catch let error as Interrupts.Interrupted {
                stopped.withLock { $0 = $0 ?? error.signal }
                var outcome = Outcome(name: request.name, failure: "\(error)")
                outcome.signal = error.signal
                return outcome
            } catch {
                return Outcome(name: request.name, failure: "\(error)")
            }
        } received: { _, outcome in
            finished += 1
            progress(outcome, finished)
        }
    }
}

extension Fetcher {
    /// Fetches the manifest's trees called `names` (every tree when empty) into `repository`,
    /// `jobs` at once, then brings the index's commits of the places up to date when the manifest
    /// has a base (a failure there is a warning: the index catches up when next used).
    public func fetchTrees(
        _ names: [String], of manifest: Manifest, into repository: Repository, jobs: Int,
        index: IndexDatabase?, context: Context = Context(), progress: (Outcome, Int) -> Void = { _, _ in }
    ) throws -> [Outcome] {
        let requests = try manifest.trees(named: names).map(Request.init)
        let outcomes = fetch(requests, into: repository.gitDirectory, jobs: jobs, progress: progress)
        if manifest.integration.base != nil, let index {
            do {
                _ = try LedgerPlaces.update(repository: repository, manifest: manifest, index: index, context: context)
            } catch {
                context.warn("the index was not brought up to date (\(error)); it catches up when next used")
            }
        }
        return outcomes
    }
}
