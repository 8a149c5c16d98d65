public import Git

/// Series found in the trees themselves, without their mail: commits whose Link: trailers name
/// one posting (b4's `<date>.<n>-<k>-<sender>` message-ids share what precedes the patch number),
/// and merges of a patch series or a topic branch ("Merge patch series …", "Merge branch '…'")
/// with the commits they brought in.
public struct DiscoveredSeries: Sendable, Codable {
    /// How the series was found.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// Commits whose Link: trailers name one posting.
        case posting
        /// The commits a merge of a patch series or a topic branch brought in.
        case merge
    }

    public var kind: Kind
    public var place: String
    /// The posting's id stem, or the merge's subject.
    public var title: String
    public var merge: ObjectID?
    public var commits: [ObjectID]
    /// The imported series whose patches landed as these commits (ids of `SeriesLedger`), once
    /// joined with the ledger (`joined(with:)`); empty when none was mailed or imported.
    public var mailed: [String] = []

    /// These series with `mailed` filled in from `ledger`: a mailed series is named when some of
    /// its patches landed, in this place, as commits of the discovered one.
    public static func joined(_ found: [DiscoveredSeries], with ledger: SeriesLedger) -> [DiscoveredSeries] {
        var seriesOf: [String: [ObjectID: Set<String>]] = [:]
        for series in ledger.series {
            for version in series.versions {
                for patch in version.patches {
                    for landing in patch.landings {
                        seriesOf[landing.place, default: [:]][landing.commit, default: []].insert(series.id)
                    }
                }
            }
        }
        return found.map { discovered in
            var joined = discovered
            var ids: [String] = []
            for commit in discovered.commits {
                for id in (seriesOf[discovered.place]?[commit] ?? []).sorted() where !ids.contains(id) {
                    ids.append(id)
                }
            }
            joined.mailed = ids
            return joined
        }
    }

    /// The series of `place` (its commits since the base). `matcher`: the place's, when the
    /// caller has it (else it is built).
    public static func find(
        in place: LedgerPlaces.Place, repository: Repository, index: IndexDatabase?,
        matcher known: LandingMatcher? = nil
    ) throws -> [DiscoveredSeries] {
        var found: [DiscoveredSeries] = []
        let matcher = try known ?? LandingMatcher(repository: repository, range: place.range, index: index)
        var byPosting: [String: [ObjectID]] = [:]
        var order: [String] = []
        for commit in matcher.commits.reversed() {
            for messageID in commit.messageIDs {
                let stem = MessageID.postingStem(messageID)
                if byPosting[stem] == nil { order.append(stem) }
                if !(byPosting[stem]?.contains(commit.id) ?? false) { byPosting[stem, default: []].append(commit.id) }
            }
        }
        for stem in order where (byPosting[stem]?.count ?? 0) > 1 {
            found.append(
                DiscoveredSeries(kind: .posting, place: place.name, title: stem, merge: nil, commits: byPosting[stem]!)
            )
        }
        for id in try repository.commits(in: place.range) {
            let commit = try repository.commit(id)
            guard commit.parents.count == 2,
                commit.summary.hasPrefix("Merge patch series") || commit.summary.hasPrefix("Merge branch '")
            else { continue }
            let brought = try repository.commits(
                in: RevisionRange(terms: [.include(commit.parents[1].hex), .exclude(commit.parents[0].hex)]))
            found.append(
                DiscoveredSeries(
                    kind: .merge, place: place.name, title: commit.summary, merge: id, commits: brought.reversed()))
        }
        return found
    }
}
