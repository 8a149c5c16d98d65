import Foundation
public import Git

/// The one executor of branch moves. A session holds the `IntegrationLock` for its command,
/// and when it begins it finishes what a killed command left undone (its `BranchMoveJournal`);
/// `execute` then applies a `BranchMove`: the backup of the old tip, the journal, the branch's
/// compare-and-swap with a reflog entry, its work tree, the references written after it, the
/// log, and the journal's removal. `trib pull` and `trib sync` plan their moves while holding
/// the session; a dry run plans without one.
public final class BranchMoveSession {
    public let repository: Repository
    /// The command holding the session (`trib pull`, `trib sync`).
    public let command: String
    /// What this session finished of a killed command's move when it began; nil when there was
    /// nothing to finish.
    public let recovered: String?
    private let lock: IntegrationLock
    private let context: Context

    /// Takes the lock for `command` (throws `TributaryError.concurrentWriter` while another
    /// command holds it) and finishes a killed command's move.
    public init(repository: Repository, command: String, context: Context = Context()) throws {
        self.repository = repository
        self.command = command
        self.context = context
        lock = try IntegrationLock(repository: repository, command: command)
        do {
            recovered = try BranchMoveJournal.recover(in: repository)
        } catch {
            lock.release()
            throw error
        }
    }

    /// The `.lock` files a killed command left under trib's own references, removed when this
    /// session took over its lock (relative to the git directory).
    public var removedLockFiles: [String] { lock.removedLockFiles }

    /// Gives the lock back (also done when the session goes away).
    public func release() { lock.release() }

    /// Applies `move`: nothing is written when the branch no longer has `move.previousTip`
    /// (`TributaryError.concurrentWriter`), and the branch is put back when its work tree cannot
    /// follow (`TributaryError.refused`). Killed after the branch moved, the next session
    /// finishes the rest from the journal. A signal (`Interrupts`) waits for the move to end.
    public func execute(_ move: BranchMove) throws {
        try Interrupts.finishing { () throws(any Error) in try executeNow(move) }
    }

    private func executeNow(_ move: BranchMove) throws {
        if let backup = move.backup, let previous = move.previousTip {
            try repository.updateReference(
                backup, to: previous, expecting: nil, message: "\(move.command): backup of \(move.branch)")
        }
        try BranchMoveJournal(move: move).store(for: repository)
        context.reached(.journalWritten)
        try moveBranch(move)
        context.reached(.branchMoved)
        if move.workTreeFollows, let previous = move.previousTip {
            try followInWorkTree(move, from: previous)
            context.reached(.workTreeUpdated)
        }
        try writeReferences(of: move, message: move.reflogMessage, in: repository)
        context.reached(.referencesWritten)
        try move.log?.append(in: repository)
        try BranchMoveJournal.remove(for: repository)
    }

    /// The branch's compare-and-swap; on any failure the journal and the backup are removed and
    /// nothing is left changed.
    private func moveBranch(_ move: BranchMove) throws {
        do {
            try repository.updateReference(
                move.reference, to: move.newTip, expecting: move.previousTip, message: move.reflogMessage)
        } catch {
            try? BranchMoveJournal.remove(for: repository)
            if let backup = move.backup, let previous = move.previousTip {
                try? repository.updateReference(
                    backup, to: nil, expecting: previous, message: "\(move.command): not needed")
            }
            guard error.code == .modified || error.code == .exists else { throw error }
            throw TributaryError.concurrentWriter(
                "\(move.branch) moved while \(move.command) ran (it was \(move.previousTip?.abbreviated() ?? "absent")); nothing was changed. Run it again."
            )
        }
    }

    /// Checks out the new tip's tree in the branch's work tree; when that fails the branch is put
    /// back.
    private func followInWorkTree(_ move: BranchMove, from previous: ObjectID) throws {
        do {
            try repository.checkout(
                tree: repository.treeOfCommit(move.newTip), from: repository.treeOfCommit(previous))
        } catch {
            try? repository.updateReference(
                move.reference, to: previous, expecting: move.newTip,
                message: "\(move.command): undone, the work tree could not follow")
            try? BranchMoveJournal.remove(for: repository)
            throw TributaryError.refused(
                "the work tree could not be updated (\(error)); \(move.branch) was left as it was")
        }
    }
}

/// Sets the references a move writes after its branch (each by compare-and-swap against its
/// current value, with the reflog message `message`); those already right are left alone.
func writeReferences(of move: BranchMove, message: String, in repository: Repository) throws {
    for update in move.references {
        let current = try repository.referenceTarget(update.name)
        if current != update.target {
            try repository.updateReference(update.name, to: update.target, expecting: current, message: message)
        }
    }
}
