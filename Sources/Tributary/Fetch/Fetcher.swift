public import Foundation
public import Git

/// Fetches a sub-tree's branch into the integration repository with `git fetch`, into a
/// reference of its own, and reports the tip before and after.
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

        /// Where the fetched tip is kept.
        public var reference: String { "refs/tributary/trees/\(name)" }
    }

    /// What a fetch did.
    public struct Outcome: Sendable {
        public var name: String
        public var previousTip: ObjectID?
        public var tip: ObjectID?
        /// git's message when the fetch failed; nil on success.
        public var failure: String?
    }

    public var git: GitProgram
    /// How long one fetch may take, in seconds.
    public var timeout: TimeInterval

    public init(git: GitProgram = GitProgram(), timeout: TimeInterval = 600) {
        self.git = git
        self.timeout = timeout
    }

    /// Fetches `request` into the repository at `repositoryPath`. The branch name and URL are
    /// passed to git as separate arguments after `--`, so they cannot be taken for options.
    public func fetch(_ request: Request, into repositoryPath: String) throws -> Outcome {
        let repository = try Repository.discover(from: repositoryPath)
        let previous = try repository.referenceTarget(request.reference)
        guard Repository.isValidReferenceName("refs/heads/" + request.branch), !request.branch.hasPrefix("-") else {
            return Outcome(
                name: request.name, previousTip: previous, tip: previous,
                failure: "invalid branch name '\(request.branch)'")
        }
        let refspec = "+refs/heads/\(request.branch):\(request.reference)"
        let result = try git.run(
            ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--", request.url, refspec],
            in: repository.gitDirectory, timeout: timeout)
        if result.timedOut {
            return Outcome(
                name: request.name, previousTip: previous, tip: previous, failure: "timed out after \(Int(timeout)) s")
        }
        guard result.status == 0 else {
            let message = result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            return Outcome(
                name: request.name, previousTip: previous, tip: previous,
                failure: message.isEmpty ? "git fetch exited with \(result.status)" : message)
        }
        return Outcome(
            name: request.name, previousTip: previous, tip: try repository.referenceTarget(request.reference),
            failure: nil)
    }
}
