import Foundation
public import Git

/// One posted version of a series, read for routing: its patches' diffs, what it says it was
/// written against (`base-commit:` and `prerequisite-patch-id:`, as `git format-patch --base`
/// writes them), and the postings it says it depends on (`prerequisite-message-id:`, as b4
/// writes them, and `Depends-on:` lines naming a Message-ID or a link to one).
public struct PostedSeries: Sendable {
    public struct Patch: Sendable {
        public var counter: Int
        public var subject: String
        public var messageID: String
        public var author: Identity?
        public var diff: PatchText
        /// The trailers of the mail's message (above its `---`).
        public var trailers: [Trailer]
        /// Review trailers given in replies by their own person (to it, or to the cover letter).
        public var replyTrailers: [Trailer]
    }

    /// The ledger's series id (nil for a series read from a file and not in the mail).
    public var seriesID: String?
    public var title: String
    public var version: Int
    /// The cover letter's Message-ID, or the first patch's.
    public var messageID: String
    public var sender: String
    public var patches: [Patch]
    /// How many patches the subjects announce.
    public var expected: Int
    public var baseCommit: String?
    public var prerequisitePatchIDs: [String]
    /// Message-IDs of postings it depends on.
    public var dependsOn: [String]
    /// Every Message-ID of the version (cover letter and patches).
    public var messageIDs: [String]

    /// Every path the patches name, in patch order, each once.
    public var paths: [String] {
        var seen = Set<String>()
        return patches.flatMap(\.diff.paths).filter { seen.insert($0).inserted }
    }

    public init(_ version: PatchSeries.Version, of series: PatchSeries, seriesID: String? = nil) {
        self.seriesID = seriesID
        title = series.title
        self.version = version.version
        messageID = version.messageID
        sender = version.sender
        expected = version.expected
        patches = version.patches.map { patch in
            let sender = patch.message.from.flatMap { from in
                Identity.parse(from.name.isEmpty ? "<\(from.address)>" : "\(from.name) <\(from.address)>")
            }
            return Patch(
                counter: patch.counter, subject: patch.subject, messageID: patch.messageID,
                author: Self.inBodyAuthor(patch.message.body) ?? sender,
                diff: PatchText(Array(patch.message.body.utf8)),
                trailers: TrailerParser.trailers(in: patch.message.body, from: .patch),
                replyTrailers: patch.replyTrailers.filter(\.fromSender).map(\.trailer))
        }
        messageIDs = ([version.cover?.messageID] + version.patches.map(\.messageID)).compactMap { $0 }
        // format-patch writes the base at the end of the cover letter, or of the first patch.
        let bodies = ([version.cover] + version.patches.prefix(1).map { Optional($0) }).compactMap { $0?.message.body }
        var base: String?
        var prerequisites: [String] = []
        var depends: [String] = []
        for body in bodies {
            for line in body.split(separator: "\n") {
                let text = String(line).trimmingCharacters(in: .whitespaces)
                if let value = Self.value(of: "base-commit:", in: text), base == nil, Self.isHex(value) {
                    base = value.lowercased()
                } else if let value = Self.value(of: "prerequisite-patch-id:", in: text), Self.isHex(value) {
                    if !prerequisites.contains(value.lowercased()) { prerequisites.append(value.lowercased()) }
                } else if let value = Self.value(of: "prerequisite-message-id:", in: text)
                    ?? Self.value(of: "depends-on:", in: text), let id = Self.messageID(in: value)
                {
                    if !depends.contains(id) { depends.append(id) }
                }
            }
        }
        baseCommit = base
        prerequisitePatchIDs = prerequisites
        dependsOn = depends
    }

    /// The value after `key` (compared ignoring case) at the start of `line`.
    static func value(of key: String, in line: String) -> String? {
        guard line.count > key.count, line.lowercased().hasPrefix(key) else { return nil }
        return line.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
    }

    static func isHex(_ text: String) -> Bool {
        text.count >= 7 && text.count <= 64 && text.allSatisfy(\.isHexDigit)
    }

    /// A Message-ID written as `<id>`, bare, or as the last part of a link to it (lore's
    /// `https://lore.kernel.org/r/ID/`, `…/list/ID/`, a patchwork `…/patch/ID/`).
    static func messageID(in value: String) -> String? {
        let text = value.split(separator: " ").first.map(String.init) ?? value
        if text.hasPrefix("<"), text.hasSuffix(">") { return String(text.dropFirst().dropLast()) }
        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            let parts = text.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
            return parts.last(where: { $0.contains("@") })
        }
        return text.contains("@") ? text : nil
    }

    /// A `From:` line at the top of the body (git format-patch's for another author).
    static func inBodyAuthor(_ body: String) -> Identity? {
        guard body.hasPrefix("From: ") else { return nil }
        let line = body.dropFirst(6).prefix { $0 != "\n" }
        return Identity.parse(String(line))
    }
}
