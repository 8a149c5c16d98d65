import Foundation
public import Git

/// Finds where mailed patches landed among a tree's commits, as a cascade: the same stable
/// patch-id (the patch applied as posted), else a Link: or Message-ID: trailer naming the
/// patch's message (applied with edits, by a tool that records the link), else the same author
/// and subject (edited on the way, link not kept).
public struct LandingMatcher {
    /// How a patch was matched to a commit.
    public enum Rule: String, Sendable, Codable {
        case patchID = "patch-id"
        case messageID = "message-id"
        case authorSubject = "author+subject"
    }

    /// What is known of one commit.
    public struct CommitFacts: Sendable {
        public var id: ObjectID
        public var patchID: ObjectID?
        public var messageIDs: [String]
        public var authorEmail: String
        /// The subject, normalised for matching.
        public var subject: String
        /// The subject as written.
        public var summary: String
        public var trailers: [Trailer]
        public var date: Int64
    }

    public let commits: [CommitFacts]
    private let byPatchID: [ObjectID: Int]
    private let byMessageID: [String: Int]
    private let byAuthorSubject: [String: Int]

    /// The facts of every non-merge commit of `range` (patch-ids from `index` when known, and
    /// stored there when computed).
    public init(repository: Repository, range: RevisionRange, index: IndexDatabase?) throws {
        let ids = try repository.commits(in: range)
        var known = try index?.patchIDs(of: ids) ?? [:]
        var computed: [ObjectID: ObjectID?] = [:]
        var facts: [CommitFacts] = []
        for id in ids {
            let commit = try repository.commit(id)
            if commit.isMerge { continue }
            if known[id] == nil {
                let patchID = try repository.patchID(of: commit)
                known[id] = .some(patchID)
                computed[id] = .some(patchID)
            }
            let trailers = TrailerParser.trailers(in: commit.message)
            let messageIDs = trailers.compactMap { trailer -> String? in
                let key = trailer.key.lowercased()
                guard key == "link" || key == "message-id" else { return nil }
                return Self.messageID(inLink: trailer.value)
            }
            facts.append(
                CommitFacts(
                    id: id, patchID: known[id] ?? nil, messageIDs: messageIDs,
                    authorEmail: commit.author.email.lowercased(),
                    subject: Self.normalized(commit.summary), summary: commit.summary, trailers: trailers,
                    date: commit.committer.time))
        }
        try index?.storePatchIDs(computed)
        commits = facts
        var byPatchID: [ObjectID: Int] = [:]
        var byMessageID: [String: Int] = [:]
        var byAuthorSubject: [String: Int] = [:]
        for (position, fact) in facts.enumerated() {
            if let patchID = fact.patchID, byPatchID[patchID] == nil { byPatchID[patchID] = position }
            for id in fact.messageIDs where byMessageID[id] == nil { byMessageID[id] = position }
            let key = fact.authorEmail + "\u{1}" + fact.subject
            if byAuthorSubject[key] == nil { byAuthorSubject[key] = position }
        }
        self.byPatchID = byPatchID
        self.byMessageID = byMessageID
        self.byAuthorSubject = byAuthorSubject
    }

    /// The commit `patch` landed as, and the rule that found it.
    public func match(_ patch: PatchSeries.Patch) -> (commit: CommitFacts, rule: Rule)? {
        if let patchID = patch.patchID, let position = byPatchID[patchID] { return (commits[position], .patchID) }
        if let position = byMessageID[patch.messageID] { return (commits[position], .messageID) }
        let author = patch.message.from?.address.lowercased() ?? ""
        let key = author + "\u{1}" + Self.normalized(Self.commitSubject(of: patch))
        if let position = byAuthorSubject[key] { return (commits[position], .authorSubject) }
        return nil
    }

    /// The commit with this patch-id.
    public func commit(withPatchID patchID: ObjectID) -> CommitFacts? {
        byPatchID[patchID].map { commits[$0] }
    }

    /// The commit whose Link: or Message-ID: names this message.
    public func commit(linking messageID: String) -> CommitFacts? {
        byMessageID[messageID].map { commits[$0] }
    }

    /// The subject a patch's commit gets: the mail subject without prefixes, unless the body
    /// starts with a `From:` / `Subject:` override as format-patch writes for other authors.
    static func commitSubject(of patch: PatchSeries.Patch) -> String {
        for line in patch.message.body.split(separator: "\n", omittingEmptySubsequences: false).prefix(4)
        where line.hasPrefix("Subject: ") {
            return PatchSubject(String(line.dropFirst(9))).text
        }
        return patch.subject
    }

    /// Lower case, single spaces, without a trailing period.
    static func normalized(_ subject: String) -> String {
        var text = subject.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The message-id in a link such as `https://patch.msgid.link/ID`,
    /// `https://lore.kernel.org/r/ID`, `https://lore.kernel.org/LIST/ID/` or `<ID>`.
    public static func messageID(inLink value: String) -> String? {
        var text = value.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("<"), text.hasSuffix(">") { return String(text.dropFirst().dropLast()) }
        if let space = text.firstIndex(of: " ") { text = String(text[..<space]) }
        while text.hasSuffix("/") { text.removeLast() }
        guard text.contains("://"), let slash = text.lastIndex(of: "/") else { return nil }
        let last = String(text[text.index(after: slash)...])
        let decoded = last.removingPercentEncoding ?? last
        return decoded.contains("@") ? decoded : nil
    }
}
