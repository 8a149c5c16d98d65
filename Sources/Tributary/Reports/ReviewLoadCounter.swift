public import Git

/// Counts the Reviewed-by and Acked-by trailers of a range of commits per person, as the report's
/// review load shows them.
///
/// People are told apart as SEMANTICS §3 says: each trailer's identity goes through the
/// project's `.mailmap` first, then addresses that differ only in case, a `+extension` of the
/// local part or one leading domain label (`a@linux.intel.com`, `a@intel.com`) are one person,
/// shown under the name they used most. Trailers from the policy's bots are counted apart and
/// never make a commit reviewed; the author's own trailer is neither counted nor a review.
public struct ReviewLoadCounter {
    static let reviewKeys = ["reviewed-by", "acked-by"]

    public var identities: IdentityMatcher
    public var policy: TagPolicy

    private var people: [String: Tally] = [:]
    private var bots: [String: Tally] = [:]
    private var unreviewed: [IntegrationReport.ReviewLoad.Unreviewed] = []
    private var counted = 0

    private struct Tally {
        var reviewed = 0
        var acked = 0
        /// How often each `Name <address>` (after the mailmap) was written, and in which order
        /// they first came.
        var spellings: [String: Int] = [:]
        var order: [String] = []

        mutating func add(_ key: String, spelling: String) {
            if key == "reviewed-by" { reviewed += 1 } else { acked += 1 }
            if spellings[spelling] == nil { order.append(spelling) }
            spellings[spelling, default: 0] += 1
        }

        mutating func absorb(_ other: Tally) {
            reviewed += other.reviewed
            acked += other.acked
            for spelling in other.order where spellings[spelling] == nil { order.append(spelling) }
            spellings.merge(other.spellings, uniquingKeysWith: +)
        }

        /// The most used spelling; the first one seen on a tie.
        var person: String {
            var best = order.first ?? ""
            for spelling in order where spellings[spelling]! > spellings[best]! { best = spelling }
            return best
        }

        func reviewer() -> IntegrationReport.ReviewLoad.Reviewer {
            .init(person: person, reviewed: reviewed, acked: acked)
        }
    }

    public init(identities: IdentityMatcher, policy: TagPolicy) {
        self.identities = identities
        self.policy = policy
    }

    /// The key two addresses of one person share, apart from the leading-label rule: the local
    /// part without `+extension` and the domain, lower-cased.
    static func key(of address: String) -> String {
        let lowered = address.lowercased()
        guard let at = lowered.lastIndex(of: "@") else { return lowered }
        let local = lowered[..<at]
        let kept = local.firstIndex(of: "+").map { local[..<$0] } ?? local
        return String(kept + lowered[at...])
    }

    /// Counts one commit (merges are not counted) found in `place`.
    public mutating func add(_ commit: Commit, id: ObjectID, place: String) {
        if commit.isMerge { return }
        counted += 1
        let author = Identity(commit.author)
        var reviewedByOthers = false
        var given = Set<String>()
        for trailer in TrailerParser.trailers(in: commit.message, from: .commit) {
            let key = trailer.key.lowercased()
            guard Self.reviewKeys.contains(key), let written = Identity.parse(trailer.value) else { continue }
            let person = identities.canonical(written)
            let address = Self.key(of: person.email)
            guard given.insert(key + " " + address).inserted else { continue }
            if policy.isBot(written) || policy.isBot(person) {
                bots[address, default: Tally()].add(key, spelling: person.description)
                continue
            }
            // An author's trailer on their own commit is no review work.
            if identities.isSamePerson(author, written) { continue }
            reviewedByOthers = true
            people[address, default: Tally()].add(key, spelling: person.description)
        }
        if !reviewedByOthers {
            unreviewed.append(.init(place: place, commit: id, subject: commit.summary, author: author.description))
        }
    }

    /// The counts, busiest reviewer first.
    public func load() -> IntegrationReport.ReviewLoad {
        let reviewers = Self.merged(people).map { $0.reviewer() }.sorted(by: Self.busierFirst)
        let all = reviewers.reduce(0) { $0 + $1.total }
        let top = reviewers.prefix(max(1, (reviewers.count + 4) / 5)).reduce(0) { $0 + $1.total }
        return .init(
            commits: counted, reviewers: reviewers, unreviewed: unreviewed,
            topFifthShare: all == 0 ? 0 : Double(top) / Double(all),
            bots: Self.merged(bots).map { $0.reviewer() }.sorted(by: Self.busierFirst))
    }

    private static func busierFirst(
        _ one: IntegrationReport.ReviewLoad.Reviewer, _ two: IntegrationReport.ReviewLoad.Reviewer
    ) -> Bool {
        (two.total, one.person) < (one.total, two.person)
    }

    /// Joins the tallies whose addresses differ by one leading domain label into the shorter
    /// address's (`a@linux.intel.com` into `a@intel.com`, when that one was seen).
    private static func merged(_ tallies: [String: Tally]) -> [Tally] {
        var result = tallies
        // Longest domains first, so that a@x.y.example.org reaches a@example.org through
        // a@y.example.org only when each step was seen.
        for address in tallies.keys.sorted(by: { ($0.count, $0) > ($1.count, $1) }) {
            guard let tally = result[address], let at = address.lastIndex(of: "@") else { continue }
            let domain = address[address.index(after: at)...]
            guard let dot = domain.firstIndex(of: "."), dot > domain.startIndex else { continue }
            let shorter = domain[domain.index(after: dot)...]
            guard shorter.contains(".") else { continue }
            let target = String(address[...at]) + shorter
            guard result[target] != nil else { continue }
            result[target]!.absorb(tally)
            result[address] = nil
        }
        return Array(result.values)
    }
}
