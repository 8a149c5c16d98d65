import Foundation
public import Git

/// `trib sync`: a sub-tree branch moved onto a new base, in memory. Commits that already landed
/// upstream (the same patch-id, a Link:/Message-ID: naming the same posting, or the same author
/// and subject — so edited copies count) are dropped; the rest are replayed in order, with
/// recorded resolutions for conflicts they match. When any commit conflicts, every conflict is
/// reported and nothing moves.
///
/// Plan, then execute: `plan` replays the commits (as objects) and says what will happen; `run`
/// plans while holding a `BranchMoveSession`, which keeps the old tip under
/// `refs/tributary/backup/BRANCH/TIME` and moves the branch by compare-and-swap with a reflog
/// entry; a checked-out branch moves with its (clean) work tree.
public final class Syncer {
    /// What happened to one commit.
    public enum Outcome: String, Sendable, Codable, Hashable {
        case kept
        /// Landed upstream already.
        case dropped
        case conflict
    }

    /// What happened to one commit.
    public struct CommitOutcome: Sendable, Codable {
        public var commit: ObjectID
        public var subject: String
        public var outcome: Outcome
        /// For a dropped commit: the upstream commit and the rule that found it.
        public var upstream: ObjectID?
        public var rule: LandingMatcher.Rule?
        /// For a kept commit: its new id.
        public var newCommit: ObjectID?
        public var conflicts: [String]
        /// For a dropped commit: it changed nothing on the new base (its change is there
        /// already), as `git rebase` drops such a commit; `upstream` then names the upstream
        /// commit its added lines come from, when one does.
        public var becameEmpty: Bool = false
    }

    /// What a sync did. JSON schema `tributary.sync/1` (Docs/schemas/sync.schema.json).
    public struct Report: Sendable, Codable {
        public var schema = "tributary.sync/1"
        public var branch: String
        public var onto: ObjectID
        /// The base the branch had (its merge base with `onto`).
        public var previousBase: ObjectID
        /// Where that base stands: contained in the new base, and in the integration branch
        /// (nil when there is none).
        public var baseInOnto: Bool
        public var baseInIntegration: Bool?
        public var previousTip: ObjectID
        public var newTip: ObjectID?
        public var moved: Bool
        public var dryRun: Bool
        public var backup: String?
        public var commits: [CommitOutcome]
        /// `.lock` files a killed trib command left under trib's own references, removed when
        /// this sync took over its lock (relative to the git directory).
        public var removedLockFiles: [String] = []
        /// What this sync finished of an earlier pull or sync that was killed after moving its
        /// branch.
        public var recovered: String?

        /// Whether some commit conflicts (exit status 1).
        public var hasConflicts: Bool { commits.contains { $0.outcome == .conflict } }
    }

    /// What a sync will do: the report it gives if nothing else happens, and the branch's move
    /// (nil when it conflicts or is up to date).
    public struct Plan: Sendable {
        public var report: Report
        public var move: BranchMove?
    }

    public let repository: Repository
    public var dryRun = false
    /// Warnings and phase times go here.
    public var context = Context()

    public init(repository: Repository) { self.repository = repository }

    /// Syncs as `trib sync` does: `branch` (the current branch when nil) onto `onto` (else the
    /// manifest's base, else the branch's upstream), saying whether the old base is in the
    /// manifest's integration branch.
    public func run(branch: String?, onto: String?, manifest: Manifest?) throws -> Report {
        guard let name = try branch ?? repository.headBranch().map({ String($0.dropFirst("refs/heads/".count)) })
        else { throw TributaryError.badInput("HEAD is not on a branch; name the branch to sync") }
        let integrationTip = try manifest.flatMap { try repository.referenceTarget($0.integration.reference) }
        let ontoRevision = onto ?? manifest?.integration.base ?? "\(name)@{upstream}"
        let ontoCommit: ObjectID
        do { ontoCommit = try repository.resolveCommit(ontoRevision) } catch {
            throw TributaryError.badInput("no base to sync onto: give --onto (\(ontoRevision) is not a commit)")
        }
        return try run(branch: name, onto: ontoCommit, integration: integrationTip)
    }

