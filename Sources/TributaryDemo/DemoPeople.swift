import Foundation
import Git
import Tributary

/// The identities of the demo forest. They are roles, not people: every address is under
/// `example.org`, which is reserved for examples.
public enum DemoPerson: String, CaseIterable, Sendable {
    case mmIntegrator = "MM Integrator"
    case slabMaintainer = "Slab Maintainer"
    case slabReviewer = "Slab Reviewer"
    case memblockMaintainer = "Memblock Maintainer"
    case vmaMaintainer = "VMA Maintainer"
    case vmaReviewer = "VMA Reviewer"
    case thpMaintainer = "THP Maintainer"
    case slabContributor = "Slab Contributor"
    case memblockContributor = "Memblock Contributor"
    case vmaContributor = "VMA Contributor"
    case thpContributor = "THP Contributor"
    case mainline = "Mainline Maintainer"

    public var name: String { rawValue }

    public var email: String {
        rawValue.lowercased().replacingOccurrences(of: " ", with: "-") + "@example.org"
    }

    /// `Name <address>`, as in trailers.
    public var identity: String { "\(name) <\(email)>" }

    func signature(at time: Int64) -> Signature {
        Signature(name: name, email: email, time: time, timeZoneOffset: 60)
    }
}
