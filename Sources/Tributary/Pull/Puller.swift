import Foundation
public import Git

/// Merges the manifest's trees into the integration branch for real: in memory, in merge order,
/// with merge commits that name each tree, its URL, branch and tip and summarise what came in;
/// recorded resolutions applied to conflicts they match; fix-ups applied after their tree's
/// merge. The branch moves once, at the end, by compare-and-swap against the value read at the
/// start, with a reflog entry; a checked-out branch's clean work tree moves with it.
public final class Puller {
    /// What to do with a conflict that no recorded resolution settles.
    public enum ConflictPolicy: String, Sendable, CaseIterable {
        /// Leave every ref as it was and report the conflict.
        case stop
        /// Leave the tree out, go on, and report it.
        case skip
    }

    /// A pull that must not go ahead: a dirty work tree, a branch moved meanwhile, no identity.
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// What happened to one tree.
    public struct TreeResult: Sendable, Codable {
        public var name: String
        public var tip: ObjectID?
        /// "merged", "up-to-date", "conflict" (the pull stopped there), "skipped", "not-fetched".
        public var outcome: String
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
        public var fixupsApplied: [String]
        /// Fix-ups that no longer apply.
        public var staleFixups: [String]
    }

    /// What a pull did.
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
        /// `.lock` files a killed pull left under trib's own references, removed when this pull
        /// took over its lock (relative to the git directory).
        public var removedLockFiles: [String] = []
        /// What this pull finished of an earlier pull or sync that was killed after moving its
        /// branch.
        public var recovered: String?
    }

    public let repository: Repository
    public let manifest: Manifest
    public var treeNames: [String] = []
    public var dryRun = false
    public var onConflict = ConflictPolicy.stop
    public var rebuild = false
    /// The author and committer of the merge commits; default: the repository's user.name and
    /// user.email, now.
    public var signature: Signature?
    public var index: IndexDatabase?
    /// Called before each tree (for progress).
    public var progress: (String) -> Void = { _ in }

    public init(repository: Repository, manifest: Manifest) {
        self.repository = repository
        self.manifest = manifest
    }

    public func run() throws -> Report {
        let lock = dryRun ? nil : try IntegrationLock(repository: repository, command: "trib pull")
        defer { lock?.release() }
        // What a pull killed after moving the branch left undone.
        let recovered = dryRun ? nil : try BranchMoveJournal.recover(in: repository)
        let branch = manifest.integration.branch
        let reference = manifest.integration.reference
        let previousTip = try repository.referenceTarget(reference)
        var start: ObjectID
        if rebuild {
            guard let base = manifest.integration.base else {
                throw Refused(description: "--rebuild needs the manifest's integration.base")
            }
            start = try repository.resolveCommit(base)
        } else {
            guard let previousTip else {
                throw Refused(
                    description: "the integration branch \(branch) does not exist (create it, or use --rebuild)")
            }
            start = previousTip
        }
        // A checked-out integration branch moves with its work tree, which must be clean.
        let checkedOut = try !repository.isBare && repository.headBranch() == reference
        if checkedOut, let status = try repository.workTreeStatus(), !status.isClean {
            let listed = status.changed.prefix(5).joined(separator: ", ")
            throw Refused(
                description:
                    "the work tree of \(branch) has changes (\(listed)\(status.changed.count > 5 ? ", …" : "")); commit or stash them first"
            )
        }
        guard let signature = signature ?? repository.defaultSignature() else {
            throw Refused(description: "set user.name and user.email (git config): merge commits need an author")
        }

        let store = ResolutionStore(repository: repository)
        let resolutions = try store.resolutions()
        let fixups = try store.fixups()
        let trialMerge = TrialMerge(repository: repository, index: index)
        let clock = PhaseClock("pull")
        defer { clock.report() }
        var running = start
        var merged = Set<ObjectID>()
        // What the running result is made of, for the conflict analysis (as the plan does it).
        var sources = [start]
        var results: [TreeResult] = []
        var stoppedAt: String?

        for tree in try manifest.trees(named: treeNames) {
            progress(tree.name)
            var result = TreeResult(
                name: tree.name, tip: nil, outcome: "not-fetched", newCommits: 0, onto: nil, mergeCommit: nil,
                conflicts: [],
                resolutionsUsed: [], staleResolutions: [], fixupsApplied: [], staleFixups: [])
            guard let tip = try repository.referenceTarget(tree.reference) else {
                results.append(result)
                continue
            }
            result.tip = tip
            result.onto = running
            let fresh = try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(start.hex)]))
            let unmerged = fresh.filter { !merged.contains($0) }
            result.newCommits = unmerged.count
            clock.mark("new commits")
            if unmerged.isEmpty {
                result.outcome = "up-to-date"
                results.append(result)
                continue
            }
            let bases =
                unmerged.count == fresh.count
                ? try repository.mergeBases(start, tip) : try repository.mergeBases(running, tip)
            guard !bases.isEmpty else {
                throw Refused(description: "\(tree.name) shares no history with \(branch)")
            }
            clock.mark("merge bases")
            let key = try trialMerge.cacheKey(bases: bases, ours: running, theirs: tip)
            var mergedTree: ObjectID?
            let stored = try index?.merge(forKey: key)
            clock.mark("cached merges")
            var mergeIndex: MergeIndex?
            if let stored, let tree = stored.tree, repository.contains(tree) {
                mergedTree = tree
            } else {
                switch try trialMerge.merged(ours: running, theirs: tip, bases: bases) {
                case .tree(let tree):
                    mergedTree = tree
                    try index?.storeMerge(
                        .of(ours: running, theirs: tip, base: bases.first, tree: tree, conflicts: []), forKey: key)
                case .index(let whole): mergeIndex = whole
                }
                clock.mark("merge")
            }
            if let mergeIndex {
                if mergeIndex.hasConflicts {
                    let outcome = try ResolutionStore.apply(resolutions, to: mergeIndex, in: repository)
                    clock.mark("resolutions")
                    result.resolutionsUsed = outcome.used
                    if outcome.unresolved.isEmpty && !mergeIndex.hasConflicts {
                        mergedTree = try mergeIndex.writeTree()
                    } else {
                        // Describe the conflicts as the plan does: from this merge when no
                        // resolution changed it, else from a fresh one.
                        let described =
                            outcome.used.isEmpty
                            ? try ConflictAnalyzer(repository: repository, blameCache: trialMerge.blameCache)
                                .conflicts(
                                    in: mergeIndex, ours: running, theirs: tip, base: bases.first, ourSources: sources)
                            : try trialMerge.merge(
                                name: tree.name, tip: tip, onto: running, bases: bases, ourSources: sources
                            ).conflicts
                        result.conflicts = described.filter { outcome.unresolved.contains($0.path) }
                        if result.conflicts.isEmpty { result.conflicts = described }
                        clock.mark("describe conflicts")
                        result.staleResolutions = resolutions.values.filter { resolution in
                            outcome.unresolved.contains(resolution.path)
                                && (resolution.tree == nil || resolution.tree == tree.name)
                        }.map(\.id).sorted()
                        result.outcome = onConflict == .stop ? "conflict" : "skipped"
                        results.append(result)
                        if onConflict == .stop {
                            stoppedAt = tree.name
                            break
                        }
                        continue
                    }
                } else {
                    mergedTree = try mergeIndex.writeTree()
                    try index?.storeMerge(
                        .of(ours: running, theirs: tip, base: bases.first, tree: mergedTree, conflicts: []),
                        forKey: key)
                }
                clock.mark("write tree")
            }
            var commit = try repository.createCommit(
                tree: mergedTree!, parents: [running, tip], author: signature, committer: signature,
                message: try mergeMessage(tree, tip: tip, commits: unmerged, into: branch))
            clock.mark("merge commit")
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
            running = commit
            merged.formUnion(unmerged)
            sources.append(tip)
            result.outcome = "merged"
            result.mergeCommit = commit
            results.append(result)
        }

        var report = Report(
            branch: branch, previousTip: previousTip, newTip: running, moved: false, dryRun: dryRun, rebuild: rebuild,
            stoppedAt: stoppedAt, backup: nil, trees: results, removedLockFiles: lock?.removedLockFiles ?? [],
            recovered: recovered)
        if stoppedAt != nil {
            report.newTip = previousTip
            return report
        }
        if dryRun || running == previousTip { return report }

        if rebuild, let previousTip {
            let backup = try TreeReferences.newBackup(of: branch, in: repository)
            try repository.updateReference(
                backup, to: previousTip, expecting: nil, message: "trib pull --rebuild: backup")
            report.backup = backup
        }
        let names = results.filter { $0.outcome == "merged" }.map(\.name)
        let message = "trib pull\(rebuild ? " --rebuild" : ""): merged \(names.joined(separator: ", "))"
        let entry = PullLog.Entry(
            branch: branch, previousTip: previousTip, newTip: running, rebuild: rebuild, backup: report.backup,
            trees: results.map {
                .init(
                    name: $0.name, tip: $0.tip ?? .zero, outcome: $0.outcome, resolutions: $0.resolutionsUsed,
                    fixups: $0.fixupsApplied, staleFixups: $0.staleFixups)
            }, who: "\(signature.name) <\(signature.email)>", when: Int64(Date().timeIntervalSince1970))
        var pulled: [String: ObjectID] = [:]
        for result in results where result.outcome == "merged" { pulled[result.name] = result.tip }
        // Written before the branch moves: a pull killed after that is finished by the next one.
        try BranchMoveJournal(
            command: "trib pull", reference: reference, previousTip: previousTip, newTip: running,
            workTreeFollows: checkedOut, pulled: pulled, entry: entry
        ).store(for: repository)
        CrashPoint.reached("journal-written")
        do {
            try moveBranch(reference, to: running, from: previousTip, message: message, branch: branch)
        } catch {
            try? BranchMoveJournal.remove(for: repository)
            throw error
        }
        CrashPoint.reached("branch-moved")
        if checkedOut, let previousTip {
            do {
                try repository.checkout(
                    tree: repository.treeOfCommit(running), from: repository.treeOfCommit(previousTip))
            } catch {
                try? repository.updateReference(
                    reference, to: previousTip, expecting: running,
                    message: "trib pull: undone, the work tree could not follow")
                try? BranchMoveJournal.remove(for: repository)
                throw Refused(
                    description: "the work tree could not be updated (\(error)); \(branch) was left as it was")
            }
            CrashPoint.reached("work-tree-updated")
        }
        report.moved = true
        for (name, tip) in pulled.sorted(by: { $0.key < $1.key }) {
            let pulledReference = TreeReferences.pulled(name)
            try repository.updateReference(
                pulledReference, to: tip, expecting: try repository.referenceTarget(pulledReference), message: message)
        }
        CrashPoint.reached("pulled-references-written")
        try PullLog(repository: repository).append(entry)
        try BranchMoveJournal.remove(for: repository)
        return report
    }

    /// Moves the integration branch by compare-and-swap; a branch someone else moved meanwhile
    /// is reported as such.
    private func moveBranch(
        _ reference: String, to new: ObjectID, from old: ObjectID?, message: String, branch: String
    ) throws {
        do {
            try repository.updateReference(reference, to: new, expecting: old, message: message)
        } catch {
            guard error.code == .modified || error.code == .exists else { throw error }
            throw Refused(
                description:
                    "\(branch) moved while the pull ran (it was \(old?.abbreviated() ?? "absent")); nothing was written. Pull again."
            )
        }
    }

    /// The merge commit's message: what, from where, and a shortlog of what came in.
    private func mergeMessage(_ tree: Manifest.Tree, tip: ObjectID, commits: [ObjectID], into branch: String) throws
        -> String
    {
        var text = "Merge tree '\(tree.name)' into \(branch)\n\n"
        text += "Tree:   \(tree.name)\nURL:    \(tree.url)\nBranch: \(tree.branch)\nTip:    \(tip.hex)\n\n"
        let summaries = try commits.map { try repository.commit($0) }.filter { !$0.isMerge }
        text += "\(commits.count) new commit\(commits.count == 1 ? "" : "s")"
        text += summaries.count == commits.count ? ":\n" : " (\(commits.count - summaries.count) merges):\n"
        for commit in summaries.reversed().prefix(100) { text += "  \(commit.summary)\n" }
        if summaries.count > 100 { text += "  … and \(summaries.count - 100) more\n" }
        return text
    }
}
