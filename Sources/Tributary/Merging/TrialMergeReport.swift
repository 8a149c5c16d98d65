public import Git

/// `trib trial-merge --json`: each step of a sequence of trial merges (schema
/// `tributary.trial-merge/1`, Docs/schemas/trial-merge.schema.json).
public struct TrialMergeReport: Sendable, Encodable {
    public var schema = "tributary.trial-merge/1"
    public var steps: [Step]

    public struct Step: Sendable, Encodable {
        /// The reference as given.
        public var ref: String
        public var tip: ObjectID
        /// The running result it was merged onto.
        public var onto: ObjectID
        public var mergeBase: ObjectID?
        /// `clean`, `conflict` or `up-to-date`.
        public var outcome: Outcome
        /// The merged tree, when clean (the tree `git merge-tree --write-tree` prints).
        public var tree: ObjectID?
        /// The running result after the step.
        public var result: ObjectID
        public var conflicts: [MergeConflict]
    }

    public enum Outcome: String, Sendable, Encodable {
        case clean, conflict
        case upToDate = "up-to-date"
        case notFastForward = "not-fast-forward"
    }

    public init(_ steps: [TrialMerge.Step]) {
        self.steps = steps.map { step in
            var outcome = Outcome.upToDate
            var tree: ObjectID?
            switch step.outcome {
            case .upToDate: break
            case .clean(let merged):
                outcome = .clean
                tree = merged
            case .conflicted: outcome = .conflict
            case .notFastForward: outcome = .notFastForward
            }
            return Step(
                ref: step.name, tip: step.tip, onto: step.ours, mergeBase: step.base, outcome: outcome, tree: tree,
                result: step.result, conflicts: step.conflicts)
        }
    }
}
