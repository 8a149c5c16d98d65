public import Git

/// What a command that moves a branch will do, computed before anything is written: the branch,
/// the tip it must still have (compare-and-swap) and its new tip, where the old tip is kept
/// first, whether a checked-out work tree follows, the references written after it, and the log
/// entry appended at the end.
///
/// `trib pull` and `trib sync` plan one (`Puller.plan`, `Syncer.plan`), `--dry-run` reports it,
/// `BranchMoveSession.execute` applies any of them, and the journal keeps it while it is applied,
/// so that the next command finishes a move that was killed half-way.
public struct BranchMove: Sendable, Codable, Hashable {
    /// The command that planned it (`trib pull`, `trib sync`), for messages and the journal.
    public var command: String
    /// The branch's full reference name.
    public var reference: String
    /// The tip the branch must still have when it moves; nil when it does not exist yet.
    public var previousTip: ObjectID?
    public var newTip: ObjectID
    /// The reflog message of the branch's move (and of the references written after it).
    public var reflogMessage: String
    /// The reference that keeps `previousTip` before the branch moves
    /// (`refs/tributary/backup/BRANCH/TIME`); nil for no backup.
    public var backup: String?
    /// Whether the branch is checked out in a (clean) work tree that must follow it.
    public var workTreeFollows: Bool
    /// References set once the branch has moved (for a pull, `refs/tributary/pulled/NAME`), in
    /// name order.
    public var references: [ReferenceUpdate]
    /// The entry appended to a log reference once everything else is done.
    public var log: LogAppend?

    public init(
        command: String, reference: String, previousTip: ObjectID?, newTip: ObjectID, reflogMessage: String,
        backup: String? = nil, workTreeFollows: Bool = false, references: [ReferenceUpdate] = [],
        log: LogAppend? = nil
    ) {
        self.command = command
        self.reference = reference
        self.previousTip = previousTip
        self.newTip = newTip
        self.reflogMessage = reflogMessage
        self.backup = backup
        self.workTreeFollows = workTreeFollows
        self.references = references.sorted { $0.name < $1.name }
        self.log = log
    }

    /// The branch's short name (`reference` without `refs/heads/`).
    public var branch: String {
        reference.hasPrefix("refs/heads/") ? String(reference.dropFirst("refs/heads/".count)) : reference
    }

    /// A reference set to a target after the branch moves.
    public struct ReferenceUpdate: Sendable, Codable, Hashable {
        public var name: String
        public var target: ObjectID

        public init(name: String, target: ObjectID) {
            self.name = name
            self.target = target
        }
    }
}

/// A commit appended to a log reference (`refs/tributary/log`: the pull history): its message,
/// with an empty tree, by `trib <trib@localhost>` at `when`, on top of the reference's tip.
public struct LogAppend: Sendable, Codable, Hashable {
    public var reference: String
    /// The commit message: a summary line, a blank line, the entry.
    public var message: String
    /// Seconds since 1970.
    public var when: Int64

    public init(reference: String, message: String, when: Int64) {
        self.reference = reference
        self.message = message
        self.when = when
    }

    /// Appends the commit (the reference moves by compare-and-swap, with the summary line as its
    /// reflog message).
    public func append(in repository: Repository) throws {
        let previous = try repository.referenceTarget(reference)
        let signature = Signature(name: "trib", email: "trib@localhost", time: when)
        let id = try repository.createCommit(
            tree: try repository.emptyTree(), parents: previous.map { [$0] } ?? [], author: signature,
            committer: signature, message: message)
        try repository.updateReference(reference, to: id, expecting: previous, message: summary)
    }

    /// Whether the reference's newest commit is this entry already (a killed command's entry
    /// that was written before it died).
    func isNewest(in repository: Repository) throws -> Bool {
        guard let tip = try repository.referenceTarget(reference) else { return false }
        return try repository.commit(tip).message == message
    }

    var summary: String { String(message.prefix { $0 != "\n" }) }
}
