import Foundation
import Git

/// The pull's merges, one tree after another, onto a running result: each tree's merge (from the
/// index when it was made before), recorded resolutions for its conflicts, its merge commit and
/// its fix-ups. Only objects are written.
struct TreeMerging {
    let repository: Repository
    let manifest: Manifest
    let index: IndexDatabase?
    let onConflict: Puller.ConflictPolicy
    let signature: Signature
    let clock: PhaseClock
    /// The commit the first merge is made onto.
    let start: ObjectID
    let resolutions: [String: ResolutionStore.Resolution]
    let fixups: [ResolutionStore.Fixup]
    let trialMerge: TrialMerge
    /// The result of the merges so far.
    private(set) var running: ObjectID
    /// Commits the running result holds that `start` does not.
    private var merged = Set<ObjectID>()
    /// What the running result is made of, for the conflict analysis (as the plan does it).
    private var sources: [ObjectID]

    init(puller: Puller, start: ObjectID, signature: Signature, clock: PhaseClock) throws {
        repository = puller.repository
        manifest = puller.manifest
        index = puller.index
        onConflict = puller.onConflict
        self.signature = signature
        self.clock = clock
        self.start = start
        let store = ResolutionStore(repository: repository)
        resolutions = try store.resolutions()
        fixups = try store.fixups()
        trialMerge = TrialMerge(repository: repository, index: index)
        running = start
        sources = [start]
    }

