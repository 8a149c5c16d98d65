import Foundation
public import Git

/// Merges the manifest's trees into the integration branch for real: in memory, in merge order,
/// with merge commits that name each tree, its URL, branch and tip and summarise what came in;
/// recorded resolutions applied to conflicts they match; fix-ups applied after their tree's
/// merge.
///
/// Plan, then execute: `plan()` makes the merges (as objects no reference names yet) and says
/// what will happen — per tree, and the `BranchMove` of the integration branch; `run()` plans
/// while holding a `BranchMoveSession` and has it apply the move: the branch moves once, by
/// compare-and-swap against the value read at the start, with a reflog entry, and a checked-out
/// branch's clean work tree moves with it.
public final class Puller {
    /// What to do with a conflict that no recorded resolution settles.
    public enum ConflictPolicy: String, Sendable, CaseIterable {
        /// Leave every ref as it was and report the conflict.
        case stop
        /// Leave the tree out, go on, and report it.
        case skip
    }

    /// What happened to one tree.
    public enum Outcome: String, Sendable, Codable, Hashable {
        case merged
        /// Nothing of it is new.
        case upToDate = "up-to-date"
        /// It conflicts and the pull stopped there (`ConflictPolicy.stop`).
        case conflict
        /// It conflicts and was left out (`ConflictPolicy.skip`).
        case skipped
        /// It has no fetched tip.
        case notFetched = "not-fetched"
        /// Its new commits' changes are in the integration branch already: the merge would
        /// change nothing, so none is written.
        case alreadyApplied = "already-applied"
        /// `pull = ff` or `ff-only`: the running result moved to its tip, no merge commit.
        case fastForwarded = "fast-forwarded"
        /// `pull = rebase`: its new commits replayed onto the running result.
        case rebased
        /// `pull = ff-only`, and the running result is not an ancestor of its tip: not pulled
        /// (the pull stops there, or leaves it out with `--on-conflict skip`).
        case notFastForward = "not-fast-forward"
        /// `trib pull --verify`: its merge breaks the build (alone or with an earlier tree); the
        /// pull stopped there (`--on-broken stop`) or left it out (`skip`).
        case broken

        /// Whether the tree is in the result (merged, fast-forwarded, rebased, or there already).
        public var isPulled: Bool { [.merged, .alreadyApplied, .fastForwarded, .rebased].contains(self) }
    }

    /// What happened to one tree.
    public struct TreeResult: Sendable, Codable {
        public var name: String
        public var tip: ObjectID?
        public var outcome: Outcome
        public var newCommits: Int
        /// The running result this tree was merged onto.
        public var onto: ObjectID?
        public var mergeCommit: ObjectID?
        /// Conflicts no recorded resolution settled.
        public var conflicts: [MergeConflict]
        /// Ids of the recorded resolutions applied.
        public var resolutionsUsed: [String]
        /// Recorded resolutions for a conflicted path that no longer match its conflict.
        public var staleResolutions: [String]
        /// Fix-ups applied: merge fix-ups by id, the tree's own by name.
        public var fixupsApplied: [String]
        /// Fix-ups due that no longer apply (never applied in part).
        public var staleFixups: [String]
        /// Conflicted paths (not in file contents) that a fix-up applied settles.
        public var settledByFixups: [String]
        /// The directory a recorded subtree merge put this tree's project in, when the manifest
        /// names none.
        public var subtree: String?
        /// Why the build gate refused it (`outcome == .broken`): "breaks the build at COMMIT",
        /// "breaks the build with TREE".
        public var broken: String?

        init(name: String) {
            self.name = name
            outcome = .notFetched
            newCommits = 0
            conflicts = []
            resolutionsUsed = []
            staleResolutions = []
            fixupsApplied = []
            staleFixups = []
            settledByFixups = []
        }
    }

    /// What a pull did. JSON schema `tributary.pull/1` (Docs/schemas/pull.schema.json).
    public struct Report: Sendable, Codable {
        public var schema = "tributary.pull/1"
        public var branch: String
        public var previousTip: ObjectID?
        /// The branch's new tip (or what it would be, with `dryRun`).
        public var newTip: ObjectID?
        /// Whether the branch moved.
        public var moved: Bool
        public var dryRun: Bool
        public var rebuild: Bool
        /// The tree whose conflict stopped the pull.
        public var stoppedAt: String?
        /// The backup ref of the old tip, for a rebuild.
        public var backup: String?
        public var trees: [TreeResult]
        /// Merge fix-ups this pull retired (`id: why`), reported this once.
        public var retiredFixups: [String] = []
        /// `.lock` files a killed pull left under trib's own references, removed when this pull
        /// took over its lock (relative to the git directory).
        public var removedLockFiles: [String] = []
        /// What this pull finished of an earlier pull or sync that was killed after moving its
        /// branch.
        public var recovered: String?

