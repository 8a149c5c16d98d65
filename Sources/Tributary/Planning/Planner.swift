import Foundation
public import Git

/// Answers the integration maintainer's daily question without touching a work tree or a
/// branch: if every tree were pulled now, in merge order, what would break, who would it be
/// with, and what is not ready? See `PlanReport`.
///
/// The trial merges run on one thread while another checks the new commits' tags and looks for
/// duplicate patches (`PlanSideWork`): neither depends on the other.
public final class Planner {
    public let repository: Repository
    public let manifest: Manifest
    public let index: IndexDatabase?
    /// Whether to look for the same patch in several places (costs a patch-id per commit).
    public var findsDuplicates = true
    /// At most this many commits of the integration branch and of mainline are compared for
    /// duplicates.
    public var duplicateHorizon = 20_000
    /// Warnings and phase times go here.
    public var context = Context()

    private var summaries: [ObjectID: CommitSummary] = [:]
    /// What the verify commands last said of each tree (none when unreadable: the plan goes on).
    private lazy var buildVerdicts = (try? BuildVerdicts.read(from: repository)) ?? BuildVerdicts()
    private lazy var mergeBases = MergeBases(repository: repository, index: index)
    /// Time per phase (when the context times phases).
    private var clock = PhaseClock("plan", context: Context())

