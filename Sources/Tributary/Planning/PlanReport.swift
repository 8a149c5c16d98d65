public import Git

/// What `trib plan` found: for each tree in merge order, what is new, whether it merges onto the
/// running result, who the conflicts are with, tag problems, duplicates, rewinds and back-merges.
/// Its JSON form is schema `tributary.plan/1` (Docs/schemas/plan.schema.json).
public struct PlanReport: Sendable, Codable {
    public var schema = "tributary.plan/1"
    public var integration: IntegrationState
    public var trees: [TreePlan]

    /// The integration branch and its base as the plan saw them.
    public struct IntegrationState: Sendable, Codable {
        public var branch: String
        public var tip: ObjectID
        /// The mainline ref, as the manifest names it.
        public var baseRef: String?
        /// The commit it resolved to.
        public var baseTip: ObjectID?
        /// The merge base of the integration tip and the mainline ref.
        public var integrationBase: ObjectID?
        /// The running result after every tree that merged cleanly.
        public var result: ObjectID
    }

    /// Whether every tree is ready (fetched, merging cleanly, with no error-severity tag finding).
    public var allReady: Bool { trees.allSatisfy { $0.state == .ready || $0.state == .upToDate } }
}

/// A place the plan names: a tree of the manifest, the integration branch's own history, or
/// mainline (the manifest's base). In JSON a tree is its name, the other two are `integration`
/// and `base`; a tree whose name is one of those two words is written `tree:NAME`, so that the
/// three never collide.
public enum PlanPlace: Sendable, Hashable, Codable, CustomStringConvertible {
    case tree(String)
    /// The integration branch's own history.
    case integration
    /// Mainline: the manifest's base.
    case mainline

    /// How the place is written in JSON and in the text.
    public var description: String {
        switch self {
        case .integration: "integration"
        case .mainline: "base"
        case .tree(let name): name == "integration" || name == "base" ? "tree:" + name : name
        }
    }

