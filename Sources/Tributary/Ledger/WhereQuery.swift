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

    public init(
        text: String, patchID: ObjectID?, messageIDs: [String], commit: ObjectID? = nil, content: ChangeContent? = nil
    ) {
        self.text = text
        self.patchID = patchID
        self.messageIDs = messageIDs
        self.commit = commit
        self.content = content
    }

    /// `query` read as `trib where` reads it: an existing file is a patch or a mail (the first
    /// message of an mbox): its diff's patch-id and its Message-ID; text with an `@` is a
    /// message-id (with or without `<>`); anything else is a revision: its commit's patch-id and
    /// the message-ids its Link: and Message-ID: trailers name.
    public static func classify(_ query: String, in repository: Repository) throws -> WhereQuery {
        if FileManager.default.fileExists(atPath: query), let data = FileManager.default.contents(atPath: query) {
            let message = MailMessage(Mbox.messages(in: Array(data)).first?.bytes ?? Array(data))
            var hasher = PatchIDHasher()
            let diff = message.body.isEmpty ? String(decoding: data, as: UTF8.self) : message.body
            hasher.add(text: diff)
            let author =
                message.from.map { Identity(name: $0.name, email: $0.address) } ?? Identity(name: "", email: "")
            return WhereQuery(
                text: query, patchID: hasher.finalize(), messageIDs: message.messageID.map { [$0] } ?? [],
                content: ChangeContent(subject: message.subject, author: author, diff: diff))
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
            commit: commit.id, content: commit.isMerge ? nil : try ChangeContent(of: commit, in: repository))
    }
}

