public import Foundation
public import Git

/// Which posted series landed where: every series version of the imported mail against the
/// integration branch and each fetched tree (their commits since the mainline base), patch by
/// patch, with how each was matched, and the review trailers given on the list that the commit
/// lacks. JSON schema `tributary.series/1`.
public struct SeriesLedger: Sendable, Codable {
    public var schema = "tributary.series/1"
    /// Where patches were looked for, in order: the integration branch, then the trees.
    public var places: [Place]
    public var series: [Series]

    public struct Place: Sendable, Codable {
        public var name: String
        public var tip: ObjectID
        public var commits: Int
    }

    /// A series version's state in one place.
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Every patch is there as posted (same patch-id).
        case landed
        /// Every patch is there, some changed on the way.
        case modified
        /// Some patches are there.
        case partial
        /// None is there.
        case notLanded = "not-landed"
        /// None is there, and a newer version was posted.
        case superseded
    }

    public struct Series: Sendable, Codable {
        /// A stable id: the start of the SHA-1 of the title and sender.
        public var id: String
        public var title: String
        public var sender: String
        public var versions: [Version]
        /// Where it should go, when its newest version is applied nowhere (`trib series route`);
        /// nil when it is somewhere, or routing was not asked for.
        public var routing: RoutingSummary?
    }

    public struct Version: Sendable, Codable {
        public var version: Int
        public var messageID: String
        public var date: Date?
        public var expected: Int
        public var complete: Bool
        /// The state per place name.
        public var states: [String: State]
        public var patches: [PatchLanding]
        /// The posting's To and Cc values (its cover letter's, else its first patch's), as written.
        public var recipients: [String]?
    }

    public struct PatchLanding: Sendable, Codable {
        public var counter: Int
        public var subject: String
        public var messageID: String
        public var patchID: ObjectID?
        public var landings: [Landing]
        /// Review trailers given on the list by their own person.
        public var listTrailers: [String]
        /// Those of them that the first commit found lacks.
        public var missingInCommit: [String]
    }

    /// Where a patch landed: the place (the integration branch or a tree) and the branch it
    /// follows, the commit, the commit's date, and the rule that matched.
    public struct Landing: Sendable, Codable, Hashable {
        public var place: String
        public var branch: String
        public var commit: ObjectID
        /// The committer date of the commit.
        public var date: Date
        public var rule: LandingMatcher.Rule
    }

    /// Builds the ledger of `messages` against `places` (name and commit range). `matchers`, one
    /// per place, spares building them again when the caller has them (else they are built);
    /// `series`, the messages' series when the caller has grouped them already.
    public static func build(
        messages: [MailMessage], repository: Repository, places: [LedgerPlaces.Place], index: IndexDatabase?,
        matchers known: [LandingMatcher]? = nil, series grouped: [PatchSeries]? = nil
    ) throws -> SeriesLedger {
        let matchers =
            try known ?? places.map { try LandingMatcher(repository: repository, range: $0.range, index: index) }
        precondition(matchers.count == places.count, "one matcher per place")
        var result: [Series] = []
        for found in grouped ?? PatchSeries.find(in: messages) {
            let newest = found.versions.map(\.version).max() ?? 1
            var versions: [Version] = []
            for version in found.versions {
                var patches: [PatchLanding] = []
                for patch in version.patches {
                    var landings: [Landing] = []
                    var firstCommit: LandingMatcher.CommitFacts?
                    for (place, matcher) in zip(places, matchers) {
                        guard let (commit, rule) = matcher.match(patch) else { continue }
                        landings.append(
                            Landing(
                                place: place.name, branch: place.branch, commit: commit.id,
                                date: Date(timeIntervalSince1970: TimeInterval(commit.date)), rule: rule))
                        if firstCommit == nil { firstCommit = commit }
                    }
                    let given = patch.replyTrailers.filter { reply in
                        reply.fromSender
                            && ["reviewed-by", "acked-by", "tested-by"].contains(reply.trailer.key.lowercased())
                    }
                    var listTrailers: [String] = []
                    for reply in given where !listTrailers.contains(reply.trailer.description) {
                        listTrailers.append(reply.trailer.description)
                    }
                    let missing =
                        firstCommit.map { commit in
                            given.filter { reply in
                                !commit.trailers.contains { trailer in
                                    trailer.key.caseInsensitiveCompare(reply.trailer.key) == .orderedSame
                                        && sameAddress(trailer.value, reply.trailer.value)
                                }
                            }.map(\.trailer.description)
                        } ?? []
                    patches.append(
                        PatchLanding(
                            counter: patch.counter, subject: patch.subject, messageID: patch.messageID,
                            patchID: patch.patchID, landings: landings, listTrailers: listTrailers,
                            missingInCommit: Array(Set(missing)).sorted()))
                }
                var states: [String: State] = [:]
                for place in places {
                    let here = patches.map { patch in patch.landings.first { $0.place == place.name } }
                    let found = here.compactMap { $0 }
                    if !patches.isEmpty && found.count == patches.count {
                        states[place.name] = found.allSatisfy { $0.rule == .patchID } ? .landed : .modified
                    } else if !found.isEmpty {
                        states[place.name] = .partial
                    } else {
                        states[place.name] = version.version < newest ? .superseded : .notLanded
                    }
                }
                versions.append(
                    Version(
                        version: version.version, messageID: version.messageID, date: version.date,
                        expected: version.expected, complete: version.isComplete, states: states, patches: patches,
                        recipients: (version.cover ?? version.patches.first).map { posting in
                            posting.message.headers("To") + posting.message.headers("Cc")
                        }))
            }
            result.append(Series(id: found.id, title: found.title, sender: found.sender, versions: versions))
        }
        return SeriesLedger(
            places: zip(places, matchers).map { Place(name: $0.0.name, tip: $0.0.tip, commits: $0.1.commits.count) },
            series: result)
    }

    /// The series whose newest version is in `state` in one of `places` (every place of the
    /// ledger when nil).
    public func series(in state: State, at places: [String]? = nil) -> [Series] {
        let names = places ?? self.places.map(\.name)
        return series.filter { series in
            guard let newest = series.versions.last else { return false }
            return names.contains { newest.states[$0] == state }
        }
    }

    /// Replaces the ledger stored in `index` (its `series_patch` and `landing` rows) with this one.
    public func store(in index: IndexDatabase) throws {
        var patches: [IndexDatabase.StoredPatch] = []
        var landings: [IndexDatabase.StoredLanding] = []
        for series in series {
            for version in series.versions {
                for posted in version.patches {
                    patches.append(
                        .init(
                            messageID: posted.messageID, seriesID: series.id, version: version.version,
                            counter: posted.counter, subject: posted.subject, patchID: posted.patchID))
                    for found in posted.landings {
                        landings.append(
                            .init(
                                messageID: posted.messageID, seriesID: series.id, version: version.version,
                                place: found.place, branch: found.branch, commit: found.commit,
                                date: Int64(found.date.timeIntervalSince1970), rule: found.rule.rawValue))
                    }
                }
            }
        }
        try index.storeLedger(patches: patches, landings: landings)
    }

    /// How many landings the ledger found, over every series, version, patch and place.
    public var landingCount: Int {
        series.reduce(0) { total, series in
            total + series.versions.reduce(0) { $0 + $1.patches.reduce(0) { $0 + $1.landings.count } }
        }
    }

    /// Builds the ledger of the imported mail against the manifest's places (the integration
    /// branch and each fetched tree since the base) and stores it in `index`, replacing what
    /// was stored (`store(in:)`).
    @discardableResult
    public static func refresh(
        repository: Repository, manifest: Manifest, index: IndexDatabase, context: Context = Context()
    ) throws -> SeriesLedger {
        let messages = try MailArchive(repository: repository).messages()
        // No mail, no series: nothing to look for (and no need to read every commit's facts).
        let ledger =
            messages.isEmpty
            ? SeriesLedger(places: [], series: [])
            : try LedgerSources(repository: repository, manifest: manifest, index: index, context: context).ledger()
        try ledger.store(in: index)
        return ledger
    }

    static func sameAddress(_ one: String, _ two: String) -> Bool {
        guard let first = Identity.parse(one), let second = Identity.parse(two) else { return one == two }
        return IdentityMatcher.sameAddress(first.email, second.email)
    }
}
