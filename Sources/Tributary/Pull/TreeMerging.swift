import Foundation
import Git

/// The pull's merges, one tree after another, onto a running result: each tree's merge (from the
/// index when it was made before), recorded resolutions for its conflicts, the fix-ups due with
/// it (in its merge commit, or as commits of their own: the manifest's `fixups`), its merge
/// commit. Only objects are written.
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
    /// Tips to merge instead of the fetched ones, by tree (`Puller.tips`).
    let tips: [String: ObjectID]
    let fixups: [ResolutionStore.Fixup]
    /// The directories recorded subtree merges put projects in, by the commit merged.
    let subtreeMerges: [ObjectID: String]
    /// When each merge fix-up is due.
    private(set) var schedule: FixupSchedule
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
        tips = puller.tips
        onConflict = puller.onConflict
        self.signature = signature
        self.clock = clock
        self.start = start
        let store = ResolutionStore(repository: repository)
        resolutions = try store.resolutions()
        fixups = try store.fixups()
        subtreeMerges = try store.subtreeMerges()
        let upstream = puller.manifest.integration.base.flatMap { try? puller.repository.resolveCommit($0) }
        schedule = try FixupSchedule(
            fixups: store.mergeFixups(), start: start, upstream: upstream, repository: repository,
            index: puller.index)
        trialMerge = TrialMerge(repository: repository, index: index)
        running = start
        sources = [start]
    }

    /// Merges `tree` onto the running result, which moves to its merge (and fix-ups) when it
    /// merges.
    mutating func merge(_ tree: Manifest.Tree) throws -> Puller.TreeResult {
        var result = Puller.TreeResult(name: tree.name)
        guard let tip = try tips[tree.name] ?? repository.referenceTarget(tree.reference) else { return result }
        var tree = tree
        if tree.method.subtree == nil,
            let directory = try ResolutionStore.subtreeDirectory(
                for: tip, onto: running, among: subtreeMerges, in: repository)
        {
            tree.method.subtree = directory
            result.subtree = directory
        }
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
        var schedule = self.schedule
        let due = try schedule.arrive(unmerged)
        defer { if result.outcome.isPulled { self.schedule = schedule } }
        switch tree.method.mode {
        case .ff, .ffOnly:
            if try repository.isAncestor(running, of: tip) {
                let fixed = try commitFixups(of: tree, due: due, to: tip, result: &result)
                take(fixed, commits: unmerged, tip: tip)
                result.outcome = .fastForwarded
                return result
            }
            if tree.method.mode == .ffOnly {
                result.outcome = .notFastForward
                return result
            }
        case .rebase:
            result = try rebase(tree, tip: tip, commits: unmerged, due: due, result: result)
            return result
        case .merge: break
        }
        let bases =
            unmerged.count == fresh.count
            ? try repository.mergeBases(start, tip) : try repository.mergeBases(running, tip)
        guard !bases.isEmpty else {
            throw TributaryError.badInput("\(tree.name) shares no history with \(manifest.integration.branch)")
        }
        clock.mark("merge bases")
        guard var mergedTree = try mergedTree(of: tree, tip: tip, bases: bases, due: due, result: &result) else {
            result.outcome = onConflict == .stop ? .conflict : .skipped
            return result
        }
        // Its changes are all there already: no empty merge commit.
        if try mergedTree == repository.treeOfCommit(running) && due.isEmpty {
            result.outcome = .alreadyApplied
            return result
        }
        var message = try mergeMessage(tree, tip: tip, commits: unmerged)
        if manifest.integration.fixupPlacement == .merge {
            let fixed = try applyFixups(of: tree, due: due, to: mergedTree, result: &result)
            mergedTree = fixed.tree
            message += fixed.applied.isEmpty ? "" : "\nFix-ups made in this merge:\n" + fixed.applied.joined()
        }
        var commit = try repository.createCommit(
            tree: mergedTree, parents: [running, tip], author: signature, committer: signature, message: message)
        clock.mark("merge commit")
        if manifest.integration.fixupPlacement == .commit {
            commit = try commitFixups(of: tree, due: due, to: commit, result: &result)
        }
        take(commit, commits: unmerged, tip: tip)
        result.outcome = .merged
        result.mergeCommit = commit
        return result
    }

    /// The merge fix-ups this pull retires, once every tree has been merged (see
    /// `FixupSchedule`): fix-ups that applied in an earlier pull of the log are dropped when a
    /// side is missing from the trees that carried it.
    mutating func retiredFixups(results: [Puller.TreeResult]) throws -> [(fixup: MergeFixup, reason: String)] {
        let log = PullLog(repository: repository)
        try schedule.finish(
            pulled: Set(
                results.filter(\.outcome.isPulled).map(\.name) + results.filter { $0.outcome == .upToDate }.map(\.name)),
            appliedBefore: { Set(try log.entries(limit: 100).flatMap { $0.trees.flatMap(\.fixups) }) })
        return schedule.retired
    }

    /// The running result moves to `commit`, which holds `commits` (of the tree at `tip`).
    private mutating func take(_ commit: ObjectID, commits: [ObjectID], tip: ObjectID? = nil) {
        running = commit
        merged.formUnion(commits)
        sources.append(tip ?? commit)
    }

    /// `pull = rebase`: the tree's new commits replayed onto the running result (`Rebase`), you
    /// as their committer; a conflict stops or skips the tree as a merge's does.
    private mutating func rebase(
        _ tree: Manifest.Tree, tip: ObjectID, commits: [ObjectID], due: [MergeFixup], result: Puller.TreeResult
    ) throws -> Puller.TreeResult {
        var result = result
        let replay = try Rebase(repository: repository, index: index).replay(
            commits, onto: running, tip: tip, committer: signature)
        clock.mark("rebase")
        if let stop = replay.conflict {
            result.conflicts = try trialMerge.conflictAnalyzer
                .conflicts(
                    in: stop.index, ours: replay.tip, theirs: stop.commit, base: stop.parent, ourSources: sources)
            result.outcome = onConflict == .stop ? .conflict : .skipped
            return result
        }
        guard replay.tip != running else {
            result.outcome = .alreadyApplied
            return result
        }
        let tip = try commitFixups(of: tree, due: due, to: replay.tip, result: &result)
        take(tip, commits: commits)
        result.outcome = .rebased
        result.mergeCommit = tip
        return result
    }

    /// The tree of merging `tip` onto the running result: from the index, from the merge, or from
    /// the merge with recorded resolutions applied; nil when conflicts are left, which are then
    /// described in `result`.
    private func mergedTree(
        of tree: Manifest.Tree, tip: ObjectID, bases: [ObjectID], due: [MergeFixup], result: inout Puller.TreeResult
    ) throws -> ObjectID? {
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
        let settling = try settled(mergeIndex, by: due, result: &result)
        if let tree = settling.tree { return tree }
        try describe(
            mergeIndex, unresolved: outcome.unresolved, resolutionChanged: !outcome.used.isEmpty || settling.tried,
            of: tree, tip: tip,
            bases: bases, result: &result)
        return nil
    }

    /// The tree of `mergeIndex` with what the resolutions left settled by the fix-ups due
    /// (`MergeFixup.settleConflicts`), when every path left is one they settle and each of them
    /// applies to the result; nil otherwise (the conflicts stand, and a fix-up that no longer
    /// applies is listed stale).
    /// (`tried`: whether `mergeIndex` was changed, so that the conflicts must be described from
    /// a fresh merge.)
    private func settled(_ mergeIndex: MergeIndex, by due: [MergeFixup], result: inout Puller.TreeResult) throws
        -> (tree: ObjectID?, tried: Bool)
    {
        let settlers = due.filter { !$0.conflicts.isEmpty }
        let paths = Set(settlers.flatMap(\.conflicts))
        guard !paths.isEmpty, try mergeIndex.conflicts().allSatisfy({ paths.contains($0.path) }) else {
            return (nil, false)
        }
        let settled = try MergeFixup.settleConflicts(of: mergeIndex)
        let tree = try mergeIndex.writeTree()
        let stale = try settlers.filter { try repository.apply(patch: $0.patch, to: tree) == nil }
        guard stale.isEmpty else {
            result.staleFixups += stale.map(\.id)
            return (nil, true)
        }
        result.settledByFixups = settled
        return (tree, true)
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
            : try trialMerge.conflictAnalyzer.conflicts(
                in: mergeIndex, ours: running, theirs: tip, base: bases.first, ourSources: sources)
        result.conflicts = described.filter { unresolved.contains($0.path) }
        if result.conflicts.isEmpty { result.conflicts = described }
        clock.mark("describe conflicts")
        result.staleResolutions = resolutions.values.filter { resolution in
            unresolved.contains(resolution.path) && (resolution.tree == nil || resolution.tree == tree.name)
        }.map(\.id).sorted()
    }

    private func patches(of tree: Manifest.Tree, due: [MergeFixup]) -> [MergeFixup.Patch] {
        MergeFixup.patches(due: due, then: fixups, of: tree.name)
    }

    /// `tree` with the fix-ups of `manifestTree`'s merge applied (`patches`), each whole or not
    /// at all: one that does not apply is left out and listed as stale in `result`. Returns the
    /// tree and a line per fix-up applied.
    private func applyFixups(
        of manifestTree: Manifest.Tree, due: [MergeFixup], to tree: ObjectID, result: inout Puller.TreeResult
    ) throws -> (tree: ObjectID, applied: [String]) {
        var tree = tree
        var applied: [String] = []
        for fixup in patches(of: manifestTree, due: due) {
            guard let fixed = try repository.apply(patch: fixup.patch, to: tree) else {
                result.staleFixups.append(fixup.name)
                continue
            }
            tree = fixed
            result.fixupsApplied.append(fixup.name)
            applied.append("  \(fixup.name) (\(fixup.about))\n")
        }
        return (tree, applied)
    }

    /// `commit` with the fix-ups of `tree`'s merge (`patches`) committed on top, one commit each
    /// (`fixups = commit`, and always after a fast-forward or a rebase).
    private func commitFixups(
        of tree: Manifest.Tree, due: [MergeFixup], to commit: ObjectID, result: inout Puller.TreeResult
    ) throws -> ObjectID {
        var commit = commit
        for fixup in patches(of: tree, due: due) {
            guard let fixed = try repository.apply(patch: fixup.patch, to: repository.treeOfCommit(commit)) else {
                result.staleFixups.append(fixup.name)
                continue
            }
            commit = try repository.createCommit(
                tree: fixed, parents: [commit], author: signature, committer: signature,
                message:
                    "\(tree.name): fix-up \(fixup.name) after the merge\n\nApplied by trib pull (\(fixup.about)).\n")
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
