public import Git

/// The commits of one place a landing question looks among, by what identifies a copy: the
/// in-memory matcher of a range (`LandingMatcher`) or the index's rows of a place
/// (`IndexedPlace`). Both give the same commits for the same question.
public protocol LandingCandidates {
    /// The commits with this patch-id.
    func commits(withPatchID patchID: ObjectID) throws -> [LandingMatcher.CommitFacts]
    /// The commits whose Link:/Message-ID: trailers name `messageID`.
    func commits(linking messageID: String) throws -> [LandingMatcher.CommitFacts]
    /// The commits whose backport markers name `commit` (by a prefix of its id).
    func commits(marking commit: ObjectID) throws -> [LandingMatcher.CommitFacts]
    /// The commits whose id starts with `prefix` (a backport marker's abbreviated id).
    func commits(withPrefix prefix: String) throws -> [LandingMatcher.CommitFacts]
    /// The commits that change at least one of `content`'s files and have its subject or its
    /// author's address — or, when `byFiles`, change at least half of its files — with how many
    /// of its files each changes.
    func commits(near content: ChangeContent, byFiles: Bool) throws -> [(LandingMatcher.CommitFacts, Int)]
    /// The content of one of its commits (kept, when a place answers many questions).
    func content(of facts: LandingMatcher.CommitFacts, in repository: Repository) throws -> ChangeContent
}

extension LandingCandidates {
    public func content(of facts: LandingMatcher.CommitFacts, in repository: Repository) throws -> ChangeContent {
        try LandingEngine.content(of: facts, in: repository)
    }
}

/// The one answer to "does this place carry that change, and as which commit?", which `trib
/// where`, the series ledger, `trib sync`'s upstream detection and the plan's already-applied
/// commits all ask, so that they never disagree. Evidence, strongest first: the same stable
/// patch-id; a Link:/Message-ID: naming the posting; a backport marker naming the commit (or the
/// change's own marker naming a commit of the place); then the content (`ContentScore`: the
/// changed lines compared as sets, the subject, the author), at or above its threshold — when
/// more than one commit comes as close as the best, all of them, as candidates.
public enum LandingEngine {
    /// A change to look for.
    public struct Query: Sendable {
        /// The change as a commit, when it is one (its copies are other commits).
        public var commit: ObjectID?
        /// Its stable patch-ids (the commit's, and those of its postings).
        public var patchIDs: [ObjectID]
        /// The postings it is known by (its Message-ID, the Link:s of its commit).
        public var messageIDs: [String]
        /// The commits its own backport markers name.
        public var markers: [String]
        public var content: ChangeContent?

        public init(
            commit: ObjectID? = nil, patchIDs: [ObjectID], messageIDs: [String], markers: [String] = [],
            content: ChangeContent?
        ) {
            self.commit = commit
            self.patchIDs = patchIDs
            self.messageIDs = messageIDs
            self.markers = markers
            self.content = content
        }

        /// A commit of a range, from what is known of it.
        public init(_ facts: LandingMatcher.CommitFacts) {
            self.init(
                commit: facts.id, patchIDs: facts.patchID.map { [$0] } ?? [], messageIDs: facts.messageIDs,
                markers: facts.markers,
                content: facts.content)
        }
    }

    /// A commit of the place that carries the change.
    public struct Landing: Sendable {
        public var commit: LandingMatcher.CommitFacts
        public var rule: LandingMatcher.Rule
        /// How its content compares (for a marker or a content match).
        public var score: ContentScore?
        /// Another commit of the place is as close: neither is chosen.
        public var isCandidate: Bool
    }

    /// At most this many commits near the change have their content compared.
    public static let candidateLimit = 200

    /// The commits of `place` that carry the change asked about, with the strongest evidence
    /// found: all of them for a patch-id, a link or a marker; the best by content (or those as
    /// close as it, as candidates). `mainline`: the place is a long history, where a copy must
    /// have the change's subject or author (half the files alone would name too many).
    /// `repository`: where a commit whose changed lines were too many to keep is read again.
    public static func landings(
        of query: Query, in place: some LandingCandidates, mainline: Bool, identities: IdentityMatcher,
        repository: Repository
    ) throws -> [Landing] {
        // The commit asked about is where it is (found by its own patch-id); it is no copy of
        // itself by marker or content.
        func distinct(_ found: [LandingMatcher.CommitFacts]) -> [LandingMatcher.CommitFacts] {
            var seen = Set<ObjectID>()
            return found.filter { seen.insert($0.id).inserted }
        }
        func others(_ found: [LandingMatcher.CommitFacts]) -> [LandingMatcher.CommitFacts] {
            distinct(found).filter { $0.id != query.commit }
        }
        let same = distinct(try query.patchIDs.flatMap { try place.commits(withPatchID: $0) })
        if !same.isEmpty { return same.map { Landing(commit: $0, rule: .patchID, score: nil, isCandidate: false) } }
        let linked = distinct(try query.messageIDs.flatMap { try place.commits(linking: $0) })
        if !linked.isEmpty {
            return linked.map { Landing(commit: $0, rule: .messageID, score: nil, isCandidate: false) }
        }
        var marked = try query.commit.map { try place.commits(marking: $0) } ?? []
        for marker in query.markers { marked += try place.commits(withPrefix: marker) }
        marked = others(marked)
        if !marked.isEmpty {
            return try marked.map { facts in
                let score = try query.content.map {
                    ContentScore($0, try place.content(of: facts, in: repository), identities: identities)
                }
                return Landing(commit: facts, rule: .backportMarker, score: score, isCandidate: false)
            }
        }
        guard let content = query.content, !content.files.isEmpty else { return [] }
        return try closest(
            to: content, among: nearby(place, content, mainline: mainline, except: query.commit), in: place,
            identities: identities, repository: repository)
    }

    /// The commits near `content`, those of the same subject first, then by how many of its
    /// files they change; at most `candidateLimit`.
    private static func nearby(
        _ place: some LandingCandidates, _ content: ChangeContent, mainline: Bool, except commit: ObjectID?
    ) throws -> [LandingMatcher.CommitFacts] {
        try place.commits(near: content, byFiles: !mainline).filter { $0.0.id != commit }
            .map { facts, shared in (facts, shared, facts.subject == content.subject) }
            .sorted { ($0.2 ? 1 : 0, $0.1, $1.0.id.hex) > ($1.2 ? 1 : 0, $1.1, $0.0.id.hex) }
            .prefix(candidateLimit).map(\.0)
    }

    private static func closest(
        to content: ChangeContent, among candidates: [LandingMatcher.CommitFacts], in place: some LandingCandidates,
        identities: IdentityMatcher, repository: Repository
    ) throws -> [Landing] {
        var scored: [Landing] = []
        for facts in candidates {
            let score = ContentScore(content, try place.content(of: facts, in: repository), identities: identities)
            if score.isMatch { scored.append(Landing(commit: facts, rule: .content, score: score, isCandidate: false)) }
        }
        guard let best = scored.compactMap(\.score?.value).max() else { return [] }
        var close = scored.filter { best - ($0.score?.value ?? 0) < ContentScore.closeness }
        close.sort { ($0.score?.value ?? 0) > ($1.score?.value ?? 0) }
        if close.count > 1 { for index in close.indices { close[index].isCandidate = true } }
        return close
    }

    /// A commit's content: from its stored facts, or read again when they could not keep all
    /// its changed lines.
    static func content(of facts: LandingMatcher.CommitFacts, in repository: Repository) throws -> ChangeContent {
        if let content = facts.content { return content }
        return try ChangeContent(of: repository.commit(facts.id), in: repository)
    }
}
