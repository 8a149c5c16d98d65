public import Git

/// The manifest's trees with their fetched tips, as `trib tree list --json` (schema
/// `tributary.trees/1`, Docs/manifest.md) and `trib tree show --json` (one tree) print them.
public struct TreeListing: Sendable, Encodable {
    public var schema = "tributary.trees/1"
    public var manifest: String
    /// `branch`, `maintainers`, and `base` when set.
    public var integration: [String: String]
    public var trees: [Tree]

    public struct Tree: Sendable, Encodable {
        public var name: String
        public var url: String
        public var branch: String
        public var order: Int?
        public var owns: [String]
        /// How it is pulled: `merge`, `ff`, `ff-only` or `rebase`.
        public var pull: String
        /// The directory it is merged into (`subtree`), when set.
        public var subtree: String?
        /// The tree's policy keys (the last value of a key given twice).
        public var policy: [String: String]
        public var reference: String
        public var tip: String?
        /// The policy keys in file order, for the text.
        public var policyOverrides: [Manifest.Tree.Override]

        private enum CodingKeys: String, CodingKey {
            case name, url, branch, order, owns, pull, subtree, policy, reference, tip
        }
    }

    /// The trees of `manifest`, each with its tip in `repository` (nil: not fetched).
    public init(_ manifest: Manifest, in repository: Repository) throws {
        self.manifest = manifest.path
        var integration = [
            "branch": manifest.integration.branch, "maintainers": manifest.integration.maintainersPath,
        ]
        integration["base"] = manifest.integration.base
        self.integration = integration
        trees = try manifest.trees.map { tree in
            Tree(
                name: tree.name, url: tree.url, branch: tree.branch, order: tree.order, owns: tree.owns,
                pull: tree.method.mode.rawValue, subtree: tree.method.subtree,
                policy: Dictionary(tree.policyOverrides.map { ($0.key, $0.value) }) { _, last in last },
                reference: tree.reference, tip: try repository.referenceTarget(tree.reference)?.hex,
                policyOverrides: tree.policyOverrides)
        }
    }
}