    /// Merges `tree` onto the running result, which moves to its merge (and fix-ups) when it
    /// merges.
    mutating func merge(_ tree: Manifest.Tree) throws -> Puller.TreeResult {
        var result = Puller.TreeResult(name: tree.name)
        guard let tip = try repository.referenceTarget(tree.reference) else { return result }
        result.tip = tip
        result.onto = running
        let fresh = try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(start.hex)]))
        let unmerged = fresh.filter { !merged.contains($0) }
        result.newCommits = unmerged.count
        clock.mark("new commits")
        if unmerged.isEmpty {
            result.outcome = .upToDate
            return result
        }
        switch tree.method.mode {
        case .ff, .ffOnly:
            if try repository.isAncestor(running, of: tip) {
                take(tip, commits: unmerged)
                result.outcome = .fastForwarded
                return result
            }
            if tree.method.mode == .ffOnly {
                result.outcome = .notFastForward
                return result
            }
        case .rebase: return try rebase(tree, tip: tip, commits: unmerged, result: result)
        case .merge: break
        }
        let bases =
            unmerged.count == fresh.count
            ? try repository.mergeBases(start, tip) : try repository.mergeBases(running, tip)
        guard !bases.isEmpty else {
            throw TributaryError.badInput("\(tree.name) shares no history with \(manifest.integration.branch)")
        }
        clock.mark("merge bases")
        guard let mergedTree = try mergedTree(of: tree, tip: tip, bases: bases, result: &result) else {
            result.outcome = onConflict == .stop ? .conflict : .skipped
            return result
        }
        // Its changes are all there already: no empty merge commit.
        if try mergedTree == repository.treeOfCommit(running) {
            result.outcome = .alreadyApplied
            return result
        }
        var commit = try repository.createCommit(
            tree: mergedTree, parents: [running, tip], author: signature, committer: signature,
            message: try mergeMessage(tree, tip: tip, commits: unmerged))
        clock.mark("merge commit")
        commit = try applyFixups(of: tree, to: commit, result: &result)
        take(commit, commits: unmerged, tip: tip)
        result.outcome = .merged
        result.mergeCommit = commit
        return result
    }

    /// The running result moves to `commit`, which holds `commits` (of the tree at `tip`).
    private mutating func take(_ commit: ObjectID, commits: [ObjectID], tip: ObjectID? = nil) {
        running = commit
        merged.formUnion(commits)
        sources.append(tip ?? commit)
    }

    /// `pull = rebase`: the tree's new commits replayed onto the running result (`Rebase`), you
    /// as their committer; a conflict stops or skips the tree as a merge's does.
    private mutating func rebase(_ tree: Manifest.Tree, tip: ObjectID, commits: [ObjectID], result: Puller.TreeResult)
        throws -> Puller.TreeResult
    {
        var result = result
        let replay = try Rebase(repository: repository, index: index).replay(
            commits, onto: running, tip: tip, committer: signature)
        clock.mark("rebase")
        if let stop = replay.conflict {
            result.conflicts = try ConflictAnalyzer(repository: repository, blameCache: trialMerge.blameCache)
                .conflicts(
                    in: stop.index, ours: replay.tip, theirs: stop.commit, base: stop.parent, ourSources: sources)
            result.outcome = onConflict == .stop ? .conflict : .skipped
            return result
        }
        guard replay.tip != running else {
            result.outcome = .alreadyApplied
            return result
        }
        let tip = try applyFixups(of: tree, to: replay.tip, result: &result)
        take(tip, commits: commits)
        result.outcome = .rebased
        result.mergeCommit = tip
        return result
    }

    /// The tree of merging `tip` onto the running result: from the index, from the merge, or from
    /// the merge with recorded resolutions applied; nil when conflicts are left, which are then
    /// described in `result`.
    private func mergedTree(of tree: Manifest.Tree, tip: ObjectID, bases: [ObjectID], result: inout Puller.TreeResult)
        throws -> ObjectID?
    {
        let key = try trialMerge.cacheKey(bases: bases, ours: running, theirs: tip, subtree: tree.method.subtree)
        let stored = try index?.merge(forKey: key)
        clock.mark("cached merges")
        if let stored, let tree = stored.tree, repository.contains(tree) { return tree }
        let mergeIndex: MergeIndex
        switch try trialMerge.merged(ours: running, theirs: tip, bases: bases, subtree: tree.method.subtree) {
        case .tree(let tree):
            try store(tree, tip: tip, bases: bases, key: key)
            clock.mark("merge")
            return tree
        case .index(let whole): mergeIndex = whole
        }
        clock.mark("merge")
        if !mergeIndex.hasConflicts {
            let tree = try mergeIndex.writeTree()
            try store(tree, tip: tip, bases: bases, key: key)
            clock.mark("write tree")
            return tree
        }
        let outcome = try ResolutionStore.apply(resolutions, to: mergeIndex, in: repository)
        clock.mark("resolutions")
        result.resolutionsUsed = outcome.used
        if outcome.unresolved.isEmpty && !mergeIndex.hasConflicts {
            let tree = try mergeIndex.writeTree()
            clock.mark("write tree")
            return tree
        }
        try describe(
            mergeIndex, unresolved: outcome.unresolved, resolutionChanged: !outcome.used.isEmpty, of: tree, tip: tip,
            bases: bases, result: &result)
        return nil
    }

    private func store(_ tree: ObjectID, tip: ObjectID, bases: [ObjectID], key: String) throws {
        try index?.storeMerge(
            .of(ours: running, theirs: tip, base: bases.first, tree: tree, conflicts: []), forKey: key)
    }

    /// The conflicts left, described as the plan describes them: from this merge when no
    /// resolution changed it, else from a fresh one; and the recorded resolutions of those paths
    /// that no longer match.
    private func describe(
        _ mergeIndex: MergeIndex, unresolved: [String], resolutionChanged: Bool, of tree: Manifest.Tree,
        tip: ObjectID, bases: [ObjectID], result: inout Puller.TreeResult
    ) throws {
        let described =
            resolutionChanged
            ? try trialMerge.merge(
                name: tree.name, tip: tip, onto: running, bases: bases, ourSources: sources, method: tree.method
            )
            .conflicts
            : try ConflictAnalyzer(repository: repository, blameCache: trialMerge.blameCache).conflicts(
                in: mergeIndex, ours: running, theirs: tip, base: bases.first, ourSources: sources)
        result.conflicts = described.filter { unresolved.contains($0.path) }
        if result.conflicts.isEmpty { result.conflicts = described }
        clock.mark("describe conflicts")
        result.staleResolutions = resolutions.values.filter { resolution in
            unresolved.contains(resolution.path) && (resolution.tree == nil || resolution.tree == tree.name)
        }.map(\.id).sorted()
    }

    /// `commit` with `tree`'s fix-ups committed on top, each that still applies; the others are
    /// listed as stale in `result`.
    private func applyFixups(of tree: Manifest.Tree, to commit: ObjectID, result: inout Puller.TreeResult) throws
        -> ObjectID
    {
        var commit = commit
        for fixup in fixups where fixup.tree == tree.name {
            guard let fixed = try repository.apply(patch: fixup.patch, to: repository.treeOfCommit(commit)) else {
                result.staleFixups.append(fixup.name)
                continue
            }
            commit = try repository.createCommit(
                tree: fixed, parents: [commit], author: signature, committer: signature,
                message:
                    "\(tree.name): fix-up \(fixup.name) after the merge\n\nApplied by trib pull from \(ResolutionStore.reference).\n"
            )
            result.fixupsApplied.append(fixup.name)
        }
        return commit
    }

    /// The merge commit's message: what, from where, and a shortlog of what came in.
    private func mergeMessage(_ tree: Manifest.Tree, tip: ObjectID, commits: [ObjectID]) throws -> String {
        var text = "Merge tree '\(tree.name)' into \(manifest.integration.branch)\n\n"
        text += "Tree:   \(tree.name)\nURL:    \(tree.url)\nBranch: \(tree.branch)\nTip:    \(tip.hex)\n\n"
        let summaries = try commits.map { try repository.commit($0) }.filter { !$0.isMerge }
        text += "\(commits.count) new commit\(commits.count == 1 ? "" : "s")"
        text += summaries.count == commits.count ? ":\n" : " (\(commits.count - summaries.count) merges):\n"
        for commit in summaries.reversed().prefix(100) { text += "  \(commit.summary)\n" }
        if summaries.count > 100 { text += "  … and \(summaries.count - 100) more\n" }
        return text
    }
}