        /// What the build gate said of the result the branch moved to (`trib pull --verify`).
        public var verified: String?
        /// Why the build gate refused the whole pull (nothing moved).
        public var blocked: String?

        /// Whether a tree was left out or stopped the pull (exit status 1).
        public var hasConflicts: Bool {
            stoppedAt != nil || blocked != nil
                || trees.contains { [.skipped, .notFastForward, .broken].contains($0.outcome) }
        }
    }

    /// What a pull will do, before anything but objects is written.
    public struct Plan: Sendable {
        public var branch: String
        public var previousTip: ObjectID?
        public var rebuild: Bool
        /// Per tree, in merge order; the last is the one that stopped the pull, if one did.
        public var trees: [TreeResult]
        public var stoppedAt: String?
        /// The result of every merge made (the branch's new tip unless the pull stopped).
        public var result: ObjectID
        /// The commit the merges start from, and the running result after each tree of `trees`
        /// (empty once a gate has added trees it left out).
        public var start: ObjectID
        public var steps: [ObjectID] = []
        /// How the branch moves; nil when the pull stopped or brings nothing new.
        public var move: BranchMove?
        /// Merge fix-ups retired (`id: why`); the move marks them so in the resolutions ref.
        public var retiredFixups: [String] = []
        /// Why the build gate refused the whole plan (nothing moves).
        public var blocked: String?

        /// The report of this plan when it is not (or not yet) executed.
        func report(dryRun: Bool) -> Report {
            Report(
                branch: branch, previousTip: previousTip, newTip: stoppedAt == nil ? result : previousTip,
                moved: false, dryRun: dryRun, rebuild: rebuild, stoppedAt: stoppedAt, backup: nil, trees: trees,
                retiredFixups: retiredFixups, blocked: blocked)
        }
    }

    public let repository: Repository
    public let manifest: Manifest
    public var treeNames: [String] = []
    public var dryRun = false
    public var onConflict = ConflictPolicy.stop
    public var rebuild = false
    /// Tips to merge instead of the fetched `refs/tributary/trees/NAME`, by tree name (a commit of
    /// the tree, when `trib verify` looks for the commit that broke the build).
    public var tips: [String: ObjectID] = [:]
    /// The commit to merge onto instead of the branch's tip (or the base, for a rebuild).
    public var startOverride: ObjectID?
    /// Decides, before the branch moves (and in a dry run), whether the plan's result may be
    /// pulled (`trib pull --verify`'s build gate): accept it, refuse a tree, or block it all.
    public var gate: ((Plan) throws -> Gate)?
    /// What the gate does with a tree it refuses.
    public var onBroken = ConflictPolicy.stop
    /// The author and committer of the merge commits; default: the repository's user.name and
    /// user.email, now.
    public var signature: Signature?
    /// The index: merges reused and stored, and brought up to date after the branch moves.
    public var index: IndexDatabase?
    /// Progress (the tree being merged), warnings and phase times go here.
    public var context = Context()

    /// A gate's verdict on a plan.
    public enum Gate: Sendable {
        /// The plan may be pulled; the note is the report's `verified`.
        case accept(note: String)
        /// A tree breaks it: the pull stops there, or leaves it out (`onBroken`).
        case refuse(tree: String, why: String)
        /// Nothing may be pulled, no tree being to blame (the start fails already).
        case block(why: String)
    }

    public init(repository: Repository, manifest: Manifest) {
        self.repository = repository
        self.manifest = manifest
    }

