import Foundation
public import Git

#if canImport(Glibc)
    import Glibc
#endif

/// What a mutating command still has to do once it moves a branch — the work tree of a
/// checked-out branch and, for `trib pull`, the `refs/tributary/pulled/NAME` references and the
/// log entry — written to `GIT_DIR/tributary/move-journal.json` just before the branch moves and
/// removed when all of it is done.
///
/// A command killed in between leaves the journal behind. The next `trib pull` or `trib sync`,
/// holding the lock (so the journal's writer is gone), finishes that work when the branch is
/// where the journal says it went, and only removes the journal otherwise (the branch never
/// moved, or someone moved it since).
public struct BranchMoveJournal: Sendable, Codable {
    /// The command that wrote it: `trib pull`, `trib sync`.
    public var command: String
    /// The branch's full reference name.
    public var reference: String
    public var previousTip: ObjectID?
    public var newTip: ObjectID
    /// Whether the branch is checked out in a work tree that follows it.
    public var workTreeFollows: Bool
    /// For a pull: the tip merged from each tree, for `refs/tributary/pulled/NAME`.
    public var pulled: [String: ObjectID] = [:]
    /// For a pull: its log entry.
    public var entry: PullLog.Entry?

    /// The journal could not be written.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static func path(for repository: Repository) throws -> String {
        try StateDirectory.ensure(for: repository) + "/move-journal.json"
    }

    /// Writes the journal durably (a temporary file, fsync, rename).
    func store(for repository: Repository) throws {
        let path = try Self.path(for: repository)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        let temporary = path + ".new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard written == data.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func remove(for repository: Repository) throws {
        unlink(try path(for: repository))
    }

    /// Removes the branch's `.lock` file (relative path returned) when the killed command left it
    /// while moving the branch: created after the journal, and still there a second after it
    /// was last written — git and libgit2 hold a reference's lock for milliseconds, so a lock
    /// held by a running git is gone by then, and is waited for rather than removed.
    static func removeReferenceLock(of journal: BranchMoveJournal, in repository: Repository) throws -> String? {
        let relative = journal.reference + ".lock"
        let lockPath = repository.gitDirectory + relative
        var journalStatus = stat()
        guard stat(try path(for: repository), &journalStatus) == 0 else { return nil }
        for _ in 0..<40 {
            var lockStatus = stat()
            guard lstat(lockPath, &lockStatus) == 0, (lockStatus.st_mode & S_IFMT) == S_IFREG,
                lockStatus.st_mtim.tv_sec >= journalStatus.st_mtim.tv_sec
            else { return nil }
            if time(nil) - lockStatus.st_mtim.tv_sec >= 2 {
                return unlink(lockPath) == 0 ? relative : nil
            }
            usleep(100_000)
        }
        return nil
    }

    /// The journal a killed pull or sync left, if any (an unreadable one is removed: it was never
    /// completely written, so the branch never moved).
    static func leftOver(in repository: Repository) throws -> BranchMoveJournal? {
        let path = try Self.path(for: repository)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let journal = try? JSONDecoder().decode(BranchMoveJournal.self, from: data) else {
            unlink(path)
            return nil
        }
        return journal
    }

    /// Finishes the work of a killed command whose journal is left (see the type's description);
    /// returns what was done, for the report, or nil when there was no journal. Call it while
    /// holding the `IntegrationLock`.
    static func recover(in repository: Repository) throws -> String? {
        guard let journal = try leftOver(in: repository) else { return nil }
        let branch =
            journal.reference.hasPrefix("refs/heads/")
            ? String(journal.reference.dropFirst("refs/heads/".count)) : journal.reference
        var done: [String] = []
        if let removed = try removeReferenceLock(of: journal, in: repository) { done.append("removed \(removed)") }
        let current = try repository.referenceTarget(journal.reference)
        guard current == journal.newTip else {
            try remove(for: repository)
            done.append("its journal was removed")
            return "a killed \(journal.command) had not moved \(branch), or it was moved again since: "
                + done.joined(separator: "; ")
        }
        if journal.workTreeFollows, let previousTip = journal.previousTip, !repository.isBare,
            try repository.headBranch() == journal.reference
        {
            do {
                try repository.checkout(
                    tree: repository.treeOfCommit(journal.newTip), from: repository.treeOfCommit(previousTip))
                done.append("the work tree now follows \(branch)")
            } catch {
                throw Puller.Refused(
                    description:
                        "a killed \(journal.command) moved \(branch) to \(journal.newTip.abbreviated()) but not its work tree, which cannot follow now (\(error)); bring it to the branch with `git checkout -f`, then run the command again"
                )
            }
        }
        if !journal.pulled.isEmpty {
            for (name, tip) in journal.pulled.sorted(by: { $0.key < $1.key }) {
                let pulled = TreeReferences.pulled(name)
                let old = try repository.referenceTarget(pulled)
                if old != tip {
                    try repository.updateReference(
                        pulled, to: tip, expecting: old, message: "\(journal.command): finished after it was killed")
                }
            }
            done.append("refs/tributary/pulled/ set for \(journal.pulled.count) trees")
        }
        if let entry = journal.entry {
            let log = PullLog(repository: repository)
            let newest = try log.entries(limit: 1).first
            if newest?.newTip != journal.newTip || newest?.previousTip != journal.previousTip {
                try log.append(entry)
                done.append("the pull logged")
            }
        }
        try remove(for: repository)
        return "finished a killed \(journal.command) of \(branch) "
            + "(\(journal.previousTip?.abbreviated() ?? "new")..\(journal.newTip.abbreviated())): "
            + (done.isEmpty ? "nothing was left to do" : done.joined(separator: "; "))
    }
}
