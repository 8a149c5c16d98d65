import Foundation
public import Git

/// `trib where`: a commit, a message-id, a patch file, a series' mbox or a range, and every place it is — the commits
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
    /// places and the mail once for all; in each place the landing engine looks the change up
    /// in the index (`IndexedPlace`), reading only the commits that can be copies.
    public static func find(
        _ queries: [WhereQuery], repository: Repository, manifest: Manifest, context: Context = Context()
    ) throws -> [WhereAnswer] {
        let clock = context.clock("where")
        defer { clock.report() }
        // The index is made only once the manifest's places are known good (a bad ref leaves
        // nothing behind); an index already there keeps the mainline's horizon.
        let indexPath = StateDirectory.path(for: repository) + "/index.sqlite"
        let existing = FileManager.default.fileExists(atPath: indexPath) ? try IndexDatabase(path: indexPath) : nil
        let places = try LedgerPlaces.places(
            repository: repository, manifest: manifest, includingMainline: true, index: existing)
        let index = try existing ?? IndexDatabase(repository: repository)
        clock.mark("places")
        _ = try LedgerPlaces.update(
            repository: repository, manifest: manifest, index: index, includingMainline: true, places: places,
            context: context)
        clock.mark("index")
        let postings = PostingIndex(try MailArchive(repository: repository).messages())
        clock.mark("mail")
        let identities = IdentityMatcher(mailmap: try repository.mailmap())
        clock.mark("mailmap")
        defer { clock.mark("queries") }
        return try queries.map { query in
            let posted = postings.postings(patchID: query.patchID, messageIDs: query.messageIDs)
            var messageIDs = query.messageIDs
            var patchIDs = query.patchID.map { [$0] } ?? []
            for (posting, patchID) in posted {
                if !messageIDs.contains(posting.messageID) { messageIDs.append(posting.messageID) }
                if let patchID, !patchIDs.contains(patchID) { patchIDs.append(patchID) }
            }
            let engineQuery = LandingEngine.Query(
                commit: query.commit, patchIDs: patchIDs, messageIDs: messageIDs, markers: query.markers,
                content: query.content)
            var commits: [Place] = []
            let lookup = IndexLookup(index: index)
            for place in places {
                let landings = try LandingEngine.landings(
                    of: engineQuery, in: IndexedPlace(lookup: lookup, name: place.indexName),
                    mainline: place.isMainline, identities: identities, repository: repository)
                commits += landings.map { Place(place.name, $0) }
            }
            return WhereAnswer(
                query: query.text, patchID: query.patchID ?? patchIDs.first, messageIDs: messageIDs, commits: commits,
                postings: posted.map(\.0))
        }
    }
}

extension WhereAnswer.Place {
    /// A landing the engine found in the place named `place`.
    init(_ place: String, _ landing: LandingEngine.Landing) {
        let evidence = landing.score.map { score in
            landing.rule == .backportMarker ? "marker, " + score.description : score.description
        }
        self.init(
            place: place, commit: landing.commit.id, subject: landing.commit.summary, rule: landing.rule,
            score: landing.score?.value, evidence: evidence, candidate: landing.isCandidate ? true : nil)
    }
}

/// The posted patches of the imported mail, by patch-id and by Message-ID, read once for all the
/// queries of a run.
struct PostingIndex {
    private var byPatchID: [ObjectID: [Int]] = [:]
    private var byMessageID: [String: [Int]] = [:]
    private var postings: [(WhereAnswer.Posting, ObjectID?)] = []

    init(_ messages: [MailMessage]) {
        for series in PatchSeries.find(in: messages) {
            for version in series.versions {
                for patch in version.patches {
                    let position = postings.count
                    postings.append(
                        (
                            WhereAnswer.Posting(
                                series: series.id, title: series.title, version: version.version,
                                counter: patch.counter, subject: patch.subject, messageID: patch.messageID),
                            patch.patchID
                        ))
                    if let patchID = patch.patchID { byPatchID[patchID, default: []].append(position) }
                    byMessageID[patch.messageID, default: []].append(position)
                }
            }
        }
    }

    /// The postings with this patch-id or one of these Message-IDs, in the order of the mail,
    /// each with its own patch-id.
    func postings(patchID: ObjectID?, messageIDs: [String]) -> [(WhereAnswer.Posting, ObjectID?)] {
        var positions = Set(patchID.flatMap { byPatchID[$0] } ?? [])
        for messageID in messageIDs { positions.formUnion(byMessageID[messageID] ?? []) }
        return positions.sorted().map { postings[$0] }
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
