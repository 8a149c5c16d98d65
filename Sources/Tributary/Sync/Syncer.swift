import Foundation
public import Git

/// `trib sync`: a sub-tree branch moved onto a new base, in memory. Commits that already landed
/// upstream (the same patch-id, a Link:/Message-ID: naming the same posting, or the same author
/// and subject — so edited copies count) are dropped; the rest are replayed in order, with
/// recorded resolutions for conflicts they match. When any commit conflicts, every conflict is
/// reported and nothing moves. Otherwise the old tip is kept under
/// `refs/tributary/backup/BRANCH/TIME` and the branch moves by compare-and-swap with a reflog
/// entry; a checked-out branch moves with its (clean) work tree.
public final class Syncer {
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// What happened to one commit.
    public struct CommitOutcome: Sendable, Codable {
        public var commit: ObjectID
        public var subject: String
        /// "kept", "dropped" (landed upstream), or "conflict".
        public var outcome: String
        /// For a dropped commit: the upstream commit and the rule that found it.
        public var upstream: ObjectID?
        public var rule: LandingMatcher.Rule?
        /// For a kept commit: its new id.
        public var newCommit: ObjectID?
        public var conflicts: [String]
    }

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
    }

    public let repository: Repository
    public var dryRun = false
    /// Called after the commits are replayed, before the branch moves (for tests).
    public var beforeMove: () -> Void = {}

    public init(repository: Repository) { self.repository = repository }

    public func run(branch: String, onto: ObjectID, integration: ObjectID? = nil) throws -> Report {
        let reference = branch.hasPrefix("refs/") ? branch : "refs/heads/\(branch)"
        guard let tip = try repository.referenceTarget(reference) else {
            throw Refused(description: "no branch \(branch)")
        }
        guard let previousBase = try repository.mergeBase(tip, onto) else {
            throw Refused(description: "\(branch) shares no history with \(onto.abbreviated())")
        }
        let lock = dryRun ? nil : try IntegrationLock(repository: repository, command: "trib sync")
        defer { lock?.release() }
        // What a pull or sync killed after moving its branch left undone.
        let recovered = dryRun ? nil : try BranchMoveJournal.recover(in: repository)
        let checkedOut = try !repository.isBare && repository.headBranch() == reference
        if !dryRun, checkedOut, let status = try repository.workTreeStatus(), !status.isClean {
            throw Refused(
                description:
                    "the work tree of \(branch) has changes (\(status.changed.prefix(5).joined(separator: ", "))); commit or stash them first"
            )
        }
        let ids = try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(onto.hex)])).reversed()
        // Already on top of `onto`: nothing upstream to drop, nothing to replay.
        if previousBase == onto {
            return Report(
                branch: branch, onto: onto, previousBase: previousBase, baseInOnto: true,
                baseInIntegration: try integration.map { try repository.isAncestor(previousBase, of: $0) },
                previousTip: tip, newTip: tip, moved: false, dryRun: dryRun, backup: nil,
                commits: try ids.map { id in
                    CommitOutcome(
                        commit: id, subject: try repository.commit(id).summary, outcome: "kept", upstream: nil,
                        rule: nil, newCommit: id, conflicts: [])
                }, removedLockFiles: lock?.removedLockFiles ?? [], recovered: recovered)
        }
        guard let signature = repository.defaultSignature() else {
            throw Refused(description: "set user.name and user.email (git config): replayed commits need a committer")
        }
        // What upstream gained since the branch's base: where landed copies would be.
        let upstream = try LandingMatcher(
            repository: repository, range: RevisionRange(terms: [.include(onto.hex), .exclude(previousBase.hex)]),
            index: try? IndexDatabase(repository: repository))
        let resolutions = try ResolutionStore(repository: repository).resolutions()
        var running = onto
        var outcomes: [CommitOutcome] = []
        var conflicted = false
        for id in ids {
            let commit = try repository.commit(id)
            guard !commit.isMerge else {
                throw Refused(description: "\(branch) has merge \(id.abbreviated()); sync replays linear branches only")
            }
            var outcome = CommitOutcome(
                commit: id, subject: commit.summary, outcome: "kept", upstream: nil, rule: nil, newCommit: nil,
                conflicts: [])
            if let facts = try LandingMatcher.facts(of: id, in: repository), let (landed, rule) = upstream.match(facts)
            {
                outcome.outcome = "dropped"
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
                    outcome.outcome = "conflict"
                    outcome.conflicts = applied.unresolved
                    conflicted = true
                    outcomes.append(outcome)
                    continue
                }
            }
            var committer = signature
            committer.time = Int64(Date().timeIntervalSince1970)
            running = try repository.createCommit(
                tree: index.writeTree(), parents: [running], author: commit.author, committer: committer,
                message: commit.message)
            outcome.newCommit = running
            outcomes.append(outcome)
        }
        var report = Report(
            branch: branch, onto: onto, previousBase: previousBase,
            baseInOnto: try repository.isAncestor(previousBase, of: onto),
            baseInIntegration: try integration.map { try repository.isAncestor(previousBase, of: $0) },
            previousTip: tip,
            newTip: conflicted ? nil : running,
            moved: false, dryRun: dryRun, backup: nil, commits: outcomes,
            removedLockFiles: lock?.removedLockFiles ?? [], recovered: recovered)
        if conflicted || dryRun { return report }
        beforeMove()
        let backup = try TreeReferences.newBackup(of: branch, in: repository)
        try repository.updateReference(backup, to: tip, expecting: nil, message: "trib sync: backup of \(branch)")
        report.backup = backup
        let dropped = outcomes.filter { $0.outcome == "dropped" }.count
        // Written before the branch moves: a sync killed after that is finished by the next one.
        try BranchMoveJournal(
            command: "trib sync", reference: reference, previousTip: tip, newTip: running, workTreeFollows: checkedOut
        ).store(for: repository)
        do {
            try repository.updateReference(
                reference, to: running, expecting: tip,
                message: "trib sync: onto \(onto.abbreviated()), \(dropped) dropped as upstream")
        } catch {
            try? BranchMoveJournal.remove(for: repository)
            try? repository.updateReference(backup, to: nil, expecting: tip, message: "trib sync: not needed")
            throw Refused(description: "\(branch) moved while sync ran; nothing was changed. Sync again.")
        }
        CrashPoint.reached("branch-moved")
        if checkedOut {
            do {
                try repository.checkout(tree: repository.treeOfCommit(running), from: repository.treeOfCommit(tip))
            } catch {
                try? repository.updateReference(reference, to: tip, expecting: running, message: "trib sync: undone")
                try? BranchMoveJournal.remove(for: repository)
                throw Refused(
                    description: "the work tree could not be updated (\(error)); \(branch) was left as it was")
            }
        }
        try BranchMoveJournal.remove(for: repository)
        report.moved = true
        return report
    }
}
