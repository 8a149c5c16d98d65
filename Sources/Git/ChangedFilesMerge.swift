import CLibgit2

extension Repository {
    /// Merges tree `theirs` into tree `ours` (merge base `ancestor`) by visiting only the files
    /// `theirs` changed, when that settles the merge; nil when it does not and a whole merge
    /// (`mergeTrees`) must decide.
    ///
    /// For each file that differs between `ancestor` and `theirs` (`changedPaths`): when our
    /// side has the ancestor's version, theirs is taken (added, replaced or removed); when it has
    /// theirs, nothing changes; when both changed a text file of one mode, the texts are merged
    /// (`git_merge_file`, as `git_merge_trees` merges them) and a clean result is taken. Anything
    /// else gives nil: a conflicting text, a binary file, a mode or type change on one side and
    /// a change on the other, an addition on both sides, an addition below a file of ours, a file
    /// removed on both sides, a submodule. Renames cannot matter then: a rename pairs a removed
    /// file with an added one; theirs removes only files we left alone, which a rename of theirs
    /// would not change, and a file we removed (perhaps renamed) is one theirs left alone. The
    /// result is ours with theirs' files put in (`git_tree_create_updated`): the tree
    /// `git_merge_trees` writes, without building an index of every file of the tree.
    public func mergeTreesByChangedFiles(ancestor: ObjectID, ours: ObjectID, theirs: ObjectID) throws(GitError)
        -> ObjectID?
    {
        if theirs == ancestor || theirs == ours { return ours }
        if ours == ancestor { return theirs }
        var edits: [TreeEdit] = []
        for path in try changedPaths(from: ancestor, to: theirs) {
            let base = try entry(at: path, in: ancestor)
            let their = try entry(at: path, in: theirs)
            let our = try entry(at: path, in: ours)
            if [base, their, our].contains(where: { $0?.mode == .gitlink }) { return nil }
            // Removed on both sides: one of them may have renamed it (rename/delete,
            // rename/rename), which only rename detection sees.
            if base != nil, our == nil, their == nil { return nil }
            if our?.id == their?.id && our?.mode == their?.mode { continue }
            if our?.id == base?.id && our?.mode == base?.mode {
                if let their {
                    // An addition below what is a file on our side is a directory/file conflict.
                    if base == nil, try hasFileAbove(path, in: ours) { return nil }
                    edits.append(.upsert(path: path, blob: their.id, mode: their.mode))
                } else {
                    edits.append(.remove(path: path))
                }
                continue
            }
            // Both sides changed the file: only a clean text merge of one mode settles it.
            guard let base, let their, let our, let merged = try mergedText(base: base, ours: our, theirs: their)
            else { return nil }
            edits.append(.upsert(path: path, blob: try writeBlob(merged), mode: base.mode))
        }
        return try writeTree(base: ours, edits: edits)
    }

    /// The merge of a file both sides changed, when it is a text file of one mode throughout (a
    /// regular or executable file) and merges without conflict (`git_merge_file`, as
    /// `git_merge_trees` merges files); nil otherwise. A file with a NUL in its first 8,000 bytes
    /// is binary to git and libgit2 and is never merged here.
    public func mergedText(base: TreeEntry, ours: TreeEntry, theirs: TreeEntry) throws(GitError) -> [UInt8]? {
        guard base.mode == ours.mode, base.mode == theirs.mode, base.mode == .regular || base.mode == .executable
        else { return nil }
        let texts = try [base, ours, theirs].map { (entry) throws(GitError) in try blob(entry.id) }
        if texts.contains(where: { $0.prefix(8000).contains(0) }) { return nil }
        let merged = try Repository.mergeFile(ancestor: texts[0], ours: texts[1], theirs: texts[2])
        return merged.isClean ? merged.contents : nil
    }

    /// Whether a directory above `path` is a file (or a link or submodule) in tree `root`.
    private func hasFileAbove(_ path: String, in root: ObjectID) throws(GitError) -> Bool {
        var prefix = ""
        for component in path.split(separator: "/").dropLast() {
            prefix += prefix.isEmpty ? String(component) : "/" + component
            guard let entry = try entry(at: prefix, in: root) else { return false }
            if !entry.mode.isTree { return true }
        }
        return false
    }
}
