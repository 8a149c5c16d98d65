import CLibgit2

extension Repository {
    /// The paths of every file that differs between tree `old` (nil: empty) and tree `new`, in
    /// sorted order. Subtrees with the same id on both sides are skipped without being read, and
    /// entries are compared by libgit2's own names and ids, so only changed entries become Swift
    /// strings: much cheaper than a full tree-to-tree diff on large trees with small changes.
    public func changedPaths(from old: ObjectID?, to new: ObjectID) throws(GitError) -> [String] {
        var paths: [String] = []
        try compareTrees(old, new, prefix: "", into: &paths)
        return paths.sorted()
    }

    private func compareTrees(_ old: ObjectID?, _ new: ObjectID?, prefix: String, into paths: inout [String])
        throws(GitError)
    {
        if old == new { return }
        let oldHandle = try old.map { (id) throws(GitError) in try treeHandle(id) }
        defer { if let oldHandle { git_tree_free(oldHandle) } }
        let newHandle = try new.map { (id) throws(GitError) in try treeHandle(id) }
        defer { if let newHandle { git_tree_free(newHandle) } }
        // Entries of the new tree: changed or added.
        if let newHandle {
            for index in 0..<git_tree_entrycount(newHandle) {
                guard let entry = git_tree_entry_byindex(newHandle, index) else { continue }
                let name = git_tree_entry_name(entry)!
                let previous = oldHandle.flatMap { git_tree_entry_byname($0, name) }
                if let previous, git_oid_equal(git_tree_entry_id(previous), git_tree_entry_id(entry)) == 1,
                    git_tree_entry_filemode(previous) == git_tree_entry_filemode(entry)
                {
                    continue
                }
                try compareEntries(previous, entry, name: String(cString: name), prefix: prefix, into: &paths)
            }
        }
        // Entries only in the old tree: deleted.
        if let oldHandle {
            for index in 0..<git_tree_entrycount(oldHandle) {
                guard let entry = git_tree_entry_byindex(oldHandle, index) else { continue }
                let name = git_tree_entry_name(entry)!
                if let newHandle, git_tree_entry_byname(newHandle, name) != nil { continue }
                try compareEntries(entry, nil, name: String(cString: name), prefix: prefix, into: &paths)
            }
        }
    }

    private func compareEntries(
        _ old: OpaquePointer?,
        _ new: OpaquePointer?,
        name: String,
        prefix: String,
        into paths: inout [String]
    ) throws(GitError) {
        func isTree(_ entry: OpaquePointer?) -> Bool {
            entry.map { git_tree_entry_type($0) == GIT_OBJECT_TREE } ?? false
        }
        let oldTree = isTree(old) ? ObjectID(git_tree_entry_id(old)) : nil
        let newTree = isTree(new) ? ObjectID(git_tree_entry_id(new)) : nil
        if oldTree != nil || newTree != nil {
            try compareTrees(oldTree, newTree, prefix: prefix + name + "/", into: &paths)
        }
        let oldIsFile = old != nil && !isTree(old)
        let newIsFile = new != nil && !isTree(new)
        if oldIsFile || newIsFile { paths.append(prefix + name) }
    }
}
