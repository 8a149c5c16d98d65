import CLibgit2

/// How an in-memory merge behaves (`git_merge_options`).
public struct MergeOptions: Hashable, Sendable {
    /// Detect renames between the merge base and each side (`GIT_MERGE_FIND_RENAMES`).
    public var detectRenames = true
    /// Similarity (0–100) at which a delete and an add count as a rename; git's default is 50.
    public var renameThreshold = 50
    /// How many files may be compared for renames; past that libgit2 silently gives up on
    /// renames. libgit2's default is 200; git's `merge.renameLimit` default is 7000.
    public var renameLimit = 7000

    public init() {}
}

/// One entry of an index stage: a path, a blob and a mode (`git_index_entry`).
public struct IndexEntry: Hashable, Sendable {
    public var path: String
    public var id: ObjectID
    public var mode: FileMode

    init(path: String, id: ObjectID, mode: FileMode) {
        self.path = path
        self.id = id
        self.mode = mode
    }

    init(_ entry: UnsafePointer<git_index_entry>) {
        path = String(cString: entry.pointee.path)
        id = ObjectID(entry.pointee.id)
        mode = FileMode(rawValue: entry.pointee.mode)
    }
}

/// A conflicted path of a merge: what the merge base, our side and their side had there
/// (index stages 1, 2 and 3). A missing side is nil: the file did not exist there, was deleted,
/// or was renamed away.
public struct IndexConflict: Hashable, Sendable {
    public var ancestor: IndexEntry?
    public var ours: IndexEntry?
    public var theirs: IndexEntry?

    public init(ancestor: IndexEntry?, ours: IndexEntry?, theirs: IndexEntry?) {
        self.ancestor = ancestor
        self.ours = ours
        self.theirs = theirs
    }

    /// Whether only the ancestor stage is present: libgit2's record of the old path of a file
    /// that one side renamed and the other deleted (git records no stage there).
    public var isRenameSource: Bool { ours == nil && theirs == nil }

    /// The path the conflict is reported under: ours, else theirs, else the ancestor's.
    public var path: String { ours?.path ?? theirs?.path ?? ancestor?.path ?? "" }

    /// The paths at which git would record this conflict's stages (the "conflicted file info" of
    /// `git merge-tree --write-tree`): both sides' paths, and the ancestor's path when both sides
    /// exist (rename/rename). When only one side exists (modify/delete, rename/delete) git records
    /// the ancestor at that side's path, so the ancestor's own path is not listed; libgit2 keeps
    /// it at the old path, which is why this is not simply the three entries' paths. libgit2 also
    /// reports the source of a rename/delete as a conflict with only an ancestor; git has no
    /// stage there, so such a conflict lists no path.
    public var paths: [String] {
        var seen: [String] = []
        var candidates = [ours?.path, theirs?.path]
        if ours != nil && theirs != nil { candidates.insert(ancestor?.path, at: 0) }
        for case let path? in candidates where !seen.contains(path) { seen.append(path) }
        return seen
    }
}

/// The result of a three-way merge of one conflicted file, with conflict markers
/// (`git_merge_file_result`).
public struct MergedFile: Hashable, Sendable {
    /// Whether the file merged without conflicts.
    public var isClean: Bool
    /// The merged content, with `<<<<<<<`, `=======` and `>>>>>>>` markers where it conflicts.
    public var contents: [UInt8]
    public var path: String?
}

/// The index an in-memory merge produced (`git_index` returned by `git_merge_commits` or
/// `git_merge_trees`): stage 0 entries for merged paths, and conflict entries.
public final class MergeIndex {
    let pointer: OpaquePointer
    private let repository: Repository