    /// Plans the sync of `branch` onto `onto` and, unless `dryRun`, applies it holding the lock
    /// (after finishing what a killed pull or sync left). `integration`: the integration
    /// branch's tip, to say whether the branch's base is in it.
    public func run(branch: String, onto: ObjectID, integration: ObjectID? = nil) throws -> Report {
        if dryRun { return try plan(branch: branch, onto: onto, integration: integration).report }
        let session = try BranchMoveSession(repository: repository, command: "trib sync", context: context)
        defer { session.release() }
        var plan = try self.plan(branch: branch, onto: onto, integration: integration)
        plan.report.removedLockFiles = session.removedLockFiles
        plan.report.recovered = session.recovered
        guard let move = plan.move else { return plan.report }
        try session.execute(move)
        plan.report.moved = true
        plan.report.backup = move.backup
        return plan.report
    }

    /// Replays `branch`'s commits onto `onto` (objects only) and says what the sync will do.
    public func plan(branch: String, onto: ObjectID, integration: ObjectID? = nil) throws -> Plan {
        let reference = branch.hasPrefix("refs/") ? branch : "refs/heads/\(branch)"
        guard let tip = try repository.referenceTarget(reference) else {
            throw TributaryError.badInput("no branch \(branch)")
        }
        guard let previousBase = try repository.mergeBase(tip, onto) else {
            throw TributaryError.badInput("\(branch) shares no history with \(onto.abbreviated())")
        }
        let checkedOut = try !repository.isBare && repository.headBranch() == reference
        if !dryRun, checkedOut, let status = try repository.workTreeStatus(), !status.isClean {
            throw TributaryError.refused(
                "the work tree of \(branch) has changes (\(status.changed.prefix(5).joined(separator: ", "))); commit or stash them first"
            )
        }
        let ids = try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(onto.hex)])).reversed()
        var report = Report(
            branch: branch, onto: onto, previousBase: previousBase, baseInOnto: true,
            baseInIntegration: try integration.map { try repository.isAncestor(previousBase, of: $0) },
            previousTip: tip, newTip: tip, moved: false, dryRun: dryRun, backup: nil, commits: [])
        // Already on top of `onto`: nothing upstream to drop, nothing to replay.
        if previousBase == onto {
            report.commits = try ids.map { id in
                CommitOutcome(
                    commit: id, subject: try repository.commit(id).summary, outcome: .kept, upstream: nil, rule: nil,
                    newCommit: id, conflicts: [])
            }
            return Plan(report: report, move: nil)
        }
        guard let signature = repository.defaultSignature() else {
            throw TributaryError.refused("set user.name and user.email (git config): replayed commits need a committer")
        }
        let replay = try Replay(
            repository: repository, branch: branch, onto: onto, previousBase: previousBase, git: context.git)
        let (outcomes, newTip) = try replay.run(Array(ids), committer: signature)
        report.baseInOnto = try repository.isAncestor(previousBase, of: onto)
        report.commits = outcomes
        report.newTip = newTip
        guard let newTip else { return Plan(report: report, move: nil) }
        let dropped = outcomes.filter { $0.outcome == .dropped }.count
        let move = BranchMove(
            command: "trib sync", reference: reference, previousTip: tip, newTip: newTip,
            reflogMessage: "trib sync: onto \(onto.abbreviated()), \(dropped) dropped as upstream",
            backup: try TreeReferences.newBackup(of: branch, in: repository), workTreeFollows: checkedOut)
        return Plan(report: report, move: move)
    }
}

/// A sync's replay: each commit dropped when it landed upstream, else merged onto the running
/// result (recorded resolutions settle the conflicts they match) and committed anew.
private struct Replay {
    let repository: Repository
    let branch: String
    /// What upstream gained since the branch's base: where landed copies would be.
    let upstream: LandingMatcher
    let resolutions: [String: ResolutionStore.Resolution]
    let onto: ObjectID
    let previousBase: ObjectID
    let git: GitProgram

    init(repository: Repository, branch: String, onto: ObjectID, previousBase: ObjectID, git: GitProgram) throws {
        self.repository = repository
        self.branch = branch
        self.onto = onto
        self.previousBase = previousBase
        self.git = git
        upstream = try LandingMatcher(
            repository: repository, range: RevisionRange(terms: [.include(onto.hex), .exclude(previousBase.hex)]),
            index: try? IndexDatabase(repository: repository), git: git)
        resolutions = try ResolutionStore(repository: repository).resolutions()
    }

