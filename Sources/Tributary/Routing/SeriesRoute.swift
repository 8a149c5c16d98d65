public import Git

/// Where a posted series should go, before anyone applies it (`trib series route`, schema
/// `tributary.route/1`, Docs/series.md "Routing"): what it was written against, whether it
/// applies onto each place as `git am --3way` would, which tree should take it and why, the acks
/// it needs there, what it depends on, and the trees it will conflict with once taken.
public struct SeriesRoute: Sendable, Codable {
    public var schema = "tributary.route/1"
    public var series: Posting
    public var base: SeriesBase
    /// One per place (the integration branch, then each fetched tree), and, when the series
    /// depends on another tree, the chosen tree with that one merged.
    public var trials: [SeriesTrial]
    /// The trees that own the series' files, most files first.
    public var owners: [Owner]
    /// Files no tree owns.
    public var unownedFiles: [String]
    /// Where earlier versions of the series landed.
    public var earlierLandings: [EarlierLanding]
    public var dependencies: [Dependency]
    public var decision: Decision
    /// The approvals the tag rules ask for in the chosen place, given or still needed.
    public var acks: [Ack]
    /// What the series, taken by the chosen tree, meets when the trees are pulled; nil when it
    /// was not checked (the series does not apply there).
    public var meets: Meeting?

    public struct Posting: Sendable, Codable {
        public var id: String?
        public var title: String
        public var version: Int
        public var messageID: String
        public var sender: String
        public var expected: Int
        public var patches: [PostedPatch]
    }

    public struct PostedPatch: Sendable, Codable {
        public var counter: Int
        public var subject: String
        public var messageID: String
        public var files: [String]
    }

    public struct Owner: Sendable, Codable {
        public var tree: String
        /// The sections it owns that the files fall in, and the files.
        public var sections: [String]
        public var files: [String]
        /// The patches it should take (the patches most of whose files it owns).
        public var patches: [Int]
    }

    public struct EarlierLanding: Sendable, Codable {
        public var version: Int
        public var place: String
        public var state: SeriesLedger.State
    }

    public struct Dependency: Sendable, Codable {
        public enum Kind: String, Sendable, Codable {
            case baseCommit = "base-commit"
            case prerequisitePatchID = "prerequisite-patch-id"
            case messageID = "message-id"
        }

        public var kind: Kind
        public var value: String
        /// The places that carry it (none: not applied anywhere, or not found).
        public var places: [String]
        /// The series it is, when a Message-ID names one in the mail.
        public var series: String?
    }

    public struct Decision: Sendable, Codable {
        /// The place that should take it: a tree, or the integration branch; nil when none can
        /// be named (no owner, and it applies nowhere).
        public var place: String?
        /// Other trees that could (they own some of its files, or carry its prerequisites).
        public var alternatives: [String]
        /// Why, one line each.
        public var reasons: [String]
        /// Where each patch on its own would go, when they do not all go to `place` (a series
        /// to split, or to take with acks): patch counter → tree.
        public var split: [String: String]?
        /// The trial of the place (with its prerequisites' tree merged when it needs them).
        public var trial: String?
        /// Whether it applies there.
        public var applies: Bool
    }

    public struct Ack: Sendable, Codable {
        public var section: String
        public var files: [String]
        /// The tree that owns the section, when one does.
        public var tree: String?
        /// Who was asked (the section's M: lines).
        public var maintainers: [String]
        /// Who gave it, and how (nil: still needed).
        public var givenBy: String?
        public var reason: OwnerApproval.Reason
        /// The patches that need it.
        public var patches: [Int]
    }

    public struct Meeting: Sendable, Codable {
        /// The trial it starts from.
        public var trial: String
        /// Whether the series merges cleanly onto the integration branch with its tree.
        public var mergesWithIntegration: Bool
        /// Conflicts in the series' own files, with the integration branch and per tree.
        public var conflicts: [TreeConflict]
    }

    public struct TreeConflict: Sendable, Codable {
        /// A tree, or the integration branch.
        public var place: String
        public var files: [String]
        /// That place's commits that changed those lines (or files).
        public var commits: [ObjectID]
    }

    /// The trial named `place`.
    public func trial(_ place: String) -> SeriesTrial? { trials.first { $0.place == place } }

    /// One line for the ledger and the report: the place and whether it applies there.
    public var summary: RoutingSummary {
        RoutingSummary(
            place: decision.place, applies: decision.applies,
            acksNeeded: acks.filter { $0.givenBy == nil && $0.reason == .missing }.count,
            conflicts: meets?.conflicts.map(\.place) ?? [])
    }
}
