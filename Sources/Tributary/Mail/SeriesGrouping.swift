import Foundation

/// How `PatchSeries.find` groups patch mail into series versions: each patch mail's series root
/// (the cover letter or first patch that starts its version), the trailers of replies, b4's
/// partial re-rolls, and the versions of one series (the same title and sender).
struct SeriesGrouping {
    typealias Version = PatchSeries.Version
    typealias Patch = PatchSeries.Patch

    let messages: [MailMessage]
    let threads: MailThreads
    let subjects: [PatchSubject]
    /// As patchwork: a mail that is not a reply and carries a diff is a patch, whatever its
    /// prefix says (`[net,v2,1/2]`); a cover letter says PATCH (or RFC) and `0/N`.
    let isPatchMail: [Bool]
    /// Each version, by the index of the mail that starts it.
    var versions: [Int: Version] = [:]
    var order: [Int] = []
    /// Each patch mail's series root.
    var patchRoot: [Int: Int] = [:]
    /// Partial re-rolls: a patch of a newer version sent in reply to an older version's thread
    /// (b4's "partial reroll"), keyed by the older version's root and the new version.
    var rerolls: [(base: Int, version: Int, patch: Int)] = []

    init(_ messages: [MailMessage]) {
        self.messages = messages
        threads = MailThreads(messages)
        let subjects = messages.map { PatchSubject($0.subject) }
        self.subjects = subjects
        isPatchMail = messages.indices.map { index in
            !subjects[index].isReply
                && ((subjects[index].isPatch && subjects[index].isCover) || PatchSeries.hasDiff(messages[index].body))
        }
    }

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

    /// Whether patch `index` belongs to the version started by `start`: the same version (or
    /// none given), and the same count (or none known).
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

    /// The root of patch mail `index`: the nearest ancestor that starts its version, itself when
    /// it starts one; nil for a partial re-roll (then recorded in `rerolls`).
    mutating func root(of index: Int) -> Int? {
        let subject = subjects[index]
        if startsSeries(index) {
            // A first patch sent without threading joins its cover letter, found by sender,
            // version, count and time.
            return subject.isCover ? index : (nearbyStart(index, wantCover: true) ?? index)
        }
        var root = threads.ancestors(of: index).first { ancestor in
            isPatchMail[ancestor] && startsSeries(ancestor) && sameSeries(ancestor, index)
        }
        if root == nil, threads.parents[index] == nil {
            // The start found may itself have joined a cover letter.
            root = nearbyStart(index, wantCover: false).map { patchRoot[$0] ?? $0 }
        }
        if let root { return root }
        // A newer version of one patch, sent in reply to the patch it replaces: b4's partial
        // re-roll. Anything else starts a version of its own (incomplete).
        let replaced = threads.ancestors(of: index).first { isPatchMail[$0] }
        if let replaced, subjects[replaced].version < subject.version,
            (subjects[replaced].counter ?? 1) == (subject.counter ?? 1),
            let older = patchRoot[replaced] ?? (startsSeries(replaced) ? replaced : nil)
        {
            rerolls.append((older, subject.version, index))
            return nil
        }
        return index
    }

    /// Every patch mail into the version its root starts.
    mutating func groupPatches() {
        for index in messages.indices where isPatchMail[index] {
            guard let root = root(of: index) else { continue }
            let subject = subjects[index]
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
    }

    /// The review trailers of reply `index`, from its sender.
    func replyTrailers(of index: Int, viaCover: Bool) -> [PatchSeries.ReplyTrailer] {
        guard let sender = messages[index].from else { return [] }
        return PatchSeries.trailers(inReply: messages[index].body).map { trailer in
            PatchSeries.ReplyTrailer(
                trailer: trailer, messageID: messages[index].messageID ?? "", sender: sender.address,
                fromSender: Identity.parse(trailer.value).map {
                    IdentityMatcher.sameAddress($0.email, sender.address)
                } ?? false,
                viaCover: viaCover)
        }
    }

    /// Trailers from replies, given to the nearest patch mail above the reply (to every patch
    /// when that is the cover letter).
    mutating func collectReplyTrailers() {
        for index in messages.indices where !isPatchMail[index] {
            guard let target = threads.ancestors(of: index).first(where: { isPatchMail[$0] }),
                let root = patchRoot[target], messages[index].from != nil
            else { continue }
            let found = replyTrailers(of: index, viaCover: subjects[target].isCover)
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
    }

    /// A partial re-roll is the older version with the re-sent patches replaced. The cover
    /// letter's trailers still apply; those given to a replaced patch do not.
    mutating func addRerolls() {
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
                patch.replyTrailers += replyTrailers(of: reply, viaCover: false)
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
    }

    /// The versions grouped into series: the same title and sender.
    func series() -> [PatchSeries] {
        var series: [String: PatchSeries] = [:]
        var seriesOrder: [String] = []
        for root in order {
            var version = versions[root]!
            version.patches.sort { $0.counter < $1.counter }
            let key = PatchSeries.normalizedTitle(version.subject) + "\u{1}" + version.sender
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
}