    /// Plans the pull (`plan()`) and, unless `dryRun`, applies it: the lock is held from before the
    /// plan until the branch has moved, and what a killed pull or sync left is finished first.
    /// When the branch moved, the index's places are brought up to date (a failure there is a
    /// warning: the index catches up on its next use).
    public func run() throws -> Report {
        if dryRun {
            let (plan, verified) = try gatedPlan()
            var report = plan.report(dryRun: true)
            report.verified = verified
            return report
        }
        let session = try BranchMoveSession(repository: repository, command: "trib pull", context: context)
        defer { session.release() }
        let (plan, verified) = try gatedPlan()
        var report = plan.report(dryRun: false)
        report.verified = verified
        report.removedLockFiles = session.removedLockFiles
        report.recovered = session.recovered
        guard let move = plan.move else { return report }
        try session.execute(move)
        report.moved = true
        report.backup = move.backup
        refreshIndex()
        return report
    }

    /// The plan, passed through the gate: a refused tree stops the pull (`onBroken == .stop`:
    /// nothing moves, the trees after it are not listed) or is left out and the rest planned
    /// again, until the gate accepts a plan; a blocked plan moves nothing.
    private func gatedPlan() throws -> (Plan, String?) {
        guard let gate else { return (try plan(), nil) }
        let asked = treeNames
        defer { treeNames = asked }
        var leftOut: [(tree: String, why: String)] = []
        var names = try manifest.trees(named: treeNames).map(\.name)
        while true {
            treeNames = names
            var plan = try self.plan()
            if plan.stoppedAt != nil || plan.move == nil { return (marking(leftOut, in: plan), nil) }
            switch try gate(plan) {
            case .accept(let note):
                return (marking(leftOut, in: plan), note)
            case .block(let why):
                plan = Self.movingNothing(marking(leftOut, in: plan))
                plan.blocked = why
                return (plan, nil)
            case .refuse(let tree, let why) where onBroken == .stop:
                plan = Self.movingNothing(marking(leftOut + [(tree, why)], in: plan))
                if let index = plan.trees.firstIndex(where: { $0.name == tree }) {
                    plan.trees.removeSubrange((index + 1)...)
                    plan.steps = Array(plan.steps.prefix(plan.trees.count))
                }
                plan.stoppedAt = tree
                return (plan, nil)
            case .refuse(let tree, let why):
                leftOut.append((tree, why))
                names.removeAll { $0 == tree }
                // Every tree left out: nothing is pulled.
                if names.isEmpty { return (Self.movingNothing(marking(leftOut, in: plan)), nil) }
            }
        }
    }

    /// `plan` with no move: the branch keeps its tip.
    private static func movingNothing(_ plan: Plan) -> Plan {
        var plan = plan
        plan.move = nil
        plan.result = plan.previousTip ?? plan.start
        return plan
    }

