import Foundation
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
            /// The tree is pulled `ff-only` and the running result is not an ancestor of its tip.
            case notFastForward
        }

        /// How the step took the tree in (`PullMethod`).
        public enum Taken: Sendable, Hashable {
            /// A merge commit (for `subtree`, with the tree shifted into its directory).
            case merge
            /// The running result moved to the tree's tip.
            case fastForward
            /// The tree's new commits replayed onto the running result: the new commits, oldest
            /// first, and the commits left out (already there by patch-id, or become empty).
            case rebase(replayed: [ObjectID], dropped: [ObjectID])
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
        /// How the tree was taken in.
        public var taken: Taken = .merge

        public var conflicts: [MergeConflict] {
            if case .conflicted(let conflicts) = outcome { return conflicts }
            return []
        }
    }

    public let repository: Repository
    public var options: MergeOptions
    public var index: IndexDatabase?
    /// Whether to describe conflicts (kinds, hunks, blame) or only name their paths.
    public var describesConflicts: Bool
    /// The `git` program that blames conflicting lines (see `ConflictAnalyzer.git`).
    public var git: GitProgram? = GitProgram()
    /// How far back each side's history is searched for the commits behind a conflict.
    public var historyWindow = HistoryWindow()
    /// Blames shared by the conflicts of one sequence of merges.
    let blameCache = ConflictAnalyzer.BlameCache()

    /// The describer of this sequence's conflicts: its `git`, history window and blame cache.
    var conflictAnalyzer: ConflictAnalyzer {
        ConflictAnalyzer(repository: repository, blameCache: blameCache, git: git, historyWindow: historyWindow)
    }

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

    /// Merges one reference onto `ours`. A caller that knows them may give the commits of `tip`
    /// not in `ours` (`newCommits`) and the merge bases (`bases`, asked for only when the result
    /// is not stored already), which spares two history walks; `Planner` derives both without
    /// walking the running result. `ourSources`: see `ConflictAnalyzer.conflicts`.
    public func merge(
        name: String, tip: ObjectID, onto ours: ObjectID, newCommits known: [ObjectID]? = nil,
        bases knownBases: @autoclosure () throws -> [ObjectID]? = nil, ourSources: [ObjectID] = [],
        method: PullMethod = PullMethod()
    ) throws -> Step {
        let newCommits =
            try known ?? repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(ours.hex)]))
        if newCommits.isEmpty {
            return Step(
                name: name, tip: tip, ours: ours, base: nil, newCommits: [], outcome: .upToDate, result: ours,
                fromCache: false)
        }
        switch method.mode {
        case .ff, .ffOnly:
            if try repository.isAncestor(ours, of: tip) {
                return Step(
                    name: name, tip: tip, ours: ours, base: ours, newCommits: newCommits,
                    outcome: .clean(tree: try repository.treeOfCommit(tip)), result: tip, fromCache: false,
                    taken: .fastForward)
            }
            if method.mode == .ffOnly {
                return Step(
                    name: name, tip: tip, ours: ours, base: nil, newCommits: newCommits, outcome: .notFastForward,
                    result: ours, fromCache: false)
            }
        case .rebase:
            return try rebase(name: name, tip: tip, onto: ours, newCommits: newCommits, ourSources: ourSources)
        case .merge: break
        }
        return try mergeCommit(
            name: name, tip: tip, onto: ours, newCommits: newCommits, bases: try knownBases(), ourSources: ourSources,
            subtree: method.subtree)
    }

    /// The tree's new commits replayed onto `ours` (`Rebase`), described as a step.
    private func rebase(
        name: String, tip: ObjectID, onto ours: ObjectID, newCommits: [ObjectID], ourSources: [ObjectID]
    )
        throws -> Step
    {
        let replay = try Rebase(repository: repository, index: index).replay(
            newCommits, onto: ours, tip: tip, committer: nil)
        if let stop = replay.conflict {
            let conflicts =
                describesConflicts
                ? try conflictAnalyzer.conflicts(
                    in: stop.index, ours: replay.tip, theirs: stop.commit, base: stop.parent, ourSources: ourSources)
                : try stop.index.conflictedPaths().map {
                    MergeConflict(path: $0, paths: [$0], kind: .content, hunks: [], ourCommits: [], theirCommits: [])
                }
            return Step(
                name: name, tip: tip, ours: ours, base: stop.parent, newCommits: newCommits,
                outcome: .conflicted(conflicts), result: ours, fromCache: false)
        }
        return Step(
            name: name, tip: tip, ours: ours, base: nil, newCommits: newCommits,
            outcome: .clean(tree: try repository.treeOfCommit(replay.tip)), result: replay.tip, fromCache: false,
            taken: .rebase(replayed: replay.replayed, dropped: replay.dropped))
    }

    /// Merges `tip` onto `ours` with a merge commit (`subtree`: shifted into that directory).
    private func mergeCommit(
        name: String, tip: ObjectID, onto ours: ObjectID, newCommits: [ObjectID],
        bases knownBases: @autoclosure () throws -> [ObjectID]?,
        ourSources: [ObjectID], subtree: String?
    ) throws -> Step {
        let optionKey = self.optionKey + (subtree.map { ",subtree=\($0)" } ?? "")
        // First the exact inputs (both commits), which needs no history walk at all.
        let pairKey = "pair/2 \(optionKey) \(ours.hex) \(tip.hex)"
        if let stored = try index?.merge(forKey: pairKey), let step = try reuse(stored, name, tip, ours, newCommits) {
            return step
        }
        let bases = try knownBases() ?? repository.mergeBases(ours, tip)
        guard !bases.isEmpty else {
            throw TributaryError.badInput("refusing to merge unrelated histories (\(name) at \(tip.abbreviated()))")
        }
        // Then the trees: the same merge reached through other commits.
        let key = try cacheKey(bases: bases, ours: ours, theirs: tip, subtree: subtree)
        if let stored = try index?.merge(forKey: key),
            stored.tree != nil || (stored.ours == ours && stored.theirs == tip) || !describesConflicts,
            let step = try reuse(stored, name, tip, ours, newCommits)
        {
            try index?.storeMerge(stored, forKey: pairKey)
            return step
        }
        /// The step of a clean merge to `tree`, stored under both keys.
        func clean(_ tree: ObjectID) throws -> Step {
            let stored = try IndexDatabase.StoredMerge.of(
                ours: ours, theirs: tip, base: bases.first, tree: tree, conflicts: [])
            try index?.storeMerge(stored, forKey: key)
            try index?.storeMerge(stored, forKey: pairKey)
            let result = try commitMerge(tree: tree, ours: ours, theirs: tip, name: name)
            return Step(
                name: name, tip: tip, ours: ours, base: bases.first, newCommits: newCommits,
                outcome: .clean(tree: tree), result: result, fromCache: false)
        }
        let mergeIndex: MergeIndex
        switch try merged(ours: ours, theirs: tip, bases: bases, subtree: subtree) {
        case .tree(let tree): return try clean(tree)
        case .index(let index): mergeIndex = index
        }
        if mergeIndex.hasConflicts {
            let conflicts: [MergeConflict]
            if describesConflicts {
                conflicts = try conflictAnalyzer.conflicts(
                    in: mergeIndex, ours: ours, theirs: tip, base: bases.first, ourSources: ourSources)
                let stored = try IndexDatabase.StoredMerge.of(
                    ours: ours, theirs: tip, base: bases.first, tree: nil, conflicts: conflicts)
                try index?.storeMerge(stored, forKey: key)
                try index?.storeMerge(stored, forKey: pairKey)
            } else {
                conflicts = try mergeIndex.conflictedPaths().map {
                    MergeConflict(path: $0, paths: [$0], kind: .content, hunks: [], ourCommits: [], theirCommits: [])
                }
            }
            return Step(
                name: name, tip: tip, ours: ours, base: bases.first, newCommits: newCommits,
                outcome: .conflicted(conflicts), result: ours, fromCache: false)
        }
        return try clean(try mergeIndex.writeTree())
    }

    /// A merge as it first comes out: a clean tree, or libgit2's merge index.
    enum Merged {
        case tree(ObjectID)
        case index(MergeIndex)
    }

    /// Merges commit `theirs` into commit `ours`, whose merge bases are `bases`. Most merges are
    /// settled by the files `theirs` changed alone (`mergeTreesByChangedFiles`, one merge base),
    /// without an index of every file; the rest are merged whole (`mergeTrees` from the one
    /// base, or `merge` of the commits when there are several). With `subtree`, the base's and
    /// `theirs`' trees are shifted into that directory first (`git merge -Xsubtree=PATH`; of
    /// several merge bases, the first).
    func merged(ours: ObjectID, theirs: ObjectID, bases: [ObjectID], subtree: String? = nil) throws -> Merged {
        guard bases.count == 1 || subtree != nil else {
            return .index(try repository.merge(ours: ours, theirs: theirs, options: options))
        }
        let ourTree = try repository.treeOfCommit(ours)
        var trees = try (
            base: repository.treeOfCommit(bases[0]), ours: ourTree, theirs: repository.treeOfCommit(theirs)
        )
        if let subtree {
            trees.base = try repository.shiftTree(trees.base, toMatch: ourTree, by: subtree)
            trees.theirs = try repository.shiftTree(trees.theirs, toMatch: ourTree, by: subtree)
        }
        if let tree = try repository.mergeTreesByChangedFiles(
            ancestor: trees.base, ours: trees.ours, theirs: trees.theirs)
        {
            return .tree(tree)
        }
        return .index(
            try repository.mergeTrees(ancestor: trees.base, ours: trees.ours, theirs: trees.theirs, options: options))
    }

    /// A step from a stored result, or nil when it cannot be used (its tree is gone).
    private func reuse(
        _ stored: IndexDatabase.StoredMerge, _ name: String, _ tip: ObjectID, _ ours: ObjectID, _ newCommits: [ObjectID]
    ) throws -> Step? {
        if let tree = stored.tree {
            guard repository.contains(tree) else { return nil }
            let result = try commitMerge(tree: tree, ours: ours, theirs: tip, name: name)
            return Step(
                name: name, tip: tip, ours: ours, base: stored.base, newCommits: newCommits,
                outcome: .clean(tree: tree),
                result: result, fromCache: true)
        }
        return Step(
            name: name, tip: tip, ours: ours, base: stored.base, newCommits: newCommits,
            outcome: .conflicted(try stored.mergeConflicts()), result: ours, fromCache: true)
    }

    private var optionKey: String {
        "r\(options.detectRenames ? 1 : 0),\(options.renameThreshold),\(options.renameLimit)"
    }

    /// The inputs of a merge: the trees of the merge bases and of both sides (the bases' commit
    /// ids when there are several, as libgit2 then merges them into a virtual base first), and
    /// the merge options.
    public func cacheKey(bases: [ObjectID], ours: ObjectID, theirs: ObjectID, subtree: String? = nil) throws -> String {
        let baseKey =
            bases.count == 1 || subtree != nil
            ? "t:" + (try repository.treeOfCommit(bases[0])).hex
            : "c:" + bases.map(\.hex).sorted().joined(separator: ",")
        return [
            "merge/2", optionKey + (subtree.map { ",subtree=\($0)" } ?? ""), baseKey,
            try repository.treeOfCommit(ours).hex,
            try repository.treeOfCommit(theirs).hex,
        ].joined(separator: " ")
    }

    /// The merge commit of the running result. Dated like its newest parent (deterministic, and
    /// it keeps date-ordered history walks from the running result short).
    private func commitMerge(tree: ObjectID, ours: ObjectID, theirs: ObjectID, name: String) throws -> ObjectID {
        var signature = Self.signature
        signature.time = max(try repository.commit(ours).committer.time, try repository.commit(theirs).committer.time)
        return try repository.createCommit(
            tree: tree, parents: [ours, theirs], author: signature, committer: signature,
            message: "trial merge of \(name)\n")
    }
}

extension IndexDatabase.StoredMerge {
    /// A merge's result to store, its conflicts encoded as JSON.
    static func of(ours: ObjectID, theirs: ObjectID, base: ObjectID?, tree: ObjectID?, conflicts: [MergeConflict])
        throws -> Self
    {
        Self(
            ours: ours, theirs: theirs, base: base, tree: tree,
            conflicts: tree == nil ? try JSONEncoder().encode(conflicts) : nil)
    }

    /// The stored conflicts.
    func mergeConflicts() throws -> [MergeConflict] {
        try conflicts.map { try JSONDecoder().decode([MergeConflict].self, from: $0) } ?? []
    }
}
