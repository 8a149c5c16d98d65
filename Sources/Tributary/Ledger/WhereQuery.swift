import Foundation
public import Git

/// What `trib where` is asked about: a change known by its patch-id (when it has a diff) and
/// the message-ids it names.
public struct WhereQuery: Sendable, Hashable {
    /// The query as given.
    public var text: String
    public var patchID: ObjectID?
    public var messageIDs: [String]

    public init(text: String, patchID: ObjectID?, messageIDs: [String]) {
        self.text = text
        self.patchID = patchID
        self.messageIDs = messageIDs
    }

    /// `query` read as `trib where` reads it: an existing file is a patch or a mail (the first
    /// message of an mbox): its diff's patch-id and its Message-ID; text with an `@` is a
    /// message-id (with or without `<>`); anything else is a revision: its commit's patch-id and
    /// the message-ids its Link: and Message-ID: trailers name.
    public static func classify(_ query: String, in repository: Repository) throws -> WhereQuery {
        if FileManager.default.fileExists(atPath: query), let data = FileManager.default.contents(atPath: query) {
            let message = MailMessage(Mbox.messages(in: Array(data)).first?.bytes ?? Array(data))
            var hasher = PatchIDHasher()
            hasher.add(text: message.body.isEmpty ? String(decoding: data, as: UTF8.self) : message.body)
            return WhereQuery(text: query, patchID: hasher.finalize(), messageIDs: message.messageID.map { [$0] } ?? [])
        }
        if query.contains("@") {
            return WhereQuery(
                text: query, patchID: nil, messageIDs: [query.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))]
            )
        }
        let commit = try repository.commit(repository.resolveCommit(query))
        return WhereQuery(
            text: query, patchID: try repository.patchID(of: commit),
            messageIDs: MessageID.linked(in: TrailerParser.trailers(in: commit.message, from: .commit)))
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
    /// since the base), whose commits the index reads first when it has not seen them, and in
    /// the imported mail.
    public static func find(
        _ query: WhereQuery, repository: Repository, manifest: Manifest, context: Context = Context()
    ) throws -> WhereAnswer {
        let places = try LedgerPlaces.places(repository: repository, manifest: manifest)
        let messages = try MailArchive(repository: repository).messages()
        let index = try IndexDatabase(repository: repository)
        _ = try LedgerPlaces.update(repository: repository, manifest: manifest, index: index, context: context)
        return try find(
            query: query.text, patchID: query.patchID, messageIDs: query.messageIDs, messages: messages,
            repository: repository, places: places, index: index)
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
                for (commit, rule) in candidates where holding[commit]?.contains(place.name) == true {
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
