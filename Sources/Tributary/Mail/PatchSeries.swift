public import Foundation
public import Git

/// Patch series found in mail, as b4 and patchwork group them: a cover letter (`0/N`) or a
/// first patch starts a series version; the patches of the same version and count in its thread
/// belong to it; versions of one series share the cover's (or first patch's) subject and sender.
/// Review trailers given in replies are collected and given to the patch replied to, or to every
/// patch when the reply is to the cover letter.
public struct PatchSeries: Sendable {
    /// One posted version.
    public struct Version: Sendable {
        public var version: Int
        public var subject: String
        public var sender: String
        public var date: Date?
        /// The cover letter's Message-ID, or the first patch's.
        public var messageID: String
        public var cover: Patch?
        /// Patches in series order.
        public var patches: [Patch]
        /// How many patches the subjects announce.
        public var expected: Int
        /// Whether every announced patch arrived.
        public var isComplete: Bool { patches.count == expected }
    }

    /// One patch (or cover letter) and the trailers given to it on the list.
    public struct Patch: Sendable {
        public var counter: Int
        public var subject: String
        public var messageID: String
        public var message: MailMessage
        /// Trailers from replies to it (and, for patches, from replies to the cover letter).
        public var replyTrailers: [ReplyTrailer]

        /// The stable patch-id of its diff, computed as for commits (`git patch-id --stable`);
        /// nil for a cover letter or a mail without a diff.
        public var patchID: ObjectID? {
            var hasher = PatchIDHasher()
            hasher.add(text: message.body)
            return hasher.finalize()
        }
    }

    /// A trailer found in a reply.
    public struct ReplyTrailer: Sendable, Hashable {
        public var trailer: Trailer
        /// The reply's Message-ID and sender.
        public var messageID: String
        public var sender: String
        /// b4's check: the trailer names the reply's sender (by address).
        public var fromSender: Bool
        /// Given to the cover letter, and so to every patch.
        public var viaCover: Bool
    }

    /// The title shared by all versions.
    public var title: String

    /// A stable id: the start of the SHA-1 of the normalised title and the sender.
    public var id: String {
        ObjectID(hashing: Self.normalizedTitle(title) + "\u{1}" + sender).abbreviated()
    }
    public var sender: String
    /// Versions, oldest first.
    public var versions: [Version]

    /// The keys of trailers collected from replies (b4's default set).
    public static let reviewKeys: Set<String> = [
        "reviewed-by", "acked-by", "tested-by", "reported-by", "suggested-by", "nacked-by", "co-developed-by",
        "signed-off-by", "fixes", "link", "closes",
    ]

    /// Groups the patch mails in `messages` into series and versions.
    public static func find(in messages: [MailMessage]) -> [PatchSeries] {
        var grouping = SeriesGrouping(messages)
        grouping.groupPatches()
        grouping.collectReplyTrailers()
        grouping.addRerolls()
        return grouping.series()
    }

    /// Whether a body carries a diff.
    static func hasDiff(_ body: String) -> Bool {
        body.contains("\ndiff --git ") || body.hasPrefix("diff --git ")
            || (body.contains("\n--- ") && body.contains("\n+++ "))
    }

    /// A title compared between versions: lower case, single spaces.
    public static func normalizedTitle(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Trailers in a reply's own text (quoted lines, starting with `>`, are not the sender's),
    /// one per line as `Key: value`, for the keys b4 collects.
    public static func trailers(inReply body: String) -> [Trailer] {
        var found: [Trailer] = []
        for rawLine in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix(">") { continue }
            if line == "-- " || line == "--" { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            guard !key.isEmpty, !key.contains(" "), reviewKeys.contains(key.lowercased()) else { continue }
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            // Mail programs turn addresses into links: `<a@b<mailto:a@b>>` is `<a@b>`.
            value = value.replacingOccurrences(
                of: #"<([^<>\s]+)<mailto:[^<>\s]+>>"#, with: "<$1>", options: .regularExpression)
            guard !value.isEmpty else { continue }
            if key.lowercased().hasSuffix("-by"), Identity.parse(value) == nil { continue }
            found.append(Trailer(key: String(key), value: value))
        }
        return found
    }
}
