import Foundation
public import Git

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