    /// `plan` with the trees the gate left out listed as broken, all in merge order.
    private func marking(_ leftOut: [(tree: String, why: String)], in plan: Plan) -> Plan {
        var plan = plan
        for (tree, why) in leftOut {
            if !plan.trees.contains(where: { $0.name == tree }) { plan.trees.append(TreeResult(name: tree)) }
            let index = plan.trees.firstIndex { $0.name == tree }!
            plan.trees[index].outcome = .broken
            plan.trees[index].broken = why
        }
        let order = Dictionary(
            manifest.trees.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let planned = plan.trees.map(\.name)
        plan.trees = plan.trees.enumerated().sorted {
            (order[$0.element.name] ?? 0, $0.offset) < (order[$1.element.name] ?? 0, $1.offset)
        }.map(\.element)
        // A left-out tree has no step: the steps no longer go with the trees, and are not kept.
        if plan.trees.map(\.name) != planned { plan.steps = [] }
        return plan
    }

    /// The index's commits of the places that moved, read now rather than at its next use.
    private func refreshIndex() {
        guard manifest.integration.base != nil, let index else { return }
        do {
            _ = try LedgerPlaces.update(repository: repository, manifest: manifest, index: index, context: context)
        } catch {
            context.warn("the index was not brought up to date (\(error)); it catches up when next used")
        }
    }

    /// Merges every tree onto the running result and says what the pull will do. Writes only
    /// objects (merge commits no reference names yet) and the index's merge results.
    public func plan() throws -> Plan {
        let start = try startingPoint()
        guard let signature = signature ?? repository.defaultSignature() else {
            throw TributaryError.refused("set user.name and user.email (git config): merge commits need an author")
        }
        var merging = try TreeMerging(
            puller: self, start: start.commit, signature: signature, clock: context.clock("pull"))
        defer { merging.clock.report() }
        var results: [TreeResult] = []
        var steps: [ObjectID] = []
        var stoppedAt: String?
        for tree in try manifest.trees(named: treeNames) {
            context.progress("pulling \(tree.name)")
            let result = try merging.merge(tree)
            results.append(result)
            steps.append(merging.running)
            if result.outcome == .conflict || (result.outcome == .notFastForward && onConflict == .stop) {
                stoppedAt = tree.name
                break
            }
        }
        context.progress(nil)
        var plan = Plan(
            branch: manifest.integration.branch, previousTip: start.previousTip, rebuild: rebuild, trees: results,
            stoppedAt: stoppedAt, result: merging.running, start: start.commit, steps: steps, move: nil)
        let retired = try merging.retiredFixups(results: results)
        plan.retiredFixups = retired.map { "\($0.fixup.id): \($0.reason)" }
        if stoppedAt == nil && merging.running != start.previousTip {
            plan.move = try move(for: plan, workTreeFollows: start.checkedOut, signature: signature)
            if let marked = try ResolutionStore(repository: repository).retirement(
                of: retired.map { $0.fixup.retiring(because: $0.reason) },
                message: "trib pull: retired \(plan.retiredFixups.joined(separator: ", "))")
            {
                plan.move?.references.append(.init(name: ResolutionStore.reference, target: marked.commit))
            }
        }
        return plan
    }

    /// The branch's tip, the commit the merges start from (the tip, or the base for a rebuild),
    /// and whether a work tree follows the branch (then it must be clean).
    private func startingPoint() throws -> (previousTip: ObjectID?, commit: ObjectID, checkedOut: Bool) {
        let branch = manifest.integration.branch
        let reference = manifest.integration.reference
        let previousTip = try repository.referenceTarget(reference)
        let start: ObjectID
        if let startOverride {
            start = startOverride
        } else if rebuild {
            guard let base = manifest.integration.base else {
                throw TributaryError.badInput("--rebuild needs the manifest's integration.base")
            }
            start = try repository.resolveCommit(base)
        } else {
            guard let previousTip else {
                throw TributaryError.refused(
                    "the integration branch \(branch) does not exist (create it, or use --rebuild)")
            }
            start = previousTip
        }
        // Merging onto a commit given (trib verify's states) moves no branch: no work tree follows.
        let checkedOut = try startOverride == nil && !repository.isBare && repository.headBranch() == reference
        if checkedOut, let status = try repository.workTreeStatus(), !status.isClean {
            let listed = status.changed.prefix(5).joined(separator: ", ")
            throw TributaryError.refused(
                "the work tree of \(branch) has changes (\(listed)\(status.changed.count > 5 ? ", …" : "")); commit or stash them first"
            )
        }
        return (previousTip, start, checkedOut)
    }

    /// The integration branch's move for `plan`: the merged tips as `refs/tributary/pulled/NAME`,
    /// a backup of the old tip for a rebuild, and the log entry.
    private func move(for plan: Plan, workTreeFollows: Bool, signature: Signature) throws -> BranchMove {
        let merged = plan.trees.filter { $0.outcome.isPulled && $0.outcome != .alreadyApplied }
        let pulled = plan.trees.filter { $0.outcome.isPulled }
        let message = "trib pull\(rebuild ? " --rebuild" : ""): merged \(merged.map(\.name).joined(separator: ", "))"
        let backup =
            try rebuild && plan.previousTip != nil ? TreeReferences.newBackup(of: plan.branch, in: repository) : nil
        let entry = PullLog.Entry(
            branch: plan.branch, previousTip: plan.previousTip, newTip: plan.result, rebuild: rebuild, backup: backup,
            trees: plan.trees.map {
                .init(
                    name: $0.name, tip: $0.tip ?? .zero, outcome: $0.outcome, resolutions: $0.resolutionsUsed,
                    fixups: $0.fixupsApplied, staleFixups: $0.staleFixups)
            }, who: "\(signature.name) <\(signature.email)>", when: Int64(Date().timeIntervalSince1970))
        return BranchMove(
            command: "trib pull", reference: manifest.integration.reference, previousTip: plan.previousTip,
            newTip: plan.result, reflogMessage: message, backup: backup, workTreeFollows: workTreeFollows,
            references: pulled.compactMap { result in
                result.tip.map { .init(name: TreeReferences.pulled(result.name), target: $0) }
            }, log: try PullLog.append(of: entry))
    }
}