    init(pointer: OpaquePointer, repository: Repository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit { git_index_free(pointer) }

    /// Files of the result kept out of the index (`RenameCandidates.setAside`: added on one side,
    /// taken out of libgit2's merge), by path; `writeTree` puts them into the tree. Adding them
    /// to the index one by one costs a sorted insertion each: 37,000 files took seconds.
    var setAside: [String: IndexEntry] = [:]

    /// Whether any path is conflicted (`git_index_has_conflicts`).
    public var hasConflicts: Bool { git_index_has_conflicts(pointer) == 1 }

    /// The conflicted paths, in index order (`git_index_conflict_iterator_new`,
    /// `git_index_conflict_next`).
    public func conflicts() throws(GitError) -> [IndexConflict] {
        var iterator: OpaquePointer?
        try check(git_index_conflict_iterator_new(&iterator, pointer), "git_index_conflict_iterator_new")
        defer { git_index_conflict_iterator_free(iterator) }
        var conflicts: [IndexConflict] = []
        while true {
            var ancestor: UnsafePointer<git_index_entry>?
            var ours: UnsafePointer<git_index_entry>?
            var theirs: UnsafePointer<git_index_entry>?
            let result = git_index_conflict_next(&ancestor, &ours, &theirs, iterator)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "git_index_conflict_next")
            conflicts.append(
                IndexConflict(
                    ancestor: ancestor.map(IndexEntry.init),
                    ours: ours.map(IndexEntry.init),
                    theirs: theirs.map(IndexEntry.init)
                )
            )
        }
        return conflicts
    }

    /// The renames behind conflicts, as libgit2 records them in the index's NAME extension
    /// (`git_index_name_entrycount`, `git_index_name_get_byindex`): for each, the path in the
    /// ancestor and the paths on our and their side (nil where that side deleted the file).
    public func renameConflicts() -> [(ancestor: String?, ours: String?, theirs: String?)] {
        (0..<git_index_name_entrycount(pointer)).compactMap { index in
            guard let entry = git_index_name_get_byindex(pointer, index) else { return nil }
            return (
                entry.pointee.ancestor.map { String(cString: $0) },
                entry.pointee.ours.map { String(cString: $0) },
                entry.pointee.theirs.map { String(cString: $0) }
            )
        }
    }

    /// The paths at which git records conflict stages for this merge: what
    /// `git merge-tree --write-tree --name-only` lists. See `IndexConflict.paths`; the old path of
    /// a rename is listed when both sides renamed it differently (rename/rename), as git keeps
    /// the ancestor's stage there, and not when one side deleted it.
    public func conflictedPaths() throws(GitError) -> [String] {
        let renames = renameConflicts()
        var paths: [String] = []
        for conflict in try conflicts() {
            if conflict.isRenameSource, let source = conflict.ancestor?.path {
                let renamedOnBothSides = renames.contains {
                    $0.ancestor == source && $0.ours != nil && $0.theirs != nil && $0.ours != $0.theirs
                }
                if renamedOnBothSides { paths.append(source) }
            } else {
                paths.append(contentsOf: conflict.paths)
            }
        }
        return Array(Set(paths)).sorted()
    }

    /// Writes the merged tree to the repository (`git_index_write_tree_to`), with the files set
    /// aside put in. Fails when the merge has conflicts.
    ///
    /// Every entry of a merge index comes from a tree already in the object database, so
    /// libgit2's check that each object exists (`GIT_OPT_ENABLE_STRICT_OBJECT_CREATION`, which
    /// reads the header of every blob, inflating deltas — half the time of a merge on a 20,000
    /// file tree) is turned off while this tree is written.
    public func writeTree() throws(GitError) -> ObjectID {
        if hasConflicts {
            throw GitError.tributary(
                "the merge has conflicts; it has no tree", operation: "git_index_write_tree_to", code: .conflict)
        }
        var oid = git_oid()
        let result = Libgit2.withoutStrictObjectCreation {
            git_index_write_tree_to(&oid, pointer, repository.pointer)
        }
        try check(result, "git_index_write_tree_to")
        guard !setAside.isEmpty else { return ObjectID(oid) }
        return try repository.writeTree(
            base: ObjectID(oid), freePaths: setAside.values.map { .upsert(path: $0.path, blob: $0.id, mode: $0.mode) })
    }

