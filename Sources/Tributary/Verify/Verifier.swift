import Foundation
public import Git

/// Runs the verify commands on an integration result and, when it fails, names the culprit: the
/// first tree in merge order whose merge makes it fail (bisection over the results after each
/// tree), the first commit of that tree that fails on top of the trees before it (bisection over
/// its first-parent commits), and whether it fails alone (base + that tree) or only with an
/// earlier tree, which is found by bisection too. Every state is a real merge made as the pull
/// makes it (`Puller`, with recorded resolutions and fix-ups); every run is kept by tree
/// (`VerifyResults`), so states already run are not run again.
public final class Verifier {
    public enum Target: String, Sendable {
        /// What `trib pull` would make now.
        case plan
        /// What the last `trib pull` made (its merges made again, checked against its result).
        case lastPull = "last-pull"
    }

    public let repository: Repository
    public let manifest: Manifest
    public var commands: [VerificationCommand]
    public var jobs = 1
    public var treeNames: [String] = []
    public var rebuild = false
    /// Run a fresh failure of the whole result again before searching: one that passes then is
    /// reported as flaky.
    public var confirmFailures = true
    public var signature: Signature?
    public var index: IndexDatabase?
    public var context = Context()
    /// A line per run as it ends (the CLI's progress).
    public var announce: @Sendable (String) -> Void = { _ in }

    public init(repository: Repository, manifest: Manifest, commands: [VerificationCommand]) {
        self.repository = repository
        self.manifest = manifest
        self.commands = commands
    }

    /// Verifies `target`'s result with every command in turn, stopping at the first that is
    /// broken.
    public func verify(_ target: Target) throws -> VerifyReport {
        let plan = try target == .plan ? planned() : lastPull()
        return try verify(plan, target: target.rawValue)
    }

    /// Verifies the result of `plan` (the pull's; `trib pull --verify` gates on this).
    public func verify(_ plan: Puller.Plan, target: String) throws -> VerifyReport {
        let states = try IntegrationStates(plan: plan, repository: repository)
        var report = VerifyReport(
            branch: manifest.integration.branch, target: target, start: states.start, trees: states.trees.map(\.name),
            result: try states.tree(of: states.commits.last!), verdict: .passed, commands: [])
        for command in commands {
            let runner = try VerifyRunner(repository: repository, command: command, jobs: jobs, git: context.git)
            runner.announce = announce
            var search = CommandSearch(verifier: self, states: states, runner: runner)
            let result = try search.run()
            report.commands.append(result)
            if result.verdict != .passed && result.verdict != .flaky {
                report.verdict = result.verdict
                break
            }
            if result.verdict == .flaky { report.verdict = .flaky }
        }
        return report
    }

    /// The pull's plan now: the merges `trib pull` (with `rebuild`) would make.
    func planned() throws -> Puller.Plan {
        let puller = makePuller()
        puller.treeNames = treeNames
        puller.rebuild = rebuild
        let tip = try repository.referenceTarget(manifest.integration.reference)
        if !rebuild, tip == nil {
            throw TributaryError.refused(
                "the integration branch \(manifest.integration.branch) does not exist (verify --rebuild)")
        }
        if !rebuild { puller.startOverride = tip }
        return try puller.plan()
    }

    /// The last pull's merges made again from its log entry (its start, its trees' tips), which
    /// must come to the tree its result has.
    func lastPull() throws -> Puller.Plan {
        guard let entry = try PullLog(repository: repository).entries(limit: 1).first else {
            throw TributaryError.refused("no pull is logged yet (refs/tributary/log): verify the plan instead")
        }
        let puller = makePuller()
        let pulled = entry.trees.filter { $0.outcome.isPulled }
        puller.treeNames = pulled.map(\.name)
        puller.tips = Dictionary(pulled.map { ($0.name, $0.tip) }, uniquingKeysWith: { _, last in last })
        // A rebuild (or the pull that made the branch) started from the base; any other from
        // the tip the branch had.
        if let previousTip = entry.previousTip, !entry.rebuild {
            puller.startOverride = previousTip
        } else {
            puller.rebuild = true
        }
        let plan = try puller.plan()
        if try repository.treeOfCommit(plan.result) != repository.treeOfCommit(entry.newTip) {
            throw TributaryError.refused(
                "the last pull's merges made again do not come to its result \(entry.newTip.hex.prefix(12))"
                    + " (its base or resolutions changed since): verify the plan instead")
        }
        return plan
    }

    /// A puller for the states: the same manifest, index and signature, merges onto the commit
    /// given.
    func makePuller() -> Puller {
        let puller = Puller(repository: repository, manifest: manifest)
        puller.signature = signature
        puller.index = index
        puller.context = context
        return puller
    }

    /// The result of merging `tree` (at `tip`, else its fetched tip) onto `start`, as the pull
    /// merges it; nil when it does not merge (a conflict no resolution settles).
    func merged(_ tree: String, tip: ObjectID? = nil, onto start: ObjectID) throws -> ObjectID? {
        let puller = makePuller()
        puller.startOverride = start
        puller.treeNames = [tree]
        if let tip { puller.tips = [tree: tip] }
        let plan = try puller.plan()
        guard plan.stoppedAt == nil, let result = plan.trees.first,
            result.outcome.isPulled || result.outcome == .upToDate
        else { return nil }
        return plan.result
    }
}

/// The states of an integration result: the start, then the result after each tree whose merge
/// changed it.
struct IntegrationStates {
    struct Step {
        var name: String
        var tip: ObjectID?
        var commit: ObjectID
    }

    let start: ObjectID
    let trees: [Step]
    let repository: Repository

    /// The start and then each tree's result.
    var commits: [ObjectID] { [start] + trees.map(\.commit) }

    init(plan: Puller.Plan, repository: Repository) throws {
        self.repository = repository
        start = plan.start
        var steps: [Step] = []
        var previous = try repository.treeOfCommit(plan.start)
        for (result, commit) in zip(plan.trees, plan.steps) where result.outcome.isPulled {
            let tree = try repository.treeOfCommit(commit)
            if tree != previous { steps.append(Step(name: result.name, tip: result.tip, commit: commit)) }
            previous = tree
        }
        trees = steps
    }

    func tree(of commit: ObjectID) throws -> ObjectID { try repository.treeOfCommit(commit) }
}