    /// The outcome of each commit, and the new tip (nil when some commit conflicts).
    func run(_ ids: [ObjectID], committer signature: Signature) throws -> ([Syncer.CommitOutcome], ObjectID?) {
        var running = onto
        var outcomes: [Syncer.CommitOutcome] = []
        var conflicted = false
        for id in ids {
            let commit = try repository.commit(id)
            guard !commit.isMerge else {
                throw TributaryError.refused(
                    "\(branch) has merge \(id.abbreviated()); sync replays linear branches only")
            }
            var outcome = Syncer.CommitOutcome(
                commit: id, subject: commit.summary, outcome: .kept, upstream: nil, rule: nil, newCommit: nil,
                conflicts: [])
            if let facts = try LandingMatcher.facts(of: id, in: repository), let (landed, rule) = upstream.match(facts)
            {
                outcome.outcome = .dropped
                outcome.upstream = landed.id
                outcome.rule = rule
                outcomes.append(outcome)
                continue
            }
            let parentTree = try commit.parents.first.map { try repository.treeOfCommit($0) }
            let index = try repository.mergeTrees(
                ancestor: parentTree, ours: repository.treeOfCommit(running), theirs: commit.tree)
            if index.hasConflicts {
                let applied = try ResolutionStore.apply(resolutions, to: index, in: repository)
                if !applied.unresolved.isEmpty || index.hasConflicts {
                    outcome.outcome = .conflict
                    outcome.conflicts = applied.unresolved
                    conflicted = true
                    outcomes.append(outcome)
                    continue
                }
            }
            let tree = try index.writeTree()
            if tree == (try repository.treeOfCommit(running)), commit.tree != parentTree {
                // Its change is on the new base already: dropped as upstream, as git rebase does.
                outcome.outcome = .dropped
                outcome.becameEmpty = true
                outcome.upstream = try upstreamSource(of: commit, parentTree: parentTree)
                outcomes.append(outcome)
                continue
            }
            var committer = signature
            committer.time = Int64(Date().timeIntervalSince1970)
            running = try repository.createCommit(
                tree: tree, parents: [running], author: commit.author, committer: committer,
                message: commit.message)
            outcome.newCommit = running
            outcomes.append(outcome)
        }
        return (outcomes, conflicted ? nil : running)
    }

    /// The upstream commit (since the old base, in `onto`) that most of `commit`'s added lines
    /// come from, by `git blame` of those lines in `onto`; nil when it only deletes, or its lines
    /// are older than the old base.
    func upstreamSource(of commit: Commit, parentTree: ObjectID?) throws -> ObjectID? {
        let ontoTree = try repository.treeOfCommit(onto)
        var lineCounts: [ObjectID: Int] = [:]
        for path in try repository.changedPaths(from: parentTree, to: commit.tree) {
            guard let new = try repository.fileContents(at: path, in: commit.tree),
                let there = try repository.fileContents(at: path, in: ontoTree), !new.prefix(8000).contains(0)
            else { continue }
            let old = try parentTree.flatMap { try repository.fileContents(at: path, in: $0) } ?? []
            // The added lines, as lines of the file in onto.
            let toOnto = try Repository.lineChanges(from: new, to: there)
            var lines: [Int] = []
            for change in try Repository.lineChanges(from: old, to: new) {
                for line in change.newStart..<(change.newStart + change.newCount) {
                    if let mapped = toOnto.newLine(from: line) { lines.append(mapped) }
                }
            }
            guard !lines.isEmpty else { continue }
            let ranges = lines.map { $0..<($0 + 1) }
            for hunk in try git.blame(
                path, at: onto, excluding: [previousBase], lines: ranges,
                in: repository.gitDirectory)
            where hunk.commit != previousBase {
                guard try !repository.isAncestor(hunk.commit, of: previousBase) else { continue }
                lineCounts[hunk.commit, default: 0] += hunk.count
            }
        }
        return lineCounts.max { ($0.value, $1.key.hex) < ($1.value, $0.key.hex) }?.key
    }
}