    /// Resolves the conflict at `path` (and at every other path its stages name): removes its
    /// conflict entries and puts `blob` there with `mode`, or nothing when `blob` is nil
    /// (`git_index_conflict_remove`, `git_index_add`).
    public func resolve(_ path: String, blob: ObjectID?, mode: FileMode) throws(GitError) {
        setAside[path] = nil
        var ancestor: UnsafePointer<git_index_entry>?
        var ours: UnsafePointer<git_index_entry>?
        var theirs: UnsafePointer<git_index_entry>?
        if git_index_conflict_get(&ancestor, &ours, &theirs, pointer, path) == 0 {
            let others = [ancestor, ours, theirs].compactMap { $0.map { String(cString: $0.pointee.path) } }
            for other in Set(others) { _ = git_index_conflict_remove(pointer, other) }
        }
        _ = git_index_remove(pointer, path, 0)
        guard let blob else { return }
        var entry = git_index_entry()
        entry.mode = mode.rawValue
        entry.id = blob.raw
        let result = path.withCString { cPath in
            entry.path = cPath
            return git_index_add(pointer, &entry)
        }
        try check(result, "git_index_add(\(path))")
    }

    /// Merges the three sides of one conflict into text with conflict markers
    /// (`git_merge_file_from_index`), labelling the sides `ourLabel` and `theirLabel`; with
    /// `showBase`, in the diff3 style (`GIT_MERGE_FILE_STYLE_DIFF3`).
    public func mergedFile(
        for conflict: IndexConflict,
        ourLabel: String = "ours",
        theirLabel: String = "theirs",
        showBase: Bool = false
    ) throws(GitError) -> MergedFile {
        var options = git_merge_file_options()
        try check(
            git_merge_file_options_init(&options, UInt32(GIT_MERGE_FILE_OPTIONS_VERSION)), "git_merge_file_options_init"
        )
        // diff3 style: the base's lines between ||||||| and =======.
        if showBase { options.flags |= GIT_MERGE_FILE_STYLE_DIFF3.rawValue }
        var result = git_merge_file_result()
        // Look the stages up again to hand libgit2 its own entries.
        var ancestor: UnsafePointer<git_index_entry>?
        var ours: UnsafePointer<git_index_entry>?
        var theirs: UnsafePointer<git_index_entry>?
        try check(
            git_index_conflict_get(&ancestor, &ours, &theirs, pointer, conflict.path),
            "git_index_conflict_get(\(conflict.path))")
        let status = ourLabel.withCString { ourName in
            theirLabel.withCString { theirName in
                options.our_label = ourName
                options.their_label = theirName
                return git_merge_file_from_index(&result, repository.pointer, ancestor, ours, theirs, &options)
            }
        }
        try check(status, "git_merge_file_from_index(\(conflict.path))")
        defer { git_merge_file_result_free(&result) }
        let bytes = result.ptr.map { Array(UnsafeRawBufferPointer(start: $0, count: result.len)) } ?? []
        return MergedFile(
            isClean: result.automergeable == 1,
            contents: bytes,
            path: result.path.map { String(cString: $0) }
        )
    }
}

