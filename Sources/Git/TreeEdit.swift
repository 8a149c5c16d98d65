import CLibgit2

/// One change to make to a tree: put a blob at a path, or remove a path.
public enum TreeEdit: Hashable, Sendable {
    /// Put the blob `id` at `path` with `mode`, replacing what was there.
    case upsert(path: String, blob: ObjectID, mode: FileMode)
    /// Remove the file or directory at `path`.
    case remove(path: String)

    var isRemoval: Bool {
        if case .remove = self { true } else { false }
    }

    public var path: String {
        switch self {
        case .upsert(let path, _, _), .remove(let path): path
        }
    }
}

extension Repository {
    /// Writes a new tree: `base` (nil for an empty tree) with `edits` applied in order
    /// (`git_tree_create_updated`). When several edits name one path, the last wins. Removing a
    /// path that does not exist is an error.
    public func writeTree(base: ObjectID?, edits requested: [TreeEdit]) throws(GitError) -> ObjectID {
        let baseID: ObjectID
        if let base { baseID = base } else { baseID = try emptyTree() }
        let baseHandle = try treeHandle(baseID)
        defer { git_tree_free(baseHandle) }
        guard !requested.isEmpty else { return baseID }
        var lastEdit: [String: TreeEdit] = [:]
        for edit in requested { lastEdit[edit.path] = edit }
        let edits = lastEdit.values.sorted { $0.path < $1.path }
        // libgit2 cannot replace a tree with a blob or a blob with a tree in one step: remove
        // what is in the way first.
        var blocking: Set<String> = []
        for case .upsert(let path, _, _) in edits {
            if try entry(at: path, in: baseID)?.mode.isTree == true { blocking.insert(path) }
            var prefix = ""
            for component in path.split(separator: "/").dropLast() {
                prefix += prefix.isEmpty ? String(component) : "/" + component
                if let entry = try entry(at: prefix, in: baseID), !entry.mode.isTree { blocking.insert(prefix) }
            }
        }
        if !blocking.isEmpty {
            let cleared = try applyTreeUpdates(baseHandle, blocking.sorted().map { TreeEdit.remove(path: $0) })
            let clearedHandle = try treeHandle(cleared)
            defer { git_tree_free(clearedHandle) }
            return try applyTreeUpdates(clearedHandle, edits.filter { !($0.isRemoval && blocking.contains($0.path)) })
        }
        return try applyTreeUpdates(baseHandle, edits)
    }

    /// `writeTree(base:edits:)` for edits at paths known to be free — nothing there, no file
    /// above, each path once (`MergeIndex.writeTree`'s files set aside) — without looking each
    /// path up, and without libgit2 checking that each blob exists (they come from trees already
    /// in the object database).
    func writeTree(base: ObjectID, freePaths edits: [TreeEdit]) throws(GitError) -> ObjectID {
        let baseHandle = try treeHandle(base)
        defer { git_tree_free(baseHandle) }
        let sorted = edits.sorted { $0.path < $1.path }
        let result = Libgit2.withoutStrictObjectCreation {
            Result { () throws(GitError) -> ObjectID in try applyTreeUpdates(baseHandle, sorted) }
        }
        return try result.get()
    }

    /// One `git_tree_create_updated` call.
    private func applyTreeUpdates(_ baseHandle: OpaquePointer, _ edits: [TreeEdit]) throws(GitError) -> ObjectID {
        // libgit2 keeps pointers to the path strings, so they must outlive the call.
        let paths = CStringArray(edits.map(\.path))
        var updates = [git_tree_update](repeating: git_tree_update(), count: edits.count)
        for (index, edit) in edits.enumerated() {
            updates[index].path = UnsafePointer(paths.pointers[index])
            switch edit {
            case .upsert(_, let blob, let mode):
                updates[index].action = GIT_TREE_UPDATE_UPSERT
                updates[index].id = blob.raw
                updates[index].filemode = git_filemode_t(rawValue: mode.rawValue)
            case .remove:
                updates[index].action = GIT_TREE_UPDATE_REMOVE
            }
        }
        var oid = git_oid()
        try check(
            withExtendedLifetime(paths) { git_tree_create_updated(&oid, pointer, baseHandle, updates.count, &updates) },
            "git_tree_create_updated"
        )
        return ObjectID(oid)
    }
}
