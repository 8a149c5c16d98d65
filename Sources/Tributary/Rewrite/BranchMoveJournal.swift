import Foundation
import Git

#if canImport(Glibc)
    import Glibc
#endif

/// A `BranchMove` being applied, kept in `GIT_DIR/tributary/move-journal.json` from just before
/// the branch moves until everything after it — the work tree of a checked-out branch, the
/// references, the log entry — is done.
///
/// A command killed in between leaves the journal behind. The next `BranchMoveSession`, holding
/// the lock (so the journal's writer is gone), finishes that work when the branch is where the
/// journal says it went, and only removes the journal otherwise (the branch never moved, or
/// someone moved it since).
public struct BranchMoveJournal: Sendable {
    public var move: BranchMove

    public init(move: BranchMove) { self.move = move }

    static func path(for repository: Repository) throws -> String {
        try StateDirectory.ensure(for: repository) + "/move-journal.json"
    }

    /// Writes the journal durably (a temporary file, fsync, rename).
    func store(for repository: Repository) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try DurableFile.write(try encoder.encode(move), to: try Self.path(for: repository))
    }

    static func remove(for repository: Repository) throws {
        unlink(try path(for: repository))
    }

    /// The journal a killed command left, if any (an unreadable one is removed: it was never
    /// completely written, so the branch never moved). A journal of the earlier layout (written
    /// by trib 0.1 before moves were planned) is read too.
    static func leftOver(in repository: Repository) throws -> BranchMoveJournal? {
        let path = try Self.path(for: repository)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        if let move = try? JSONDecoder().decode(BranchMove.self, from: data) { return BranchMoveJournal(move: move) }
        if let earlier = EarlierJournal(data) { return BranchMoveJournal(move: earlier.move) }
        unlink(path)
        return nil
    }

    /// Removes the branch's `.lock` file (relative path returned) when the killed command left it
    /// while moving the branch: created after the journal, and still there two seconds after it
    /// was last written — git and libgit2 hold a reference's lock for milliseconds, so a lock
    /// held by a running git is gone by then, and is waited for rather than removed.
    static func removeReferenceLock(of move: BranchMove, in repository: Repository) throws -> String? {
        let relative = move.reference + ".lock"
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

    /// Finishes the move of a killed command whose journal is left (see the type's description);
    /// returns what was done, for the report, or nil when there was no journal. Call it while
    /// holding the `IntegrationLock`.
    static func recover(in repository: Repository) throws -> String? {
        guard let move = try leftOver(in: repository)?.move else { return nil }
        var done: [String] = []
        if let removed = try removeReferenceLock(of: move, in: repository) { done.append("removed \(removed)") }
        guard try repository.referenceTarget(move.reference) == move.newTip else {
            try remove(for: repository)
            done.append("its journal was removed")
            return "a killed \(move.command) had not moved \(move.branch), or it was moved again since: "
                + done.joined(separator: "; ")
        }
        if move.workTreeFollows, let previousTip = move.previousTip, !repository.isBare,
            try repository.headBranch() == move.reference
        {
            do {
                try repository.checkout(
                    tree: repository.treeOfCommit(move.newTip), from: repository.treeOfCommit(previousTip))
                done.append("the work tree now follows \(move.branch)")
            } catch {
                throw TributaryError.refused(
                    "a killed \(move.command) moved \(move.branch) to \(move.newTip.abbreviated()) but not its work tree, which cannot follow now (\(error)); bring it to the branch with `git checkout -f`, then run the command again"
                )
            }
        }
        if !move.references.isEmpty {
            try writeReferences(
                of: move, message: "\(move.command): finished after it was killed", in: repository)
            done.append("refs/tributary/pulled/ set for \(move.references.count) trees")
        }
        if let log = move.log, try !log.isNewest(in: repository) {
            try log.append(in: repository)
            done.append("the pull logged")
        }
        try remove(for: repository)
        return "finished a killed \(move.command) of \(move.branch) "
            + "(\(move.previousTip?.abbreviated() ?? "new")..\(move.newTip.abbreviated())): "
            + (done.isEmpty ? "nothing was left to do" : done.joined(separator: "; "))
    }
}

/// The journal as trib wrote it before moves were planned: the pulled tips by tree name, and the
/// pull log entry as an object, logged as its JSON with sorted keys.
private struct EarlierJournal {
    var move: BranchMove

    init?(_ data: Data) {
        guard let fields = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let command = fields["command"] as? String, let reference = fields["reference"] as? String,
            let newTip = (fields["newTip"] as? String).flatMap({ ObjectID(hex: $0) })
        else { return nil }
        let previousTip = (fields["previousTip"] as? String).flatMap { ObjectID(hex: $0) }
        let pulled = (fields["pulled"] as? [String: String]) ?? [:]
        var log: LogAppend?
        if let entry = fields["entry"] as? [String: Any],
            let text = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys])
        {
            let trees = (entry["trees"] as? [[String: Any]]) ?? []
            let merged = trees.filter { $0["outcome"] as? String == "merged" }.count
            let branch = (entry["branch"] as? String) ?? ""
            let summary =
                "trib pull: \(branch) \(previousTip?.abbreviated() ?? "(new)")..\(newTip.abbreviated()), merged \(merged) trees"
            log = LogAppend(
                reference: "refs/tributary/log",
                message: summary + "\n\n" + String(decoding: text, as: UTF8.self) + "\n",
                when: (entry["when"] as? NSNumber)?.int64Value ?? 0)
        }
        move = BranchMove(
            command: command, reference: reference, previousTip: previousTip, newTip: newTip,
            reflogMessage: "\(command): finished after it was killed",
            workTreeFollows: (fields["workTreeFollows"] as? Bool) ?? false,
            references: pulled.compactMap { name, tip in
                ObjectID(hex: tip).map { .init(name: TreeReferences.pulled(name), target: $0) }
            }, log: log)
    }
}