extension WhereQuery {
    /// `query` as `trib where` reads it when it may hold several changes: a range (`A..B`,
    /// `A...B`, `^A B`) is one query per non-merge commit, oldest first; a file holding several
    /// patches (the mbox of a series) one per patch, in order; anything else one query
    /// (`classify`).
    public static func classifyAll(_ query: String, in repository: Repository) throws -> [WhereQuery] {
        if FileManager.default.fileExists(atPath: query), let data = FileManager.default.contents(atPath: query) {
            let patches = Mbox.messages(in: Array(data)).map { MailMessage($0.bytes) }.filter {
                $0.body.hasPrefix("diff --git ") || $0.body.contains("\ndiff --git ")
            }
            guard patches.count > 1 else { return [try classify(query, in: repository)] }
            return patches.map { message in
                var hasher = PatchIDHasher()
                hasher.add(text: message.body)
                let author =
                    message.from.map { Identity(name: $0.name, email: $0.address) } ?? Identity(name: "", email: "")
                return WhereQuery(
                    text: message.subject, patchID: hasher.finalize(), messageIDs: message.messageID.map { [$0] } ?? [],
                    content: ChangeContent(subject: message.subject, author: author, diff: message.body))
            }
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

/// `trib where` asked about several changes (a range, a series): one answer per change, and
/// per place how many of them it carries. JSON schema `tributary.where-list/1`.
public struct WhereListAnswer: Sendable, Codable {
    public var schema = "tributary.where-list/1"
    public var query: String
    public var answers: [WhereAnswer]
    /// The places that carry at least one of the changes, in the order of the places.
    public var places: [PlaceSummary]

    /// Whether none of the changes is anywhere (exit status 1).
    public var isNowhere: Bool { answers.allSatisfy(\.isNowhere) }

    public struct PlaceSummary: Sendable, Codable, Hashable {
        public var place: String
        /// `landed` (every change, each by patch-id), `modified` (every change, some by other
        /// evidence), `partial` (some of them).
        public var state: String
        public var found: Int
        public var of: Int
    }

    public init(query: String, answers: [WhereAnswer]) {
        self.query = query
        self.answers = answers
        var order: [String] = []
        for answer in answers {
            for place in answer.commits where !order.contains(place.place) { order.append(place.place) }
        }
        places = order.map { name in
            let found = answers.filter { $0.commits.contains { $0.place == name } }
            let exact = found.filter { $0.commits.contains { $0.place == name && $0.rule == .patchID } }
            let state =
                found.count < answers.count ? "partial" : exact.count == answers.count ? "landed" : "modified"
            return PlaceSummary(place: name, state: state, found: found.count, of: answers.count)
        }
    }
}

/// `trib where`: a commit, a message-id or a patch file, and every place it is — the commits
/// carrying the same change in the integration branch and each tree, and the posted patches it
/// came from. JSON schema `tributary.where/1`.
public struct WhereAnswer: Sendable, Codable {
    public var schema = "tributary.where/1"
    public var query: String
    public var patchID: ObjectID?
    public var messageIDs: [String]
    public var commits: [Place]
    public var postings: [Posting]

    /// Whether the change is in no place and was never posted (exit status 1).
    public var isNowhere: Bool { commits.isEmpty && postings.isEmpty }

    public struct Place: Sendable, Codable, Hashable {
        public var place: String
        public var commit: ObjectID
        public var subject: String
        public var rule: LandingMatcher.Rule
        /// For a copy found by its content (or its backport marker): how strongly its content
        /// matches, from 0 to 1, and what matched.
        public var score: Double?
        public var evidence: String?
        /// True when another commit of the same place scores as close: both are named, neither
        /// chosen.
        public var candidate: Bool?

        public init(
            place: String, commit: ObjectID, subject: String, rule: LandingMatcher.Rule, score: Double? = nil,
            evidence: String? = nil, candidate: Bool? = nil
        ) {
            self.place = place
            self.commit = commit
            self.subject = subject
            self.rule = rule
            self.score = score
            self.evidence = evidence
            self.candidate = candidate
        }
    }

    public struct Posting: Sendable, Codable, Hashable {
        public var series: String
        public var title: String
        public var version: Int
        public var counter: Int
        public var subject: String
        public var messageID: String
    }

    /// Answers `query` in the manifest's places (the integration branch and each fetched tree
    /// since the base, each `[place]`, the mainline back to its horizon), whose commits the index
    /// reads first when it has not seen them, and in the imported mail.
    public static func find(
        _ query: WhereQuery, repository: Repository, manifest: Manifest, context: Context = Context()
    ) throws -> WhereAnswer {
        try find([query], repository: repository, manifest: manifest, context: context)[0]
    }

    /// Answers each of `queries` (the commits of a range, the patches of a series), reading the
    /// places, the mail and each place's commits once for all.
    public static func find(
        _ queries: [WhereQuery], repository: Repository, manifest: Manifest, context: Context = Context()
    ) throws -> [WhereAnswer] {
        let places = try LedgerPlaces.places(repository: repository, manifest: manifest, includingMainline: true)
        let messages = try MailArchive(repository: repository).messages()
        let index = try IndexDatabase(repository: repository)
        _ = try LedgerPlaces.update(
            repository: repository, manifest: manifest, index: index, includingMainline: true, context: context)
        var matchers: [String: LandingMatcher] = [:]
        let identities = IdentityMatcher(mailmap: try repository.mailmap())
        return try queries.map { query in
            var answer = try find(
                query: query.text, patchID: query.patchID, messageIDs: query.messageIDs, messages: messages,
                repository: repository, places: places, index: index)
            if let content = query.content {
                let found = Set(answer.commits.map(\.place))
                for place in places where !found.contains(place.name) {
                    if matchers[place.name] == nil {
                        matchers[place.name] = try LandingMatcher(
                            repository: repository, range: place.range, index: index)
                    }
                    answer.commits += try copies(
                        of: content, commit: query.commit, in: place, matcher: matchers[place.name]!,
                        identities: identities, repository: repository)
                }
            }
            return answer
        }
    }

    /// The commits of `place` that carry `content` edited on the way (found neither by patch-id
    /// nor by a link): among the commits that change one of its files, those whose backport
    /// marker names `commit`, else the best by content score when it reaches the threshold —
    /// with every other one as close to it, all then marked as candidates.
    static func copies(
        of content: ChangeContent, commit: ObjectID?, in place: LedgerPlaces.Place, matcher: LandingMatcher,
        identities: IdentityMatcher, repository: Repository
    ) throws -> [Place] {
        // A marker naming the commit is enough, whatever the copy changes (the mainline's commits
        // carry none naming each other: not read there).
        if let commit, !place.isMainline {
            var marked: [Place] = []
            for facts in matcher.commits where facts.id != commit {
                let copy = try repository.commit(facts.id)
                guard BackportMarker.commits(in: copy.message).contains(where: { commit.hex.hasPrefix($0) }) else {
                    continue
                }
                let score = ContentScore(content, try ChangeContent(of: copy, in: repository), identities: identities)
                marked.append(
                    Place(
                        place: place.name, commit: facts.id, subject: facts.summary, rule: .backportMarker,
                        score: score.value, evidence: "marker, " + score.description))
            }
            if !marked.isEmpty { return marked }
        }
        guard !content.files.isEmpty else { return [] }
        // The candidates sharing the most files first, and those of the same subject before all.
        // Only commits that can reach the threshold have their diff read: the same subject, the
        // same author, or at least half of the change's files (a copy with neither subject nor
        // author must have nearly all its lines) — in the mainline, whose history is long, the
        // same subject or author only.
        let author = content.author.email.lowercased()
        let ranked = matcher.commits.filter { $0.id != commit && !content.files.isDisjoint(with: $0.files) }
            .map { facts in
                (
                    facts, content.files.intersection(facts.files).count,
                    ChangeContent.normalized(facts.summary) == content.subject
                )
            }
            .filter { facts, shared, sameSubject in
                sameSubject || facts.authorEmail.lowercased() == author
                    || (!place.isMainline && shared * 2 >= content.files.count)
            }
            .sorted { ($0.2 ? 1 : 0, $0.1) > ($1.2 ? 1 : 0, $1.1) }
            .prefix(200)
        var scored: [(Place, ContentScore)] = []
        for (facts, _, _) in ranked {
            let candidate = try repository.commit(facts.id)
            let score = ContentScore(content, try ChangeContent(of: candidate, in: repository), identities: identities)
            if score.isMatch {
                scored.append(
                    (
                        Place(
                            place: place.name, commit: facts.id, subject: facts.summary, rule: .content,
                            score: score.value, evidence: score.description), score
                    ))
            }
        }
        guard let best = scored.map(\.1.value).max() else { return [] }
        let close = scored.filter { best - $0.1.value < ContentScore.closeness }.map(\.0)
        if close.count == 1 { return close }
        return close.map { place in
            var candidate = place
            candidate.candidate = true
            return candidate
        }
    }

    /// Looks up a change known by its patch-id and the message-ids it names.
    public static func find(
        query: String, patchID: ObjectID?, messageIDs: [String], messages: [MailMessage], repository: Repository,
        places: [LedgerPlaces.Place], index: IndexDatabase?
    ) throws -> WhereAnswer {
        var postings: [Posting] = []
        var allMessageIDs = messageIDs
        var allPatchIDs = patchID.map { [$0] } ?? []
        for series in PatchSeries.find(in: messages) {
            let id = series.id
            for version in series.versions {
                for patch in version.patches
                where messageIDs.contains(patch.messageID) || (patchID != nil && patch.patchID == patchID) {
                    postings.append(
                        Posting(
                            series: id, title: series.title, version: version.version, counter: patch.counter,
                            subject: patch.subject, messageID: patch.messageID))
                    if !allMessageIDs.contains(patch.messageID) { allMessageIDs.append(patch.messageID) }
                    if let posted = patch.patchID, !allPatchIDs.contains(posted) { allPatchIDs.append(posted) }
                }
            }
        }
        var commits: [Place] = []
        if let index {
            // From the index: the commits with the patch-id or naming the posting, then the
            // places that hold them.
            var candidates: [(ObjectID, LandingMatcher.Rule)] = []
            for patch in allPatchIDs {
                candidates += try index.commits(patchID: patch, messageIDs: []).byPatchID.map { ($0, .patchID) }
            }
            for commit in try index.commits(patchID: nil, messageIDs: allMessageIDs).byLink
            where !candidates.contains(where: { $0.0 == commit }) {
                candidates.append((commit, .messageID))
            }
            let stored = try index.commitFacts(of: candidates.map(\.0))
            let holding = try Dictionary(candidates.map { ($0.0, Set(try index.places(holding: $0.0))) }) { first, _ in
                first
            }
            for place in places {
                for (commit, rule) in candidates where holding[commit]?.contains(place.indexName) == true {
                    let summary =
                        stored[commit].flatMap { try? JSONDecoder().decode(LandingMatcher.CommitFacts.self, from: $0) }?
                        .summary ?? (try? repository.commit(commit).summary) ?? ""
                    commits.append(Place(place: place.name, commit: commit, subject: summary, rule: rule))
                }
            }
        } else {
            for place in places {
                let matcher = try LandingMatcher(repository: repository, range: place.range, index: index)
                var found: [Place] = []
                for patch in allPatchIDs {
                    if let commit = matcher.commit(withPatchID: patch) {
                        found.append(
                            Place(place: place.name, commit: commit.id, subject: commit.summary, rule: .patchID))
                    }
                }
                for messageID in allMessageIDs {
                    if let commit = matcher.commit(linking: messageID),
                        !found.contains(where: { $0.commit == commit.id })
                    {
                        found.append(
                            Place(place: place.name, commit: commit.id, subject: commit.summary, rule: .messageID))
                    }
                }
                commits += found
            }
        }
        return WhereAnswer(
            query: query, patchID: patchID ?? allPatchIDs.first, messageIDs: allMessageIDs, commits: commits,
            postings: postings)
    }
}
