/// Tributary: manages an integration git tree that pulls from many sub-trees.
public enum Tributary {
    /// The version of the library and of `trib`.
    public static let version = "0.1.0"
}
