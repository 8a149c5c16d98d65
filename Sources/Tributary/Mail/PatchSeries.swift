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
        let threads = MailThreads(messages)
        let subjects = messages.map { PatchSubject($0.subject) }
        // As patchwork: a mail that is not a reply and carries a diff is a patch, whatever its
        // prefix says (`[net,v2,1/2]`); a cover letter says PATCH (or RFC) and `0/N`.
        let isPatchMail = messages.indices.map { index in
            !subjects[index].isReply
                && ((subjects[index].isPatch && subjects[index].isCover) || hasDiff(messages[index].body))
        }
        // Each patch mail's series root: the nearest ancestor that is a cover letter or a first
        // patch of the same version; itself when it starts one.
        var versions: [Int: Version] = [:]
        var order: [Int] = []
        func startsSeries(_ index: Int) -> Bool {
            let subject = subjects[index]
            if subject.isCover { return true }
            if subject.counter == nil || subject.counter == 1 {
                // A first patch starts a series unless it replies to a cover of the same version
                // (or gives no version, and the cover announces as many patches).
                return !threads.ancestors(of: index).contains { ancestor in
                    isPatchMail[ancestor] && subjects[ancestor].isCover
                        && (subjects[ancestor].version == subject.version
                            || (!subject.hasVersion && subjects[ancestor].total == subject.total))
                }
            }
            return false
        }
        /// Whether patch `index` belongs to the version started by `start`: the same version
        /// (or none given), and the same count (or none known).
        func sameSeries(_ start: Int, _ index: Int) -> Bool {
            let subject = subjects[index]
            let versionMatches = subjects[start].version == subject.version || !subject.hasVersion
            let totalMatches = subject.total == nil || (subjects[start].total ?? 1) == subject.total
            return versionMatches && totalMatches
        }
        /// For mail sent without References: the series start from the same sender with the same
        /// version and count, closest in time within a day.
        func nearbyStart(_ index: Int, wantCover: Bool) -> Int? {
            guard let sender = messages[index].from?.address.lowercased(), let date = messages[index].date else {
                return nil
            }
            let candidates = messages.indices.filter { other in
                other != index && isPatchMail[other] && startsSeries(other) && (!wantCover || subjects[other].isCover)
                    && subjects[other].version == subjects[index].version
                    && subjects[other].total == subjects[index].total
                    && messages[other].from?.address.lowercased() == sender && threads.parents[other] == nil
                    && abs((messages[other].date ?? .distantPast).timeIntervalSince(date)) < 86_400
            }
            return candidates.min {
                abs((messages[$0].date ?? .distantPast).timeIntervalSince(date))
                    < abs((messages[$1].date ?? .distantPast).timeIntervalSince(date))
            }
        }
        var patchRoot: [Int: Int] = [:]
        // Partial re-rolls: a patch of a newer version sent in reply to an older version's thread
        // (b4's "partial reroll"), keyed by the older version's root and the new version.
        var rerolls: [(base: Int, version: Int, patch: Int)] = []
        for index in messages.indices where isPatchMail[index] {
            let subject = subjects[index]
            var root: Int?
            if startsSeries(index) {
                // A first patch sent without threading joins its cover letter, found by sender,
                // version, count and time.
                root = subject.isCover ? index : (nearbyStart(index, wantCover: true) ?? index)
            } else {
                root = threads.ancestors(of: index).first { ancestor in
                    isPatchMail[ancestor] && startsSeries(ancestor) && sameSeries(ancestor, index)
                }
                if root == nil, threads.parents[index] == nil {
                    // The start found may itself have joined a cover letter.
                    root = nearbyStart(index, wantCover: false).map { patchRoot[$0] ?? $0 }
                }
            }
            if root == nil {
                // A newer version of one patch, sent in reply to the patch it replaces: b4's
                // partial re-roll. Anything else starts a version of its own (incomplete).
                let replaced = threads.ancestors(of: index).first { isPatchMail[$0] }
                if let replaced, subjects[replaced].version < subject.version,
                    (subjects[replaced].counter ?? 1) == (subject.counter ?? 1),
                    let older = patchRoot[replaced] ?? (startsSeries(replaced) ? replaced : nil)
                {
                    rerolls.append((older, subject.version, index))
                    continue
                }
                root = index
            }
            guard let root else { continue }
            patchRoot[index] = root
            if versions[root] == nil {
                let rootMessage = messages[root]
                let rootSubject = subjects[root]
                versions[root] = Version(
                    version: rootSubject.version, subject: rootSubject.text,
                    sender: rootMessage.from?.address.lowercased() ?? "", date: rootMessage.date,
                    messageID: rootMessage.messageID ?? "", cover: nil, patches: [], expected: rootSubject.total ?? 1)
                order.append(root)
            }
            let patch = Patch(
                counter: subject.counter ?? 1, subject: subject.text, messageID: messages[index].messageID ?? "",
                message: messages[index], replyTrailers: [])
            if subject.isCover {
                versions[root]!.cover = patch
            } else if !versions[root]!.patches.contains(where: { $0.counter == patch.counter }) {
                versions[root]!.patches.append(patch)
            }
        }
        // Trailers from replies: to the nearest patch mail above the reply.
        for index in messages.indices where !isPatchMail[index] {
            guard let target = threads.ancestors(of: index).first(where: { isPatchMail[$0] }),
                let root = patchRoot[target], let sender = messages[index].from
            else { continue }
            let found = trailers(inReply: messages[index].body).map { trailer in
                ReplyTrailer(
                    trailer: trailer, messageID: messages[index].messageID ?? "", sender: sender.address,
                    fromSender: Identity.parse(trailer.value).map {
                        IdentityMatcher.sameAddress($0.email, sender.address)
                    } ?? false,
                    viaCover: subjects[target].isCover)
            }
            guard !found.isEmpty else { continue }
            if subjects[target].isCover {
                versions[root]!.cover?.replyTrailers += found
                for position in versions[root]!.patches.indices {
                    versions[root]!.patches[position].replyTrailers += found
                }
            } else if let position = versions[root]!.patches.firstIndex(where: {
                $0.messageID == messages[target].messageID
            }) {
                versions[root]!.patches[position].replyTrailers += found
            }
        }
        // A partial re-roll is the older version with the re-sent patches replaced. The cover
        // letter's trailers still apply; those given to a replaced patch do not.
        var rerolled: [String: Version] = [:]
        for (base, version, index) in rerolls {
            guard let older = versions[base] else { continue }
            let key = "\(base) \(version)"
            var derived = rerolled[key] ?? older
            if rerolled[key] == nil {
                derived.version = version
                derived.patches = older.patches.map { patch in
                    var kept = patch
                    kept.replyTrailers = patch.replyTrailers.filter(\.viaCover)
                    return kept
                }
            }
            let subject = subjects[index]
            var patch = Patch(
                counter: subject.counter ?? 1, subject: subject.text, messageID: messages[index].messageID ?? "",
                message: messages[index], replyTrailers: older.cover?.replyTrailers ?? [])
            for reply in messages.indices where threads.parents[reply] == index && !isPatchMail[reply] {
                guard let sender = messages[reply].from else { continue }
                patch.replyTrailers += trailers(inReply: messages[reply].body).map { trailer in
                    ReplyTrailer(
                        trailer: trailer, messageID: messages[reply].messageID ?? "", sender: sender.address,
                        fromSender: Identity.parse(trailer.value).map {
                            IdentityMatcher.sameAddress($0.email, sender.address)
                        } ?? false, viaCover: false)
                }
            }
            derived.patches.removeAll { $0.counter == patch.counter }
            derived.patches.append(patch)
            rerolled[key] = derived
        }
        for key in rerolled.keys.sorted() {
            let root = -1 - order.count
            versions[root] = rerolled[key]
            order.append(root)
        }
        // Versions of one series: the same title and sender.
        var series: [String: PatchSeries] = [:]
        var seriesOrder: [String] = []
        for root in order {
            var version = versions[root]!
            version.patches.sort { $0.counter < $1.counter }
            let key = normalizedTitle(version.subject) + "\u{1}" + version.sender
            if series[key] == nil {
                series[key] = PatchSeries(title: version.subject, sender: version.sender, versions: [])
                seriesOrder.append(key)
            }
            series[key]!.versions.append(version)
        }
        return seriesOrder.map { key in
            var found = series[key]!
            found.versions.sort { ($0.version, $0.date ?? .distantPast) < ($1.version, $1.date ?? .distantPast) }
            return found
        }
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
