/// How a tree is pulled into the integration branch (`pull` and `subtree` in the tree's manifest
/// section).
public struct PullMethod: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// A merge commit, always (`git merge --no-ff`; the default).
        case merge
        /// A fast-forward when the running result is an ancestor of the tree's tip, else a
        /// merge (`git merge --ff`).
        case ff
        /// A fast-forward or nothing: a tree that cannot be fast-forwarded is not pulled
        /// (`git merge --ff-only`).
        case ffOnly = "ff-only"
        /// The tree's new commits replayed onto the running result, dropping those already there
        /// (by patch-id) and those that become empty (`git rebase`).
        case rebase
    }

    public var mode: Mode
    /// Merged as `git merge -Xsubtree=PATH`: the tree's root is the integration branch's `PATH`
    /// directory.
    public var subtree: String?

    public init(mode: Mode = .merge, subtree: String? = nil) {
        self.mode = mode
        self.subtree = subtree
    }

    /// `path` as a subtree directory (`a/b`, slashes around and doubled removed), or nil when it
    /// is not one: empty, or with a `.` or `..` component.
    public static func subtreeDirectory(_ path: String) -> String? {
        let components = path.split(separator: "/")
        guard !components.isEmpty, !components.contains(where: { $0 == "." || $0 == ".." }) else { return nil }
        return components.joined(separator: "/")
    }

    /// The words of the manifest: `pull = merge|ff|ff-only|rebase`, `subtree = PATH`.
    public var description: String {
        mode.rawValue + (subtree.map { " (subtree \($0))" } ?? "")
    }
}