    /// The tree's name, for a tree.
    public var treeName: String? {
        if case .tree(let name) = self { return name }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "integration": self = .integration
        case "base": self = .mainline
        default: self = .tree(text.hasPrefix("tree:") ? String(text.dropFirst(5)) : text)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One commit, briefly.
public struct CommitSummary: Sendable, Codable, Hashable {
    public var id: ObjectID
    public var subject: String
    public var author: String
}

/// The plan for one tree.
public struct TreePlan: Sendable, Codable {
    public enum State: String, Sendable, Codable {
        /// Merges cleanly, and its new commits carry the tags the rules require.
        case ready
        /// Nothing new since the integration branch.
        case upToDate = "up-to-date"
        /// Conflicts with the running result.
        case conflict
        /// Merges cleanly, but some new commit has an error-severity tag finding.
        case tagProblems = "tag-problems"
        /// Never fetched: no refs/tributary/trees/NAME.
        case notFetched = "not-fetched"
        /// Has commits the integration branch lacks, but its merge changes nothing: their changes
        /// are there already (applied as other commits). A pull writes no merge for it.
        case alreadyApplied = "already-applied"
        /// Pulled `ff-only`, and the running result is not an ancestor of its tip.
        case notFastForward = "not-fast-forward"
    }

    /// Which earlier tree's commits a conflict is with (or the integration branch's own history).
    public struct Attribution: Sendable, Codable, Hashable {
        public var tree: PlanPlace
        public var commits: [CommitSummary]
    }

    /// A conflict, with the earlier trees and commits it is with, and this tree's commits.
    public struct Conflict: Sendable, Codable {
        public var conflict: MergeConflict
        public var with: [Attribution]
        public var commits: [CommitSummary]
    }

    /// A commit whose patch is also elsewhere.
    public struct Duplicate: Sendable, Codable, Hashable {
        public var commit: CommitSummary
        public var patchID: ObjectID
        /// Where the other copies are: trees, the integration branch or mainline, with the commit.
        public var copies: [Copy]

        public struct Copy: Sendable, Codable, Hashable {
            public var place: PlanPlace
            public var commit: ObjectID
            /// The landing engine's evidence that it is a copy (nil for the commit itself).
            public var rule: LandingMatcher.Rule?

            public init(place: PlanPlace, commit: ObjectID, rule: LandingMatcher.Rule? = nil) {
                self.place = place
                self.commit = commit
                self.rule = rule
            }
        }
    }

    /// A new commit whose change the integration branch has already, as another commit that came
    /// after the tree forked from it, as the landing engine finds it: the same patch-id, a
    /// Link:/Message-ID: naming the same posting, a backport marker, or the content.
    public struct Applied: Sendable, Codable, Hashable {
        public var commit: CommitSummary
        /// The integration branch's copy.
        public var copy: ObjectID
        public var rule: LandingMatcher.Rule
    }

    /// A tip that no longer contains what was there before.
    public struct Rewind: Sendable, Codable {
        public enum Kind: String, Sendable, Codable {
            /// Every dropped commit has a new copy of the same change (or nothing the
            /// integration branch lacks was dropped).
            case rebased
            /// Some dropped commits are gone.
            case rewound
        }

        public var kind: Kind
        /// The tip seen before: the last pulled one, else the previous fetch's.
        public var previousTip: ObjectID
        /// Where `previousTip` came from.
        public var previousSource: Source

        public enum Source: String, Sendable, Codable {
            /// `refs/tributary/pulled/NAME`: the tip last pulled.
            case pulled
            /// The tree reference's reflog: the tip the previous fetch brought.
            case fetched
        }
        /// The commits of the previous tip that the tip and the integration branch have not
        /// got (merges left out), newest first, at most 500.
        public var dropped: [DroppedCommit]
        /// How many commits of the previous tip the tip no longer has but the integration branch
        /// does (pulled before, or mainline commits of a newer base): not dropped, not listed.
        public var inIntegration: Int = 0

        public struct DroppedCommit: Sendable, Codable {
            public var commit: CommitSummary
            /// The new commit carrying the same change, when there is one.
            public var replacedBy: ObjectID?
            /// How `replacedBy` was matched: the same patch-id, or the same changed lines with
            /// other context (a rebase over nearby changes).
            public var replacement: Replacement?
        }

        public enum Replacement: String, Sendable, Codable {
            case patchID = "patch-id"
            case changedLines = "changed-lines"
        }
    }

    /// Mainline commits the tree brought in that the integration branch is not based on.
    public struct BackMerge: Sendable, Codable {
        /// The tree's base on mainline.
        public var treeBase: ObjectID
        /// How many mainline commits past the integration base the tree contains.
        public var newBaseCommits: Int
        /// The tree's merge commits that brought mainline in.
        public var merges: [CommitSummary]
    }

    public var name: String
    public var url: String
    public var branch: String
    public var tip: ObjectID?
    public var state: State
    /// Commits not in the integration branch, newest first.
    public var newCommits: [CommitSummary]
    /// The trial merge.
    public var merge: MergeState

    public enum MergeState: String, Sendable, Codable {
        case clean, conflict
        case upToDate = "up-to-date"
        /// Not fetched, so not merged.
        case notTried = "not-tried"
        /// Clean, as a fast-forward (`pull = ff` or `ff-only`): no merge commit.
        case fastForward = "fast-forward"
        /// Clean, as the tree's new commits replayed onto the running result (`pull = rebase`).
        case rebased
        /// `pull = ff-only`, and a fast-forward is not possible.
        case notFastForward = "not-fast-forward"
    }
    /// How the tree is pulled (the manifest's `pull` and `subtree`).
    public var method = PullMethod()
    /// For `pull = rebase`: the new commits' ids after the replay (oldest first), and the commits
    /// left out (already there by patch-id, or become empty).
    public var rebased: [ObjectID]?
    public var rebaseDropped: [ObjectID]?
    /// The merged tree when clean.
    public var mergedTree: ObjectID?
    public var conflicts: [Conflict]
    /// Tag findings of the new commits (only commits with findings), under the tree's policy.
    public var tagFindings: [TagCheck.CommitResult]
    public var tagErrors: Int
    public var tagWarnings: Int
    public var duplicates: [Duplicate]
    /// New commits the integration branch already has as other commits (since the tree forked).
    public var alreadyApplied: [Applied]
    /// For a tree whose tip the integration branch contains: how many commits it is behind.
    public var behind: Int?
    public var rewind: Rewind?
    public var backMerge: BackMerge?
    /// Whether the trial merge result came from the index.
    public var cached: Bool
    /// The fix-ups a pull would make with this merge (merge fix-ups by id, the tree's own by
    /// name) that apply to the merged tree, and those that no longer do.
    public var fixups: [String] = []
    public var staleFixups: [String] = []
    /// The directory a recorded subtree merge puts this tree's project in, when the manifest
    /// names none.
    public var subtree: String?
    /// What the last `trib verify` (or `trib pull --verify`) said of it: "passed", "broke at
    /// COMMIT since DATE", "breaks with TREE since DATE"; "(at an earlier tip)" when the tree has
    /// moved since.
    public var build: String?
}
