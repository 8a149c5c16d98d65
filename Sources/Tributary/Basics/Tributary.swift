import CBuildInfo

/// Tributary: manages an integration git tree that pulls from many sub-trees.
public enum Tributary {
    /// The version the sources are at (the next release, or the release a tag names); a release
    /// tag `vX.Y.Z` must agree with it (`Scripts/package` checks).
    public static let baseVersion = "0.1.0"

    /// The version of the library and of `trib`: the one a packaged build was stamped with from
    /// `git describe` (`0.1.0`, `0.1.0+3.g1a2b3c4d5e6f` after a release tag, `0.1.0~197.gf3995e7`
    /// before the first, see Docs/development.md), else `baseVersion`.
    public static let version: String = {
        let stamped = String(cString: tributary_build_version())
        return stamped.isEmpty ? baseVersion : stamped
    }()

    /// Whether this build was stamped by `Scripts/package` (a release or a package of a commit),
    /// rather than built with `swift build` from a work tree.
    public static var isPackaged: Bool { !String(cString: tributary_build_version()).isEmpty }
}
