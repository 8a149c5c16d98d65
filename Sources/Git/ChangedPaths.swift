import CLibgit2

#if canImport(Glibc)
    import Glibc
#endif

extension Repository {
    /// The paths of every file that differs between tree `old` (nil: empty) and tree `new`, in
    /// sorted order. Subtrees with the same id on both sides are skipped without being read, and
    /// entries are compared by libgit2's own names and ids, so only changed entries become Swift
    /// strings: much cheaper than a full tree-to-tree diff on large trees with small changes.
    public func changedPaths(from old: ObjectID?, to new: ObjectID) throws(GitError) -> [String] {
        var paths: [String] = []
        try compareTrees(old, new, prefix: "") { path, _, _ in paths.append(path) }
        return paths.sorted()
    }

    /// A file (not a directory) that differs between two trees: its entry in each, nil where it
    /// is not a file (absent, or a directory).
    public struct FileChange: Sendable, Hashable {
        public var path: String
        public var old: TreeEntry?
        public var new: TreeEntry?
    }

    /// The files that differ between tree `old` (nil: empty) and tree `new`, with their entries
    /// on both sides, in sorted order: `changedPaths(from:to:)` without looking each path up.
    public func changedFiles(from old: ObjectID?, to new: ObjectID) throws(GitError) -> [FileChange] {
        var changes: [FileChange] = []
        try compareTrees(old, new, prefix: "") { path, oldEntry, newEntry in
            changes.append(FileChange(path: path, old: oldEntry.map(Self.treeEntry), new: newEntry.map(Self.treeEntry)))
        }
        return changes.sorted { $0.path < $1.path }
    }

    private static func treeEntry(_ entry: OpaquePointer) -> TreeEntry {
        TreeEntry(
            name: String(cString: git_tree_entry_name(entry)), id: ObjectID(git_tree_entry_id(entry)),
            mode: FileMode(rawValue: git_tree_entry_filemode(entry).rawValue))
    }

    /// Visits each file that differs, with its entries (nil where it is not a file); the
    /// entries are valid during the call only.
    private typealias ChangeVisitor = (String, OpaquePointer?, OpaquePointer?) throws(GitError) -> Void

    private func compareTrees(_ old: ObjectID?, _ new: ObjectID?, prefix: String, visit: ChangeVisitor)
        throws(GitError)
    {
        if old == new { return }
        let oldHandle = try old.map { (id) throws(GitError) in try treeHandle(id) }
        defer { if let oldHandle { git_tree_free(oldHandle) } }
        let newHandle = try new.map { (id) throws(GitError) in try treeHandle(id) }
        defer { if let newHandle { git_tree_free(newHandle) } }
        // Both trees list their entries in git's order: walk them side by side.
        let oldCount = oldHandle.map { git_tree_entrycount($0) } ?? 0
        let newCount = newHandle.map { git_tree_entrycount($0) } ?? 0
        var i = 0
        var j = 0
        while i < oldCount || j < newCount {
            let oldEntry = i < oldCount ? git_tree_entry_byindex(oldHandle, i) : nil
            let newEntry = j < newCount ? git_tree_entry_byindex(newHandle, j) : nil
            let order: Int32
            if let oldEntry, let newEntry {
                order = Self.gitOrder(oldEntry, newEntry)
            } else {
                order = oldEntry == nil ? 1 : -1
            }
            if order < 0 {
                try compareEntries(
                    oldEntry, nil, name: String(cString: git_tree_entry_name(oldEntry)), prefix: prefix, visit: visit)
                i += 1
            } else if order > 0 {
                try compareEntries(
                    nil, newEntry, name: String(cString: git_tree_entry_name(newEntry)), prefix: prefix, visit: visit)
                j += 1
            } else {
                if git_oid_equal(git_tree_entry_id(oldEntry), git_tree_entry_id(newEntry)) != 1
                    || git_tree_entry_filemode(oldEntry) != git_tree_entry_filemode(newEntry)
                {
                    try compareEntries(
                        oldEntry, newEntry, name: String(cString: git_tree_entry_name(newEntry)), prefix: prefix,
                        visit: visit)
                }
                i += 1
                j += 1
            }
        }
    }

    /// git's order of tree entries (`base_name_compare`): by name, a tree sorting as if its name
    /// ended in `/`. Equal only for the same name and kind (a file and a directory of the same
    /// name are different entries).
    private static func gitOrder(_ one: OpaquePointer?, _ two: OpaquePointer?) -> Int32 {
        let first = git_tree_entry_name(one)!
        let second = git_tree_entry_name(two)!
        let firstLength = strlen(first)
        let secondLength = strlen(second)
        let common = min(firstLength, secondLength)
        let compared = memcmp(first, second, common)
        if compared != 0 { return compared }
        let firstNext: Int32 =
            firstLength > common
            ? Int32(UInt8(bitPattern: first[common])) : (git_tree_entry_type(one) == GIT_OBJECT_TREE ? 47 : 0)
        let secondNext: Int32 =
            secondLength > common
            ? Int32(UInt8(bitPattern: second[common])) : (git_tree_entry_type(two) == GIT_OBJECT_TREE ? 47 : 0)
        return firstNext - secondNext
    }

    private func compareEntries(
        _ old: OpaquePointer?,
        _ new: OpaquePointer?,
        name: String,
        prefix: String,
        visit: ChangeVisitor
    ) throws(GitError) {
        func isTree(_ entry: OpaquePointer?) -> Bool {
            entry.map { git_tree_entry_type($0) == GIT_OBJECT_TREE } ?? false
        }
        let oldTree = isTree(old) ? ObjectID(git_tree_entry_id(old)) : nil
        let newTree = isTree(new) ? ObjectID(git_tree_entry_id(new)) : nil
        if oldTree != nil || newTree != nil {
            try compareTrees(oldTree, newTree, prefix: prefix + name + "/", visit: visit)
        }
        let oldFile = old != nil && !isTree(old) ? old : nil
        let newFile = new != nil && !isTree(new) ? new : nil
        if oldFile != nil || newFile != nil { try visit(prefix + name, oldFile, newFile) }
    }
}
