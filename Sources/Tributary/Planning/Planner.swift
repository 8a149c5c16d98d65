import Foundation
public import Git

/// Answers the integration maintainer's daily question without touching a work tree or a
/// branch: if every tree were pulled now, in merge order, what would break, who would it be
/// with, and what is not ready? See `PlanReport`.
public final class Planner {
    public let repository: Repository
    public let manifest: Manifest
    public let index: IndexDatabase?
    /// Whether to look for the same patch in several places (costs a patch-id per commit).
    public var findsDuplicates = true
    /// At most this many commits of the integration branch and of mainline are compared for
    /// duplicates.
    public var duplicateHorizon = 20_000

    private var summaries: [ObjectID: CommitSummary] = [:]
    /// Warnings and phase times go here.
    public var context = Context()
    /// Time per phase (when the context times phases).
    private var clock = PhaseClock("plan", context: Context())

    private func timed<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
        try clock.measure(phase, body)
    }
    private var sharedCheck: TagCheck?

    public init(repository: Repository, manifest: Manifest, index: IndexDatabase? = nil) {
        self.repository = repository
        self.manifest = manifest
        self.index = index
    }

    /// Plans the trees called `names` (every tree when empty), in merge order.
    public func run(trees names: [String] = []) throws -> PlanReport {
        clock = context.clock("plan")
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
        let integrationBase = try baseTip.flatMap { try repository.mergeBase(integrationTip, $0) }

        // What is new in each tree, relative to the integration branch.
        var tips: [String: ObjectID] = [:]
        var newCommits: [String: [ObjectID]] = [:]
        for tree in trees {
            guard let tip = try repository.referenceTarget(tree.reference) else { continue }
            tips[tree.name] = tip
            newCommits[tree.name] = try timed("new commits") {
                try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(integrationTip.hex)]))
            }
        }
        // Tag checks and duplicates do not depend on the merges: they run on another thread,
        // with a repository handle of its own, while this one merges.
        let side = SideWork()
        let gitDirectory = repository.gitDirectory
        let manifest = manifest
        let index = index
        let findsDuplicates = findsDuplicates
        let horizon = duplicateHorizon
        let frozenNewCommits = newCommits
        let frozenTips = tips
        let frozenBaseTip = baseTip
        let worker = Thread {
            side.finish {
                let helper = Planner(repository: try Repository(at: gitDirectory), manifest: manifest, index: index)
                helper.duplicateHorizon = horizon
                var duplicateIndex: [ObjectID: DuplicateEntry] = [:]
                if findsDuplicates {
                    duplicateIndex = try helper.duplicates(
                        trees: trees.compactMap { tree in frozenNewCommits[tree.name].map { (tree.name, $0) } },
                        integrationTip: integrationTip, integrationBase: integrationBase, baseTip: frozenBaseTip)
                }
                var findings: [String: [TagCheck.CommitResult]] = [:]
                for tree in trees {
                    guard let tip = frozenTips[tree.name], !(frozenNewCommits[tree.name] ?? []).isEmpty else {
                        continue
                    }
                    findings[tree.name] = try helper.tagFindings(for: tree, tip: tip, integrationTip: integrationTip)
                }
                return (duplicateIndex, findings)
            }
        }
        worker.stackSize = 8 << 20
        worker.start()

        let trialMerge = TrialMerge(repository: repository, index: index)
        var running = integrationTip
        var origin: [ObjectID: String] = [:]
        // Commits outside the integration branch that the running result holds.
        var merged = Set<ObjectID>()
        var mergedTips: [ObjectID] = []
        var plans: [TreePlan] = []
        var merges: [String: TrialMerge.Step] = [:]
        for tree in trees {
            guard let tip = tips[tree.name] else { continue }
            let fresh = newCommits[tree.name] ?? []
            // What is new relative to the running result, and the merge bases, without walking
            // the running result's history: when this tree shares no commit outside the
            // integration branch with the trees merged before it, the common ancestors of the
            // running result and the tip are those of the integration tip and the tip.
            let unmerged = fresh.filter { !merged.contains($0) }
            let sharesCommits = unmerged.count != fresh.count
            let step = try timed("merge") {
                try trialMerge.merge(
                    name: tree.name, tip: tip, onto: running, newCommits: unmerged,
                    bases: sharesCommits || unmerged.isEmpty ? nil : try repository.mergeBases(integrationTip, tip),
                    ourSources: [integrationTip] + mergedTips)
            }
            if case .clean = step.outcome {
                running = step.result
                for commit in step.newCommits where origin[commit] == nil { origin[commit] = tree.name }
                merged.formUnion(step.newCommits)
                mergedTips.append(tip)
            }
            merges[tree.name] = step
        }
        let (duplicateIndex, allFindings) = try timed("waiting for tags and duplicates") { try side.wait() }

        for tree in trees {
            guard let tip = tips[tree.name] else {
                plans.append(
                    TreePlan(
                        name: tree.name, url: tree.url, branch: tree.branch, tip: nil, state: .notFetched,
                        newCommits: [], merge: "not-tried", mergedTree: nil, conflicts: [], tagFindings: [],
                        tagErrors: 0, tagWarnings: 0, duplicates: [], rewind: nil, backMerge: nil, cached: false))
                continue
            }
            let fresh = newCommits[tree.name] ?? []
            let step = merges[tree.name]!
            var mergeState = "up-to-date"
            var mergedTree: ObjectID?
            var conflicts: [TreePlan.Conflict] = []
            switch step.outcome {
            case .upToDate: break
            case .clean(let tree):
                mergeState = "clean"
                mergedTree = tree
            case .conflicted(let found):
                mergeState = "conflict"
                conflicts = try found.map { conflict in
                    var groups: [String: [CommitSummary]] = [:]
                    var order: [String] = []
                    for commit in conflict.ourCommits {
                        let place = origin[commit] ?? "integration"
                        if groups[place] == nil { order.append(place) }
                        groups[place, default: []].append(try summary(commit))
                    }
                    return TreePlan.Conflict(
                        conflict: conflict, with: order.map { TreePlan.Attribution(tree: $0, commits: groups[$0]!) },
                        commits: try conflict.theirCommits.map(summary))
                }
            }
            let findings = allFindings[tree.name] ?? []
            let errors = findings.reduce(0) { $0 + $1.findings.filter { $0.severity == .error }.count }
            let warnings = findings.reduce(0) { $0 + $1.findings.filter { $0.severity == .warning }.count }
            let state: TreePlan.State
            if fresh.isEmpty && conflicts.isEmpty {
                state = .upToDate
            } else if !conflicts.isEmpty {
                state = .conflict
            } else if errors > 0 {
                state = .tagProblems
            } else {
                state = .ready
            }
            let treeDuplicates = try fresh.compactMap { commit -> TreePlan.Duplicate? in
                guard let entry = duplicateIndex[commit] else { return nil }
                let copies = entry.copies.filter { $0.commit != commit }
                guard !copies.isEmpty else { return nil }
                return TreePlan.Duplicate(commit: try summary(commit), patchID: entry.patchID, copies: copies)
            }
            let summaries = try timed("summaries") { try fresh.map(summary) }
            let treeRewind = try timed("rewind") { try rewind(of: tree, tip: tip, integrationTip: integrationTip) }
            let treeBackMerge = try timed("back-merge") {
                try backMerge(tip: tip, fresh: fresh, baseTip: baseTip, integrationBase: integrationBase)
            }
            plans.append(
                TreePlan(
                    name: tree.name, url: tree.url, branch: tree.branch, tip: tip, state: state,
                    newCommits: summaries, merge: mergeState, mergedTree: mergedTree, conflicts: conflicts,
                    tagFindings: findings, tagErrors: errors, tagWarnings: warnings, duplicates: treeDuplicates,
                    rewind: treeRewind, backMerge: treeBackMerge, cached: step.fromCache))
        }
        clock.report()
        return PlanReport(
            integration: .init(
                branch: manifest.integration.branch, tip: integrationTip, baseRef: manifest.integration.base,
                baseTip: baseTip, integrationBase: integrationBase, result: running),
            trees: plans)
    }

    /// The result of the work done on the other thread.
    private final class SideWork: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: Result<([ObjectID: DuplicateEntry], [String: [TagCheck.CommitResult]]), any Swift.Error>?

        func finish(_ body: () throws -> ([ObjectID: DuplicateEntry], [String: [TagCheck.CommitResult]])) {
            result = Result { try body() }
            done.signal()
        }

        func wait() throws -> ([ObjectID: DuplicateEntry], [String: [TagCheck.CommitResult]]) {
            done.wait()
            return try result!.get()
        }
    }

    // MARK: Tag findings

    private func tagFindings(for tree: Manifest.Tree, tip: ObjectID, integrationTip: ObjectID) throws
        -> [TagCheck.CommitResult]
    {
        let policy = try manifest.policy(for: tree)
        let key = "tags/1 \(tip.hex) ^\(integrationTip.hex)"
        let fingerprint = policy.fingerprint
        if let data = try index?.tagFindings(of: [ObjectID(hashing: key)], policy: fingerprint).values.first,
            let stored = try? JSONDecoder().decode([TagCheck.CommitResult].self, from: data)
        {
            return stored
        }
        let check: TagCheck
        if let sharedCheck {
            check = try TagCheck(repository: repository, policy: policy, reusingIndexesOf: sharedCheck)
        } else {
            check = try TagCheck(repository: repository, policy: policy)
        }
        let report = try check.run(RevisionRange(terms: [.include(tip.hex), .exclude(integrationTip.hex)]), jobs: 1)
        sharedCheck = check
        let withFindings = report.commits.filter { !$0.findings.isEmpty }
        try index?.storeTagFindings(
            [ObjectID(hashing: key): try JSONEncoder().encode(withFindings)], policy: fingerprint)
        return withFindings
    }

    // MARK: Duplicates

    private struct DuplicateEntry {
        var patchID: ObjectID
        var copies: [TreePlan.Duplicate.Copy]
    }

    /// For each commit whose patch is in more than one place: its patch-id and every copy.
    private func duplicates(
        trees: [(String, [ObjectID])], integrationTip: ObjectID, integrationBase: ObjectID?, baseTip: ObjectID?
    ) throws -> [ObjectID: DuplicateEntry] {
        var places: [(String, [ObjectID])] = trees
        var integrationTerms: [RevisionRange.Term] = [.include(integrationTip.hex)]
        if let integrationBase { integrationTerms.append(.exclude(integrationBase.hex)) }
        if integrationBase != nil || baseTip == nil {
            places.append(
                (
                    "integration",
                    Array(try repository.walk(RevisionRange(terms: integrationTerms)).prefix(duplicateHorizon))
                ))
        }
        if let baseTip {
            let range = RevisionRange(terms: [.include(baseTip.hex), .exclude(integrationTip.hex)])
            places.append(("base", Array(try repository.walk(range).prefix(duplicateHorizon))))
        }
        let all = places.flatMap(\.1)
        var patchIDs = try index?.patchIDs(of: all) ?? [:]
        var computed: [ObjectID: ObjectID?] = [:]
        for commit in all where patchIDs[commit] == nil {
            let value = try repository.commit(commit)
            let id = value.isMerge ? nil : try repository.patchID(of: value)
            patchIDs[commit] = .some(id)
            computed[commit] = .some(id)
        }
        try index?.storePatchIDs(computed)
        var copies: [ObjectID: [TreePlan.Duplicate.Copy]] = [:]
        for (place, commits) in places {
            for commit in commits {
                guard let patchID = patchIDs[commit] ?? nil else { continue }
                copies[patchID, default: []].append(.init(place: place, commit: commit))
            }
        }
        var result: [ObjectID: DuplicateEntry] = [:]
        for (patchID, found) in copies where Set(found.map(\.commit)).count > 1 {
            for copy in found where copy.place != "integration" && copy.place != "base" {
                var seen = Set<ObjectID>()
                let unique = found.filter { seen.insert($0.commit).inserted }
                result[copy.commit] = DuplicateEntry(patchID: patchID, copies: unique)
            }
        }
        return result
    }

    // MARK: Rewinds and back-merges

    private func rewind(of tree: Manifest.Tree, tip: ObjectID, integrationTip: ObjectID) throws -> TreePlan.Rewind? {
        var previous: ObjectID?
        var source = "pulled"
        if let pulled = try repository.referenceTarget(TreeReferences.pulled(tree.name)) {
            previous = pulled
        } else if let last = (try? repository.reflog(of: tree.reference))?.first, last.new == tip,
            last.old != ObjectID.zero
        {
            previous = last.old
            source = "fetched"
        }
        guard let previous, previous != tip, repository.contains(previous),
            try !repository.isAncestor(previous, of: tip)
        else { return nil }
        let dropped = Array(
            try repository.walk(RevisionRange(terms: [.include(previous.hex), .exclude(tip.hex)])).prefix(500))
        let fresh = try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(previous.hex)]))
        var freshByPatch: [ObjectID: ObjectID] = [:]
        for commit in fresh {
            if let id = try repository.patchID(of: repository.commit(commit)) { freshByPatch[id] = commit }
        }
        var droppedCommits: [TreePlan.Rewind.DroppedCommit] = []
        for commit in dropped {
            let value = try repository.commit(commit)
            if value.isMerge { continue }
            let replacement = try repository.patchID(of: value).flatMap { freshByPatch[$0] }
            droppedCommits.append(
                .init(
                    commit: try summary(commit), replacedBy: replacement,
                    pulled: try repository.isAncestor(commit, of: integrationTip)))
        }
        let kind: TreePlan.Rewind.Kind = droppedCommits.allSatisfy { $0.replacedBy != nil } ? .rebased : .rewound
        return TreePlan.Rewind(kind: kind, previousTip: previous, previousSource: source, dropped: droppedCommits)
    }

    private func backMerge(tip: ObjectID, fresh: [ObjectID], baseTip: ObjectID?, integrationBase: ObjectID?) throws
        -> TreePlan.BackMerge?
    {
        guard let baseTip, let integrationBase, let treeBase = try repository.mergeBase(tip, baseTip),
            try !repository.isAncestor(treeBase, of: integrationBase)
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