extension Repository {
    /// The best common ancestor of two commits (`git_merge_base`); nil when they share no history.
    public func mergeBase(_ one: ObjectID, _ two: ObjectID) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        var first = one.raw
        var second = two.raw
        let result = git_merge_base(&oid, pointer, &first, &second)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_merge_base")
        return ObjectID(oid)
    }

    /// Every best common ancestor of two commits (`git_merge_bases`), as `git merge-base --all`.
    public func mergeBases(_ one: ObjectID, _ two: ObjectID) throws(GitError) -> [ObjectID] {
        var array = git_oidarray()
        var first = one.raw
        var second = two.raw
        let result = git_merge_bases(&array, pointer, &first, &second)
        if result == GIT_ENOTFOUND.rawValue { return [] }
        try check(result, "git_merge_bases")
        defer { git_oidarray_dispose(&array) }
        return (0..<array.count).map { ObjectID(array.ids[$0]) }
    }

    /// Whether `ancestor` is reachable from `descendant` (or is it) (`git_graph_descendant_of`).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws(GitError) -> Bool {
        if ancestor == descendant { return true }
        var first = descendant.raw
        var second = ancestor.raw
        return try check(git_graph_descendant_of(pointer, &first, &second), "git_graph_descendant_of") == 1
    }

    /// Merges commit `theirs` into commit `ours` in memory (`git_merge_commits`), finding the merge
    /// base as git does (several bases are merged into a virtual one). Like git, refuses commits
    /// with no common history.
    public func merge(ours: ObjectID, theirs: ObjectID, options: MergeOptions = MergeOptions()) throws(GitError)
        -> MergeIndex
    {
        if try mergeBase(ours, theirs) == nil {
            throw GitError.tributary(
                "refusing to merge unrelated histories (\(ours.abbreviated()) and \(theirs.abbreviated()))",
                operation: "merge",
                code: .invalid
            )
        }
        let ourHandle = try commitHandle(ours)
        defer { git_commit_free(ourHandle) }
        let theirHandle = try commitHandle(theirs)
        defer { git_commit_free(theirHandle) }
        var gitOptions = try options.gitOptions()
        var index: OpaquePointer?
        try check(git_merge_commits(&index, pointer, ourHandle, theirHandle, &gitOptions), "git_merge_commits")
        return MergeIndex(pointer: index!, repository: self)
    }

    /// Merges tree `theirs` into tree `ours` with `ancestor` as the merge base, in memory
    /// (`git_merge_trees`). A nil ancestor merges as if from an empty tree.
    ///
    /// With rename detection, the rename candidates git's merge would not weigh are taken out
    /// first (`RenameCandidates`: files one side removed and the other kept, and, when every
    /// other removed file has an exact or same-name match, the added files none matched — put
    /// back into the result), so that libgit2 compares only what git compares.
    public func mergeTrees(
        ancestor: ObjectID?,
        ours: ObjectID,
        theirs: ObjectID,
        options: MergeOptions = MergeOptions()
    ) throws(GitError) -> MergeIndex {
        guard options.detectRenames, let ancestor else {
            return try mergeWholeTrees(ancestor: ancestor, ours: ours, theirs: theirs, options: options)
        }
        let candidates = try renameCandidates(
            ancestor: ancestor, ours: ours, theirs: theirs, threshold: options.renameThreshold,
            limit: options.renameLimit)
        guard !candidates.isEmpty else {
            return try mergeWholeTrees(ancestor: ancestor, ours: ours, theirs: theirs, options: options)
        }
        var ancestorEdits: [TreeEdit] = []
        var ourEdits: [TreeEdit] = []
        var theirEdits: [TreeEdit] = []
        for (path, keptByOurs) in candidates.irrelevant {
            ancestorEdits.append(.remove(path: path))
            if keptByOurs { ourEdits.append(.remove(path: path)) } else { theirEdits.append(.remove(path: path)) }
        }
        for (entry, isOurs) in candidates.setAside {
            if isOurs {
                ourEdits.append(.remove(path: entry.path))
            } else {
                theirEdits.append(.remove(path: entry.path))
            }
        }
        let index = try mergeWholeTrees(
            ancestor: try writeTree(base: ancestor, edits: ancestorEdits),
            ours: try writeTree(base: ours, edits: ourEdits),
            theirs: try writeTree(base: theirs, edits: theirEdits), options: options)
        for (entry, _) in candidates.setAside { index.setAside[entry.path] = entry }
        return index
    }

    /// `mergeTrees` of the trees as they are (`git_merge_trees`).
    private func mergeWholeTrees(
        ancestor: ObjectID?,
        ours: ObjectID,
        theirs: ObjectID,
        options: MergeOptions
    ) throws(GitError) -> MergeIndex {
        let ancestorHandle = try ancestor.map { (id) throws(GitError) in try treeHandle(id) }
        defer { if let ancestorHandle { git_tree_free(ancestorHandle) } }
        let ourHandle = try treeHandle(ours)
        defer { git_tree_free(ourHandle) }
        let theirHandle = try treeHandle(theirs)
        defer { git_tree_free(theirHandle) }
        var gitOptions = try options.gitOptions()
        var index: OpaquePointer?
        try check(
            git_merge_trees(&index, pointer, ancestorHandle, ourHandle, theirHandle, &gitOptions), "git_merge_trees")
        return MergeIndex(pointer: index!, repository: self)
    }
}

extension MergeOptions {
    /// The libgit2 options, from `git_merge_options_init`.
    func gitOptions() throws(GitError) -> git_merge_options {
        var options = git_merge_options()
        try check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "git_merge_options_init")
        if detectRenames {
            options.flags |= GIT_MERGE_FIND_RENAMES.rawValue
        } else {
            options.flags &= ~GIT_MERGE_FIND_RENAMES.rawValue
        }
        options.rename_threshold = UInt32(renameThreshold)
        options.target_limit = UInt32(renameLimit)
        return options
    }
}