    private func timed<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
        try clock.measure(phase, body)
    }

    public init(repository: Repository, manifest: Manifest, index: IndexDatabase? = nil) {
        self.repository = repository
        self.manifest = manifest
        self.index = index
    }

    /// What the plan starts from: the integration branch and its base, and each fetched tree's
    /// tip and its commits not in the integration branch.
    struct Inputs: Sendable {
        var trees: [Manifest.Tree]
        var integrationTip: ObjectID
        var baseTip: ObjectID?
        /// The merge base of the integration tip and the base.
        var integrationBase: ObjectID?
        var tips: [String: ObjectID]
        /// Newest first.
        var newCommits: [String: [ObjectID]]
    }

    /// Plans the trees called `names` (every tree when empty), in merge order.
    public func run(trees names: [String] = []) throws -> PlanReport {
        clock = context.clock("plan")
        let inputs = try self.inputs(trees: names)
        enum Work: Sendable { case merges, sideWork }
        enum Done: Sendable {
            case merges(PlanMerges)
            case sideWork(PlanSideWork.Results)
        }
        let (gitDirectory, manifest, index, clock, context) = (repository.gitDirectory, manifest, index, clock, context)
        let (findsDuplicates, horizon) = (findsDuplicates, duplicateHorizon)
        let done = try Parallel.map([Work.merges, .sideWork], width: 2) { work -> Done in
            let repository = try Repository(at: gitDirectory)
            switch work {
            case .merges:
                return .merges(
                    try PlanMerges(inputs, repository: repository, index: index, clock: clock, context: context))
            case .sideWork:
                let side = PlanSideWork(repository: repository, manifest: manifest, index: index, horizon: horizon)
                return .sideWork(try side.run(inputs, findsDuplicates: findsDuplicates))
            }
        }
        guard case .merges(let merges) = done[0], case .sideWork(let side) = done[1] else {
            preconditionFailure("the plan's two parts come back in order")
        }
        var plans: [TreePlan] = []
        for tree in inputs.trees {
            plans.append(try plan(of: tree, inputs: inputs, merges: merges, side: side))
        }
        clock.report()
        return PlanReport(
            integration: .init(
                branch: manifest.integration.branch, tip: inputs.integrationTip, baseRef: manifest.integration.base,
                baseTip: inputs.baseTip, integrationBase: inputs.integrationBase, result: merges.running),
            trees: plans)
    }

    private func inputs(trees names: [String]) throws -> Inputs {
        let trees = try manifest.trees(named: names)
        guard let integrationTip = try repository.referenceTarget(manifest.integration.reference) else {
            throw TributaryError.refused("the integration branch \(manifest.integration.branch) does not exist")
        }
        var baseTip: ObjectID?
        if let base = manifest.integration.base {
            do { baseTip = try repository.resolveCommit(base) } catch {
                throw TributaryError.badInput("the base '\(base)' (\(manifest.path)) is not a commit: \(error)")
            }
        }
        var inputs = Inputs(
            trees: trees, integrationTip: integrationTip, baseTip: baseTip,
            integrationBase: try baseTip.flatMap { try repository.mergeBase(integrationTip, $0) }, tips: [:],
            newCommits: [:])
        for tree in trees {
            guard let tip = try repository.referenceTarget(tree.reference) else { continue }
            inputs.tips[tree.name] = tip
            inputs.newCommits[tree.name] = try timed("new commits") {
                try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(integrationTip.hex)]))
            }
        }
        return inputs
    }

    /// The plan of one tree from the merges and the side work.
    private func plan(of tree: Manifest.Tree, inputs: Inputs, merges: PlanMerges, side: PlanSideWork.Results) throws
        -> TreePlan
    {
        guard let tip = inputs.tips[tree.name], let step = merges.steps[tree.name] else {
            return TreePlan(
                name: tree.name, url: tree.url, branch: tree.branch, tip: nil, state: .notFetched, newCommits: [],
                merge: .notTried, mergedTree: nil, conflicts: [], tagFindings: [], tagErrors: 0, tagWarnings: 0,
                duplicates: [], alreadyApplied: [], behind: nil, rewind: nil, backMerge: nil, cached: false)
        }
        let fresh = inputs.newCommits[tree.name] ?? []
        var merge = TreePlan.MergeState.upToDate
        var mergedTree: ObjectID?
        var conflicts: [TreePlan.Conflict] = []
        switch step.outcome {
        case .upToDate: break
        case .clean(let tree):
            merge = .clean
            mergedTree = tree
        case .conflicted(let found):
            merge = .conflict
            conflicts = try found.map { try attributed($0, origin: merges.origin) }
        case .notFastForward: merge = .notFastForward
        }
        var rebased: (replayed: [ObjectID], dropped: [ObjectID])?
        switch step.taken {
        case .fastForward: merge = .fastForward
        case .rebase(let replayed, let dropped):
            merge = .rebased
            rebased = (replayed, dropped)
        case .merge: break
        }
        let findings = side.findings[tree.name] ?? []
        let errors = findings.reduce(0) { $0 + $1.findings.filter { $0.severity == .error }.count }
        let warnings = findings.reduce(0) { $0 + $1.findings.filter { $0.severity == .warning }.count }
        var state: TreePlan.State =
            fresh.isEmpty && conflicts.isEmpty
            ? .upToDate : !conflicts.isEmpty ? .conflict : errors > 0 ? .tagProblems : .ready
        if merges.unchanged.contains(tree.name) { state = .alreadyApplied }
        if merge == .notFastForward { state = .notFastForward }
        let duplicates = try fresh.compactMap { commit -> TreePlan.Duplicate? in
            guard let entry = side.duplicates[commit] else { return nil }
            let copies = entry.copies.filter { $0.commit != commit }
            guard !copies.isEmpty else { return nil }
            return TreePlan.Duplicate(commit: try summary(commit), patchID: entry.patchID, copies: copies)
        }
        var plan = TreePlan(
            name: tree.name, url: tree.url, branch: tree.branch, tip: tip, state: state,
            newCommits: try timed("summaries") { try fresh.map(summary) }, merge: merge, mergedTree: mergedTree,
            conflicts: conflicts, tagFindings: findings, tagErrors: errors, tagWarnings: warnings,
            duplicates: duplicates, alreadyApplied: side.applied[tree.name] ?? [],
            behind: try fresh.isEmpty ? behind(tip: tip, integrationTip: inputs.integrationTip) : nil,
            rewind: try timed("rewind") { try rewind(of: tree, tip: tip, integrationTip: inputs.integrationTip) },
            backMerge: try timed("back-merge") {
                try backMerge(tip: tip, fresh: fresh, baseTip: inputs.baseTip, integrationBase: inputs.integrationBase)
            }, cached: step.fromCache)
        plan.method = tree.method
        plan.subtree = merges.subtrees[tree.name]
        if let subtree = plan.subtree { plan.method.subtree = subtree }
        (plan.fixups, plan.staleFixups) = merges.fixups[tree.name] ?? ([], [])
        plan.rebased = rebased?.replayed
        plan.rebaseDropped = rebased?.dropped
        if let (_, verdict) = buildVerdicts.verdict(of: tree.name) {
            plan.build = verdict.summary + (verdict.tip == tip ? "" : " (at an earlier tip)")
        }
        return plan
    }

    /// How many commits the integration branch has that `tip`, one of its ancestors, lacks.
    private func behind(tip: ObjectID, integrationTip: ObjectID) throws -> Int? {
        guard tip != integrationTip else { return 0 }
        return try timed("behind") {
            try repository.commits(in: RevisionRange(terms: [.include(integrationTip.hex), .exclude(tip.hex)])).count
        }
    }

    /// A conflict with our side's commits grouped by the earlier tree that brought them (or the
    /// integration branch's own history).
    private func attributed(_ conflict: MergeConflict, origin: [ObjectID: String]) throws -> TreePlan.Conflict {
        var groups: [PlanPlace: [CommitSummary]] = [:]
        var order: [PlanPlace] = []
        for commit in conflict.ourCommits {
            let place = origin[commit].map(PlanPlace.tree) ?? .integration
            if groups[place] == nil { order.append(place) }
            groups[place, default: []].append(try summary(commit))
        }
        return TreePlan.Conflict(
            conflict: conflict, with: order.map { TreePlan.Attribution(tree: $0, commits: groups[$0]!) },
            commits: try conflict.theirCommits.map(summary))
    }

    // MARK: Rewinds and back-merges

    private func rewind(of tree: Manifest.Tree, tip: ObjectID, integrationTip: ObjectID) throws -> TreePlan.Rewind? {
        var previous: ObjectID?
        var source = TreePlan.Rewind.Source.pulled
        if let pulled = try repository.referenceTarget(TreeReferences.pulled(tree.name)) {
            previous = pulled
        } else if let last = (try? repository.reflog(of: tree.reference))?.first, last.new == tip,
            last.old != ObjectID.zero
        {
            previous = last.old
            source = .fetched
        }
        guard let previous, previous != tip, repository.contains(previous),
            try !repository.isAncestor(previous, of: tip)
        else { return nil }
        // Dropped: what neither the tip nor the integration branch has; what the integration
        // branch has is counted apart (pulled before, or mainline of a newer base).
        let gone = RevisionRange(terms: [.include(previous.hex), .exclude(tip.hex)])
        var lost = gone
        lost.terms.append(.exclude(integrationTip.hex))
        let dropped = Array(try repository.walk(lost).prefix(500))
        let inIntegration =
            try repository.commits(in: gone).count - repository.commits(in: lost).count
        let fresh = try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(previous.hex)]))
        var droppedCommits: [TreePlan.Rewind.DroppedCommit] = []
        var freshByPatch: [ObjectID: ObjectID]?
        var freshByLines: [ObjectID: ObjectID]?
        for commit in dropped {
            let value = try repository.commit(commit)
            if value.isMerge { continue }
            var replacedBy: ObjectID?
            var replacement: TreePlan.Rewind.Replacement?
            if freshByPatch == nil { freshByPatch = try patchIDs(of: fresh, context: 3) }
            if let id = try repository.patchID(of: value), let copy = freshByPatch?[id] {
                (replacedBy, replacement) = (copy, .patchID)
            } else {
                // The same changed lines with other context: a rebase over nearby changes.
                if freshByLines == nil { freshByLines = try patchIDs(of: fresh, context: 0) }
                if let id = try repository.patchID(of: value, options: Self.changedLinesOnly),
                    let copy = freshByLines?[id]
                {
                    (replacedBy, replacement) = (copy, .changedLines)
                }
            }
            droppedCommits.append(.init(commit: try summary(commit), replacedBy: replacedBy, replacement: replacement))
        }
        let kind: TreePlan.Rewind.Kind = droppedCommits.allSatisfy { $0.replacedBy != nil } ? .rebased : .rewound
        return TreePlan.Rewind(
            kind: kind, previousTip: previous, previousSource: source, dropped: droppedCommits,
            inIntegration: inIntegration)
    }

    /// Diff options whose patch-id depends on the changed lines only (no context lines).
    private static let changedLinesOnly: DiffOptions = {
        var options = DiffOptions()
        options.contextLines = 0
        return options
    }()

    /// The patch-ids of `commits` (first copy wins), with `context` lines of context.
    private func patchIDs(of commits: [ObjectID], context: Int) throws -> [ObjectID: ObjectID] {
        var options = DiffOptions()
        options.contextLines = context
        var byPatch: [ObjectID: ObjectID] = [:]
        for commit in commits {
            if let id = try repository.patchID(of: repository.commit(commit), options: options), byPatch[id] == nil {
                byPatch[id] = commit
            }
        }
        return byPatch
    }

    private func backMerge(tip: ObjectID, fresh: [ObjectID], baseTip: ObjectID?, integrationBase: ObjectID?) throws
        -> TreePlan.BackMerge?
    {
        // Asked in the order the trial merges ask (the integration tip first): one computation.
        guard let baseTip, let integrationBase, let treeBase = try mergeBases.best(baseTip, tip),
            try !mergeBases.isAncestor(treeBase, of: integrationBase)
        else { return nil }
        let count = try repository.commits(
            in: RevisionRange(terms: [.include(treeBase.hex), .exclude(integrationBase.hex)])
        ).count
        var merges: [CommitSummary] = []
        for commit in fresh {
            let value = try repository.commit(commit)
            guard value.isMerge else { continue }
            for parent in value.parents.dropFirst()
            where try repository.isAncestor(parent, of: baseTip) && !repository.isAncestor(parent, of: integrationBase)
            {
                merges.append(try summary(commit))
                break
            }
        }
        return TreePlan.BackMerge(treeBase: treeBase, newBaseCommits: count, merges: merges)
    }

    private func summary(_ id: ObjectID) throws -> CommitSummary {
        if let known = summaries[id] { return known }
        let commit = try repository.commit(id)
        let value = CommitSummary(
            id: id, subject: commit.summary, author: "\(commit.author.name) <\(commit.author.email)>")
        summaries[id] = value
        return value
    }
}
