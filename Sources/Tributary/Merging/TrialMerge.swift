public import Git

/// Merges references one after another onto a base, in memory, as an integration tree pulls
/// its sub-trees: each clean merge becomes part of the running result; a conflicted one is
/// reported and left out. No reference moves and no work tree is touched; the merge commits of
/// the running result are written as unreferenced objects (with a fixed author and date, so the
/// same inputs give the same commits), as `git merge-tree --write-tree` writes its trees.
///
/// With an `IndexDatabase`, each merge's result is stored under its inputs (the merge bases'
/// trees and both sides' trees) and reused: a repeated run with nothing new does no merge work.
public struct TrialMerge {
    /// One merge of the sequence.
    public struct Step: Sendable, Hashable {
        public enum Outcome: Sendable, Hashable {
            /// Merged cleanly into this tree.
            case clean(tree: ObjectID)
            /// Nothing to merge: the reference is already contained in the running result.
            case upToDate
            /// Conflicts at these paths.
            case conflicted([MergeConflict])
        }

        /// The reference's name, as given.
        public var name: String
        public var tip: ObjectID
        /// The running result this step merged into.
        public var ours: ObjectID
        /// The merge base used (the first, when there are several).
        public var base: ObjectID?
        /// Commits of the reference not yet in the running result, newest first.
        public var newCommits: [ObjectID]
        public var outcome: Outcome
        /// The running result after this step (unchanged when the step conflicted).
        public var result: ObjectID
        /// Whether the result came from the index rather than a merge.
        public var fromCache: Bool

        public var conflicts: [MergeConflict] {
            if case .conflicted(let conflicts) = outcome { return conflicts }
            return []
        }
    }

    /// A merge that cannot be tried.
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    public let repository: Repository
    public var options: MergeOptions
    public var index: IndexDatabase?
    /// Whether to describe conflicts (kinds, hunks, blame) or only name their paths.
    public var describesConflicts: Bool

    public init(
        repository: Repository, options: MergeOptions = MergeOptions(), index: IndexDatabase? = nil,
        describesConflicts: Bool = true
    ) {
        self.repository = repository
        self.options = options
        self.index = index
        self.describesConflicts = describesConflicts
    }

    /// The author and committer of trial merge commits.
    static let signature = Signature(name: "trib", email: "trib@localhost", time: 0)

    /// Merges `references` (name and tip, in order) onto `base`.
    public func run(base: ObjectID, references: [(name: String, tip: ObjectID)]) throws -> [Step] {
        var running = base
        var steps: [Step] = []
        for (name, tip) in references {
            let step = try merge(name: name, tip: tip, onto: running)
            running = step.result
            steps.append(step)
        }
        return steps
    }

    /// Merges one reference onto `ours`.
    public func merge(name: String, tip: ObjectID, onto ours: ObjectID) throws -> Step {
        let newCommits = try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(ours.hex)]))
        if newCommits.isEmpty {
            return Step(
                name: name, tip: tip, ours: ours, base: nil, newCommits: [], outcome: .upToDate, result: ours,
                fromCache: false)
        }
        let bases = try repository.mergeBases(ours, tip)
        guard !bases.isEmpty else {
            throw Error(description: "refusing to merge unrelated histories (\(name) at \(tip.abbreviated()))")
        }
        let key = try cacheKey(bases: bases, ours: ours, theirs: tip)
        if let stored = try index?.merge(forKey: key),
            stored.tree != nil || (stored.ours == ours && stored.theirs == tip) || !describesConflicts
        {
            if let tree = stored.tree, repository.contains(tree) {
                let result = try commitMerge(tree: tree, ours: ours, theirs: tip, name: name)
                return Step(
                    name: name, tip: tip, ours: ours, base: bases.first, newCommits: newCommits,
                    outcome: .clean(tree: tree), result: result, fromCache: true)
            } else if stored.tree == nil {
                return Step(
                    name: name, tip: tip, ours: ours, base: bases.first, newCommits: newCommits,
                    outcome: .conflicted(stored.conflicts), result: ours, fromCache: true)
            }
        }
        let mergeIndex = try repository.merge(ours: ours, theirs: tip, options: options)
        if mergeIndex.hasConflicts {
            let conflicts: [MergeConflict]
            if describesConflicts {
                conflicts = try ConflictAnalyzer(repository: repository).conflicts(
                    in: mergeIndex, ours: ours, theirs: tip, base: bases.first)
            } else {
                conflicts = try mergeIndex.conflictedPaths().map {
                    MergeConflict(
                        path: $0, paths: [$0], kind: .content, hunks: [], ourCommits: [], theirCommits: [])
                }
            }
            if describesConflicts {
                try index?.storeMerge(.init(ours: ours, theirs: tip, tree: nil, conflicts: conflicts), forKey: key)
            }
            return Step(
                name: name, tip: tip, ours: ours, base: bases.first, newCommits: newCommits,
                outcome: .conflicted(conflicts), result: ours, fromCache: false)
        }
        let tree = try mergeIndex.writeTree()
        try index?.storeMerge(.init(ours: ours, theirs: tip, tree: tree, conflicts: []), forKey: key)
        let result = try commitMerge(tree: tree, ours: ours, theirs: tip, name: name)
        return Step(
            name: name, tip: tip, ours: ours, base: bases.first, newCommits: newCommits, outcome: .clean(tree: tree),
            result: result, fromCache: false)
    }

    /// The inputs of a merge: the trees of the merge bases and of both sides (the bases' commit
    /// ids when there are several, as libgit2 then merges them into a virtual base first), and
    /// the merge options.
    public func cacheKey(bases: [ObjectID], ours: ObjectID, theirs: ObjectID) throws -> String {
        let baseKey =
            bases.count == 1
            ? "t:" + (try repository.treeOfCommit(bases[0])).hex
            : "c:" + bases.map(\.hex).sorted().joined(separator: ",")
        let optionKey = "r\(options.detectRenames ? 1 : 0),\(options.renameThreshold),\(options.renameLimit)"
        return [
            "merge/1", optionKey, baseKey, try repository.treeOfCommit(ours).hex,
            try repository.treeOfCommit(theirs).hex,
        ].joined(separator: " ")
    }

    private func commitMerge(tree: ObjectID, ours: ObjectID, theirs: ObjectID, name: String) throws -> ObjectID {
        try repository.createCommit(
            tree: tree, parents: [ours, theirs], author: Self.signature, committer: Self.signature,
            message: "trial merge of \(name)\n")
    }
}
