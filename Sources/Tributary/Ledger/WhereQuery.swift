import Foundation
public import Git

/// What `trib where` is asked about: a change known by its patch-id (when it has a diff) and
/// the message-ids it names.
public struct WhereQuery: Sendable, Hashable {
    /// The query as given.
    public var text: String
    public var patchID: ObjectID?
    public var messageIDs: [String]
    /// The commit asked about (a revision query), which is not a copy of itself.
    public var commit: ObjectID?
    /// What the change is made of, to find copies edited on the way; nil for a message-id.
    public var content: ChangeContent?
    /// The commits the commit's own backport markers name (it is a copy of them).
    public var markers: [String]

    public init(
        text: String, patchID: ObjectID?, messageIDs: [String], commit: ObjectID? = nil, content: ChangeContent? = nil,
        markers: [String] = []
    ) {
        self.text = text
        self.patchID = patchID
        self.messageIDs = messageIDs
        self.commit = commit
        self.content = content
        self.markers = markers
    }

    /// `query` read as `trib where` reads it: an existing file is a patch or a mail (the first
    /// message of an mbox): its diff's patch-id and its Message-ID; text with an `@` is a
    /// message-id (with or without `<>`); anything else is a revision: its commit's patch-id and
    /// the message-ids its Link: and Message-ID: trailers name.
    public static func classify(_ query: String, in repository: Repository) throws -> WhereQuery {
        if FileManager.default.fileExists(atPath: query), let data = FileManager.default.contents(atPath: query) {
            let message = MailMessage(Mbox.messages(in: Array(data)).first?.bytes ?? Array(data))
            // A bare diff (no mail headers) is its own body.
            let diff = message.body.isEmpty ? String(decoding: data, as: UTF8.self) : message.body
            return WhereQuery(text: query, message: message, diff: diff)
        }
        if query.contains("@") {
            return WhereQuery(
                text: query, patchID: nil, messageIDs: [query.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))]
            )
        }
        let commit = try repository.commit(repository.resolveCommit(query))
        return WhereQuery(
            text: query, patchID: try repository.patchID(of: commit),
            messageIDs: MessageID.linked(in: TrailerParser.trailers(in: commit.message, from: .commit)),
            commit: commit.id, content: commit.isMerge ? nil : try ChangeContent(of: commit, in: repository),
            markers: BackportMarker.commits(in: commit.message))
    }
}

extension WhereQuery {
    /// A patch mail asked about: the patch-id and content of `diff`, the mail's Message-ID,
    /// subject and sender.
    init(text: String, message: MailMessage, diff: String) {
        var hasher = PatchIDHasher()
        hasher.add(text: diff)
        let author = message.from.map { Identity(name: $0.name, email: $0.address) } ?? Identity(name: "", email: "")
        self.init(
            text: text, patchID: hasher.finalize(), messageIDs: message.messageID.map { [$0] } ?? [],
            content: ChangeContent(subject: message.subject, author: author, diff: diff))
    }

    /// `query` as `trib where` reads it when it may hold several changes: a range (`A..B`,
    /// `A...B`, `^A B`) is one query per non-merge commit, oldest first; a file holding several
    /// patches (the mbox of a series) one per patch, in order; anything else one query
    /// (`classify`).
    public static func classifyAll(_ query: String, in repository: Repository) throws -> [WhereQuery] {
        if FileManager.default.fileExists(atPath: query), let data = FileManager.default.contents(atPath: query) {
            let patches = Mbox.messages(in: Array(data)).map { MailMessage($0.bytes) }.filter {
                PatchSeries.hasDiff($0.body)
            }
            guard patches.count > 1 else { return [try classify(query, in: repository)] }
            return patches.map { WhereQuery(text: $0.subject, message: $0, diff: $0.body) }
        }
        let words = query.split(separator: " ").map(String.init)
        guard query.contains("..") || words.count > 1 || query.hasPrefix("^") else {
            return [try classify(query, in: repository)]
        }
        let ids = try repository.commits(in: RevisionRange(arguments: words))
        return try ids.reversed().compactMap { id in
            try repository.commit(id).isMerge ? nil : try classify(id.hex, in: repository)
        }
    }
}
