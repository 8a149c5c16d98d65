public import Foundation
public import Git

/// Everything `trib report` publishes about the integration tree at one moment: the trees and
/// their state, the pairwise conflicts, the tag debt, the review load and every series across the
/// places. It is also the snapshot a later report compares with ("since the previous report").
/// JSON schema `tributary.report/1` (Docs/schemas/report.schema.json).
public struct IntegrationReport: Sendable, Codable {
    public var schema = "tributary.report/1"
    /// The moment the report describes (ages of series are counted up to it).
    public var asOf: Date
    public var integration: Integration
    public var trees: [TreeStatus]
    /// The pairwise conflict matrix over the fetched trees.
    public var pairs: [PairConflict]
    public var tagDebt: [TagDebt]
    public var reviewLoad: ReviewLoad
    public var series: [SeriesRow]

    public struct Integration: Sendable, Codable {
        public var branch: String
        public var tip: ObjectID?
        public var baseRef: String?
        public var baseTip: ObjectID?
    }

    /// One sub-tree: where it comes from, the plan's verdict and who answers for it.
    public struct TreeStatus: Sendable, Codable {
        public var name: String
        public var url: String
        public var branch: String
        public var tip: ObjectID?
        public var state: TreePlan.State
        /// Commits not yet in the integration branch.
        public var newCommits: Int
        /// The MAINTAINERS sections it owns, and their maintainers (M:).
        public var owns: [String]
        public var maintainers: [String]
        /// Conflicts of its trial merge onto the running result, with who must resolve them.
        public var conflicts: [ConflictNote]
        public var tagErrors: Int
        public var tagWarnings: Int
        /// What the last `trib verify` said of it ("passed", "broke at COMMIT since DATE", "breaks
        /// with TREE since DATE"), and for a break, the failing run's end and log.
        public var build: String?
        public var buildFailure: BuildFailure?
    }

    /// A tree's build failure, for the report's build page.
    public struct BuildFailure: Sendable, Codable, Hashable {
        public var command: String
        public var commit: ObjectID?
        public var subject: String?
        public var partner: String?
        public var excerpt: String
        public var log: String?
    }

    /// A conflicted path in a tree's merge, and who must resolve it: this tree's maintainers
    /// with those of the earlier trees whose commits it meets.
    public struct ConflictNote: Sendable, Codable, Hashable {
        public var path: String
        public var kind: ConflictKind
        /// The earlier trees (or the integration branch's own history).
        public var with: [PlanPlace]
        public var resolvers: [String]
        /// Subjects of the commits on both sides that last changed the lines.
        public var commits: [String]
        /// The same commits, side by side: each earlier place (a tree, the integration branch's
        /// own history) and then this tree, with the subjects of its commits.
        public var sides: [Side] = []

        /// One side of a conflict and the commits on it that last changed the lines.
        public struct Side: Sendable, Codable, Hashable {
            /// The tree's name, `integration` or `base`; for the tree the note is about, its name.
            public var place: String
            /// Whether this is the tree the note is about (the side being merged).
            public var isThisTree: Bool
            public var commits: [String]
        }
    }

    /// Two trees whose changes overlap, merged with each other.
    public struct PairConflict: Sendable, Codable, Hashable {
        public var first: String
        public var second: String
        public var outcome: ConflictMatrix.Outcome
        /// How many conflicted paths.
        public var conflicts: Int
        public var paths: [String]
    }

    /// A commit with a tag finding, in the integration branch or waiting in a tree.
    public struct TagDebt: Sendable, Codable, Hashable {
        /// The integration branch's name or the tree's.
        public var place: String
        public var commit: ObjectID
        public var subject: String
        public var author: String
        public var findings: [Finding]

        public struct Finding: Sendable, Codable, Hashable {
            public var rule: TagRule
            public var severity: Severity
            public var message: String
            /// For a missing ack: who could give it.
            public var people: [String]
        }
    }

    /// Reviewed-by and Acked-by per person over the commits in the report's range: the
    /// integration branch since the base, and every tree's new commits.
    public struct ReviewLoad: Sendable, Codable {
        public var commits: Int
        public var reviewers: [Reviewer]
        /// Commits with no Reviewed-by or Acked-by from anyone but their author.
        public var unreviewed: [Unreviewed]
        /// The share of all review trailers given by the busiest fifth of the reviewers
        /// (at least one person): 1.0 means one person does it all.
        public var topFifthShare: Double
        /// Review trailers from the policy's bots: counted apart, never a review (absent in
        /// reports written before they were counted apart).
        public var bots: [Reviewer]?

        public struct Reviewer: Sendable, Codable, Hashable {
            public var person: String
            public var reviewed: Int
            public var acked: Int
            public var total: Int { reviewed + acked }

            public init(person: String, reviewed: Int, acked: Int) {
                self.person = person
                self.reviewed = reviewed
                self.acked = acked
            }
        }

        public struct Unreviewed: Sendable, Codable, Hashable {
            public var place: String
            public var commit: ObjectID
            public var subject: String
            public var author: String
        }
    }

    /// A series (posted on the list, or found in a tree by its Link:s) and its state in every place.
    public struct SeriesRow: Sendable, Codable, Hashable {
        /// The ledger's series id, or `posting:` and the posting's message-id stem for a series
        /// found only in the trees.
        public var key: String
        public var title: String
        public var sender: String?
        /// The newest version posted.
        public var version: Int?
        public var postedAt: Date?
        /// Patches in the newest version (or commits of a discovered series).
        public var patches: Int
        /// State per place (the integration branch and each tree): landed, modified, partial,
        /// not-landed or superseded.
        public var states: [String: SeriesLedger.State]
        /// Patch-ids of the commits it has in each place where it is present, sorted.
        public var patchIDs: [String: [ObjectID]]
        /// Reviewed-by/Acked-by/Tested-by given on the list to the newest version.
        public var listReviews: Int
        /// Review trailers given on the list that the commits lack.
        public var lostTrailers: [String]
        /// The newest version's posting (its cover letter, else its first patch), for replies.
        public var messageID: String?
        /// The commits it became in each place where it is present, in patch order.
        public var commits: [String: [ObjectID]]?
        /// The newest version's To and Cc values, as posted (who a notice about it also goes to).
        public var recipients: [String]?
        /// Where it should go, when it is applied nowhere (`trib series route`).
        public var routing: RoutingSummary?

        /// Whether it is in `place` (landed, modified or partial).
        public func isPresent(in place: String) -> Bool {
            guard let state = states[place] else { return false }
            return state == .landed || state == .modified || state == .partial
        }

        /// Posted, in no place yet, and no review given on the list.
        public var isWaitingForReview: Bool {
            sender != nil && listReviews == 0 && !states.keys.contains { isPresent(in: $0) }
        }
    }

    /// Days from `date` to the report's moment.
    public func age(of date: Date) -> Int { max(0, Int(asOf.timeIntervalSince(date) / 86_400)) }

    /// The places in order: the integration branch, then the trees.
    public var places: [String] { [integration.branch] + trees.map(\.name) }
}
