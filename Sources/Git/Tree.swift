import CLibgit2

/// The mode of a tree entry, as git stores it (`git_filemode_t`).
public struct FileMode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `100644`: a regular file.
    public static let regular = FileMode(rawValue: 0o100644)
    /// `100755`: an executable file.
    public static let executable = FileMode(rawValue: 0o100755)
    /// `120000`: a symbolic link; the blob holds the target.
    public static let symlink = FileMode(rawValue: 0o120000)
    /// `040000`: a subdirectory.
    public static let tree = FileMode(rawValue: 0o040000)
    /// `160000`: a submodule commit.
    public static let gitlink = FileMode(rawValue: 0o160000)
    /// No entry (the side of a change where the file does not exist).
    public static let none = FileMode(rawValue: 0)

    public var isTree: Bool { self == .tree }
    public var description: String { String(rawValue, radix: 8) }
}

/// One entry of a tree: a name, the object it names, and its mode (`git_tree_entry`).
public struct TreeEntry: Hashable, Sendable {
    public var name: String
    public var id: ObjectID
    public var mode: FileMode
}

/// A tree object: the entries of one directory, in git's order (`git_tree`).
public struct Tree: Hashable, Sendable {
    public var id: ObjectID
    public var entries: [TreeEntry]
}

extension Repository {
    /// Reads the tree `id` (`git_tree_lookup`, `git_tree_entry_byindex`).
    public func tree(_ id: ObjectID) throws(GitError) -> Tree {
        let handle = try treeHandle(id)
        defer { git_tree_free(handle) }
        let count = git_tree_entrycount(handle)
        var entries: [TreeEntry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            let entry = git_tree_entry_byindex(handle, index)
            entries.append(
                TreeEntry(
                    name: String(cString: git_tree_entry_name(entry)),
                    id: ObjectID(git_tree_entry_id(entry)),
                    mode: FileMode(rawValue: git_tree_entry_filemode(entry).rawValue)
                )
            )
        }
        return Tree(id: id, entries: entries)
    }

    /// The entry at `path` (slash-separated) below the tree `root` (`git_tree_entry_bypath`);
    /// nil when there is none.
    public func entry(at path: String, in root: ObjectID) throws(GitError) -> TreeEntry? {
        let handle = try treeHandle(root)
        defer { git_tree_free(handle) }
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, handle, path)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_tree_entry_bypath(\(path))")
        defer { git_tree_entry_free(entry) }
        return TreeEntry(
            name: String(cString: git_tree_entry_name(entry)),
            id: ObjectID(git_tree_entry_id(entry)),
            mode: FileMode(rawValue: git_tree_entry_filemode(entry).rawValue)
        )
    }

    /// The contents of the file at `path` in the tree `root`; nil when there is no such blob.
    public func fileContents(at path: String, in root: ObjectID) throws(GitError) -> [UInt8]? {
        guard let entry = try entry(at: path, in: root), !entry.mode.isTree, entry.mode != .gitlink else { return nil }
        return try blob(entry.id)
    }

    /// Every file below the tree `root`, with its full path, in git's order
    /// (`git_tree_walk` in pre-order). Subdirectories themselves are not listed.
    public func files(in root: ObjectID) throws(GitError) -> [(path: String, entry: TreeEntry)] {
        var files: [(path: String, entry: TreeEntry)] = []
        try collectFiles(in: root, prefix: "", into: &files)
        return files
    }

    private func collectFiles(
        in id: ObjectID,
        prefix: String,
        into files: inout [(path: String, entry: TreeEntry)]
    ) throws(GitError) {
        for entry in try tree(id).entries {
            if entry.mode.isTree {
                try collectFiles(in: entry.id, prefix: prefix + entry.name + "/", into: &files)
            } else {
                files.append((prefix + entry.name, entry))
            }
        }
    }

    func treeHandle(_ id: ObjectID) throws(GitError) -> OpaquePointer {
        var tree: OpaquePointer?
        var raw = id.raw
        let result = git_tree_lookup(&tree, pointer, &raw)
        if result == GIT_ENOTFOUND.rawValue {
            throw GitError.tributary("no tree \(id)", operation: "git_tree_lookup", code: .notFound)
        }
        try check(result, "git_tree_lookup(\(id))")
        return tree!
    }

    /// The id of the empty tree, written if it is not there yet (`git_treebuilder_write`).
    public func emptyTree() throws(GitError) -> ObjectID {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, pointer, nil), "git_treebuilder_new")
        defer { git_treebuilder_free(builder) }
        var oid = git_oid()
        try check(git_treebuilder_write(&oid, builder), "git_treebuilder_write")
        return ObjectID(oid)
    }
}
