public import Git

/// Merges references one after another onto a base, in memory, as an integration tree pulls
/// its sub-trees: each clean merge becomes part of the running result; a conflicted one is
/// reported and left out. No reference moves and no work tree is touched; the merge commits of
/// the running result are written as unreferenced objects, as `git merge-tree --write-tree`
/// writes its trees.
public struct TrialMerge {
    /// One merge of the sequence.
    public struct Step: Sendable, Hashable {
        public enum Outcome: Sendable, Hashable {
            /// Merged cleanly into this tree.
            case clean(tree: ObjectID)
            /// Nothing to merge: the reference is already contained in the running result.
            case upToDate
            /// Conflicts at these paths.
            case conflicted(paths: [String])
        }

        /// The reference's name, as given.
        public var name: String
        public var tip: ObjectID
        /// Commits of the reference not yet in the running result.
        public var newCommits: [ObjectID]
        public var outcome: Outcome
    }

    public let repository: Repository
    public var options: MergeOptions

    public init(repository: Repository, options: MergeOptions = MergeOptions()) {
        self.repository = repository
        self.options = options
    }

    /// Merges `references` (name and tip, in order) onto `base`.
    public func run(base: ObjectID, references: [(name: String, tip: ObjectID)]) throws -> [Step] {
        var running = base
        var steps: [Step] = []
        for (name, tip) in references {
            let newCommits = try repository.commits(
                in: RevisionRange(terms: [.include(tip.hex), .exclude(running.hex)]))
            if newCommits.isEmpty {
                steps.append(Step(name: name, tip: tip, newCommits: [], outcome: .upToDate))
                continue
            }
            let index = try repository.merge(ours: running, theirs: tip, options: options)
            if index.hasConflicts {
                steps.append(
                    Step(
                        name: name, tip: tip, newCommits: newCommits,
                        outcome: .conflicted(paths: try index.conflictedPaths())))
                continue
            }
            let tree = try index.writeTree()
            let signature = Signature(name: "trib", email: "trib@localhost", time: 0)
            running = try repository.createCommit(
                tree: tree, parents: [running, tip], author: signature, committer: signature,
                message: "trial merge of \(name)\n")
            steps.append(Step(name: name, tip: tip, newCommits: newCommits, outcome: .clean(tree: tree)))
        }
        return steps
    }
}
