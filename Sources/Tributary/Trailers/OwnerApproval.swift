/// How a MAINTAINERS section the commit touches was approved, or that it was not: what
/// `owner-ack` decided for it, with the reason (the JSON's `approvals`).
public struct OwnerApproval: Hashable, Sendable, Codable {
    public enum Reason: String, Hashable, Sendable, Codable {
        /// An approval trailer (`policy.ackTrailer`) from one of its maintainers.
        case acked
        /// One of its maintainers signed the commit off (they applied or carried it).
        case signedOff = "signed-off"
        /// The author is one of its maintainers.
        case author
        /// The committer is one of its maintainers.
        case committer
        /// A maintainer of a less specific section of the same files acked it (Xen's nesting).
        case generalMaintainer = "general-maintainer"
        /// The checked tree owns it.
        case owned
        /// The committer maintains a tree (a MAINTAINERS entry with a T: line and no files) and
        /// applied it.
        case treeMaintainer = "tree-maintainer"
        /// A project file (`.mailmap`, MAINTAINERS) that the policy lets contributors change.
        case projectFile = "project-file"
        /// A project file changed by one of the integration tree's maintainers.
        case integrationMaintainer = "integration-maintainer"
        /// Nobody approved it: the finding says who could.
        case missing
    }

    /// The section's title.
    public var section: String
    /// The files of the commit in the section.
    public var files: [String]
    /// Who approved it (`Name <address>`), when a person did.
    public var approvedBy: String?
    public var reason: Reason
    /// The trailer that approved it, or the section whose maintainer stood in.
    public var detail: String?

    public init(section: String, files: [String], approvedBy: String?, reason: Reason, detail: String? = nil) {
        self.section = section
        self.files = files
        self.approvedBy = approvedBy
        self.reason = reason
        self.detail = detail
    }
}
