import Foundation

/// A message due to someone, with what it is about (`key`, stable from run to run) and what it
/// says (`fingerprint`): a key already sent with the same fingerprint is not sent again; with
/// another fingerprint, the notice is an update.
public struct Notice: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
        /// A tree's merge conflicts with earlier trees (and, once recorded, how it was resolved).
        case conflict
        /// A tree breaks the build, alone or with an earlier tree (`trib verify`).
        case build
        /// A series was applied to a tree.
        case applied
        /// A series left one tree and was applied to another.
        case moved
        /// A series left a tree: rewound (its commits are gone) or reverted.
        case dropped
        /// A newer version of a series in a tree was posted.
        case superseded
        /// A series has waited for review longer than `[notices] review-wait`.
        case reviewWait = "review-wait"
        /// The day's digest of the integration tree.
        case summary
    }

    public var kind: Kind
    public var key: String
    public var fingerprint: String
    /// Whether an earlier notice of this key was sent with another fingerprint.
    public var isUpdate: Bool
    public var mail: OutgoingMail
}
