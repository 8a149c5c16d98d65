public import Git

/// What `trib verify` found. JSON schema `tributary.verify/1` (Docs/schemas/verify.schema.json).
public struct VerifyReport: Sendable, Codable {
    public enum Verdict: String, Sendable, Codable, Hashable {
        /// The whole result passed every command.
        case passed
        /// The whole result failed, and the search named the tree (and commit) that breaks it.
        case broken
        /// The whole result failed once and passed when run again: nothing is blamed.
        case flaky
        /// The commit the merges start from fails already: no tree is to blame.
        case baseFails = "base-fails"
    }

    /// A tree whose merge breaks the build.
    public struct Culprit: Sendable, Codable, Hashable {
        public var tree: String
        /// The first commit of the tree (first-parent order) that fails on top of the trees
        /// merged before it; nil when none of its commits can be merged on its own.
        public var commit: ObjectID?
        public var subject: String?
        /// Commits before `commit` that could not be tried (they do not merge on their own): one
        /// of them may be the first that fails.
        public var untried: [ObjectID]
        /// Whether the base with this tree alone fails.
        public var alone: Bool
        /// The earlier tree it fails with, when it passes alone: the first tree in merge order
        /// whose addition to (base + this tree) fails.
        public var partner: String?
    }

    /// What one command found.
    public struct CommandResult: Sendable, Codable {
        public var name: String
        public var command: String
        public var verdict: Verdict
        public var culprit: Culprit?
        /// The run that shows the failure (the culprit's first failing state, or the base's, or
        /// the flaky one's first run).
        public var failure: VerifyRun?
        /// The runs this command made now, and the answers reused from earlier runs.
        public var runs: Int
        public var reused: Int
        /// Each state examined, in the order examined: what it is, its tree, how it ended.
        public var states: [State]
    }

    public struct State: Sendable, Codable, Hashable {
        public var label: String
        public var tree: ObjectID
        public var outcome: VerifyRun.Outcome
        public var reused: Bool
    }

    public var schema = "tributary.verify/1"
    public var branch: String
    /// `plan` (what `trib pull` would make now) or `last-pull`.
    public var target: String
    /// The commit the merges start from, and the trees whose merges made a change, in order.
    public var start: ObjectID
    public var trees: [String]
    /// The tree the whole result has.
    public var result: ObjectID
    public var verdict: Verdict
    public var commands: [CommandResult]

    /// The first command's culprit (the one a pull leaves out).
    public var culprit: Culprit? { commands.first { $0.verdict == .broken }?.culprit }
}
