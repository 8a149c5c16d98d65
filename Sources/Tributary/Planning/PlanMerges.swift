import Git

/// The plan's trial merges: each fetched tree merged, in merge order, onto the running result
/// (the integration tip and every earlier tree that merged cleanly).
struct PlanMerges: Sendable {
    /// Each fetched tree's step.
    var steps: [String: TrialMerge.Step] = [:]
    /// The result after every clean merge.
    var running: ObjectID
    /// Which tree brought each commit the running result holds beyond the integration tip.
    var origin: [ObjectID: String] = [:]
    /// The trees whose clean merge changes nothing: the running result stays (a pull writes no
    /// merge for them).
    var unchanged: Set<String> = []
    /// Per tree, the fix-ups a pull would make with its merge (merge fix-ups by id, the tree's
    /// own by name), and those of them that no longer apply to its merged tree.
    var fixups: [String: (applying: [String], stale: [String])] = [:]
    /// The directories recorded subtree merges give trees whose manifest names none.
    var subtrees: [String: String] = [:]

    init(_ inputs: Planner.Inputs, repository: Repository, index: IndexDatabase?, clock: PhaseClock, context: Context)
        throws
    {
        let git = context.git
        defer { context.progress(nil) }
        var trialMerge = TrialMerge(repository: repository, index: index)
        trialMerge.git = git
        let mergeBases = MergeBases(repository: repository, index: index)
        running = inputs.integrationTip
        // Commits outside the integration branch that the running result holds.
        var merged = Set<ObjectID>()
        var mergedTips: [ObjectID] = []
        let store = ResolutionStore(repository: repository)
        let (treeFixups, memory) = (try store.fixups(), try store.subtreeMerges())
        var schedule = try FixupSchedule(
            fixups: store.mergeFixups(), start: running, upstream: inputs.baseTip, repository: repository, index: index)
        for (number, tree) in inputs.trees.enumerated() {
            guard let tip = inputs.tips[tree.name] else { continue }
            var tree = tree
            if tree.method.subtree == nil,
                let directory = try ResolutionStore.subtreeDirectory(
                    for: tip, onto: running, among: memory, in: repository)
            {
                tree.method.subtree = directory
                subtrees[tree.name] = directory
            }
            context.progress("plan: merging \(tree.name), \(number + 1) of \(inputs.trees.count) trees")
            let fresh = inputs.newCommits[tree.name] ?? []
            // What is new relative to the running result, and the merge bases, without walking
            // the running result's history: when this tree shares no commit outside the
            // integration branch with the trees merged before it, the common ancestors of the
            // running result and the tip are those of the integration tip and the tip.
            let unmerged = fresh.filter { !merged.contains($0) }
            let sharesCommits = unmerged.count != fresh.count
            let step = try clock.measure("merge") {
                try trialMerge.merge(
                    name: tree.name, tip: tip, onto: running, newCommits: unmerged,
                    bases: sharesCommits || unmerged.isEmpty
                        ? nil : try mergeBases.all(inputs.integrationTip, tip),
                    ourSources: [inputs.integrationTip] + mergedTips, method: tree.method)
            }
            if case .clean(let merged) = step.outcome, step.taken != .fastForward,
                try merged == repository.treeOfCommit(running)
            {
                unchanged.insert(tree.name)
            } else if case .clean(let mergedTree) = step.outcome {
                let due = try schedule.arrive(step.newCommits)
                let patches = MergeFixup.patches(due: due, then: treeFixups, of: tree.name)
                if !patches.isEmpty {
                    let stale = try patches.filter { try repository.apply(patch: $0.patch, to: mergedTree) == nil }
                        .map(\.name)
                    fixups[tree.name] = (patches.map(\.name).filter { !stale.contains($0) }, stale)
                }
                running = step.result
                for commit in step.newCommits where origin[commit] == nil { origin[commit] = tree.name }
                merged.formUnion(step.newCommits)
                mergedTips.append(tip)
            }
            steps[tree.name] = step
        }
    }
}
