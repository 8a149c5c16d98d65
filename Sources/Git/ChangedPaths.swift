import CLibgit2

extension Repository {
    /// The paths of every file that differs between tree `old` (nil: empty) and tree `new`, in
    /// sorted order. Subtrees with the same id on both sides are skipped without being read, which
    /// makes this much cheaper than a full tree-to-tree diff on large trees with small changes.
    public func changedPaths(from old: ObjectID?, to new: ObjectID) throws(GitError) -> [String] {
        var paths: [String] = []
        try compareTrees(old, new, prefix: "", into: &paths)
        return paths.sorted()
    }

    private func compareTrees(_ old: ObjectID?, _ new: ObjectID?, prefix: String, into paths: inout [String])
        throws(GitError)
    {
        if old == new { return }
        let oldEntries = try old.map { (id) throws(GitError) in try tree(id).entries } ?? []
        let newEntries = try new.map { (id) throws(GitError) in try tree(id).entries } ?? []
        var oldByName: [String: TreeEntry] = [:]
        for entry in oldEntries { oldByName[entry.name] = entry }
        var newNames = Set<String>()
        for entry in newEntries {
            newNames.insert(entry.name)
            try compareEntries(oldByName[entry.name], entry, prefix: prefix, into: &paths)
        }
        for entry in oldEntries where !newNames.contains(entry.name) {
            try compareEntries(entry, nil, prefix: prefix, into: &paths)
        }
    }

    private func compareEntries(_ old: TreeEntry?, _ new: TreeEntry?, prefix: String, into paths: inout [String])
        throws(GitError)
    {
        if let old, let new, old.id == new.id, old.mode == new.mode { return }
        let name = (new ?? old)!.name
        let oldTree = old.flatMap { $0.mode.isTree ? $0.id : nil }
        let newTree = new.flatMap { $0.mode.isTree ? $0.id : nil }
        if oldTree != nil || newTree != nil {
            try compareTrees(oldTree, newTree, prefix: prefix + name + "/", into: &paths)
        }
        let oldIsFile = old.map { !$0.mode.isTree } ?? false
        let newIsFile = new.map { !$0.mode.isTree } ?? false
        if oldIsFile || newIsFile { paths.append(prefix + name) }
    }
}
