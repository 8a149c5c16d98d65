import CLibgit2

/// How to compute a diff (`git_diff_options`, `git_diff_find_options`). The defaults are the ones
/// `git log -p` uses: three lines of context, the indent heuristic, rename detection at 50%.
public struct DiffOptions: Hashable, Sendable {
    /// Lines of context around each change.
    public var contextLines = 3
    /// git's indent heuristic for placing hunk boundaries (`GIT_DIFF_INDENT_HEURISTIC`), on by
    /// default in git and off by default in libgit2.
    public var indentHeuristic = true
    /// Pair deleted and added files as renames (`git_diff_find_similar`, `GIT_DIFF_FIND_RENAMES`),
    /// scoring similarity as git does (see `SpanSignature`).
    public var detectRenames = true
    /// Similarity (0–100) at which a delete and an add count as a rename.
    public var renameThreshold = 50
    /// How many files may be compared for renames (git's `diff.renameLimit`, 1000).
    public var renameLimit = 1000
    /// Only these paths (exact paths, not patterns); nil for all.
    public var paths: [String]?
    /// Hexadecimal digits of blob ids on `index` lines. 40 is git's `--full-index`; it makes
    /// patch-ids of binary changes independent of the repository's size (see `PatchIDHasher`).
    public var abbreviatedIDLength = 40
    /// Binary changes as git's `--binary` patches (`GIT_DIFF_SHOW_BINARY`), which can be applied,
    /// rather than "Binary files differ".
    public var showBinary = false

    public init() {}
}

/// What happened to one file between two trees (`git_diff_delta`).
public struct FileChange: Hashable, Sendable {
    /// The kind of change (`git_delta_t`).
    public enum Status: String, Hashable, Sendable, Codable {
        case added, deleted, modified, renamed, copied, typeChanged
    }

    public var status: Status
    public var oldPath: String
    public var newPath: String
    public var oldMode: FileMode
    public var newMode: FileMode
    public var oldID: ObjectID
    public var newID: ObjectID
    /// Whether git would treat either side as binary.
    public var isBinary: Bool
    /// For renames and copies, the similarity (0–100).
    public var similarity: Int

    /// The path after the change (before it, for a deletion).
    public var path: String { status == .deleted ? oldPath : newPath }
}

/// Lines added and removed, and files changed (`git_diff_stats`).
public struct DiffStats: Hashable, Sendable, Codable {
    public var filesChanged: Int
    public var insertions: Int
    public var deletions: Int

    public init(filesChanged: Int, insertions: Int, deletions: Int) {
        self.filesChanged = filesChanged
        self.insertions = insertions
        self.deletions = deletions
    }
}

/// One line of a diff as git prints it in patch format (`git_diff_line`): its origin and text.
public struct DiffLine {
    /// The kind of line (`git_diff_line_t`).
    public enum Origin: Sendable {
        /// `diff --git`, mode, index, `---` and `+++` lines: `text` holds them all, each ending in "\n".
        case fileHeader
        /// `@@ -a,b +c,d @@` lines.
        case hunkHeader
        case context, addition, deletion
        /// `\ No newline at end of file`.
        case noNewlineAtEnd
        /// `Binary files a/x and b/x differ`.
        case binary
    }

    public var origin: Origin
    /// The text, with the leading `+`, `-` or space for content lines, ending in "\n".
    public var text: UnsafeBufferPointer<UInt8>
}

/// A computed diff between two trees (`git_diff`).
public final class Diff {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_diff_free(pointer) }

    /// The changed files, in git's order (`git_diff_num_deltas`, `git_diff_get_delta`).
    public var changes: [FileChange] {
        (0..<git_diff_num_deltas(pointer)).compactMap { index in
            guard let delta = git_diff_get_delta(pointer, index) else { return nil }
            let status: FileChange.Status
            switch delta.pointee.status {
            case GIT_DELTA_ADDED: status = .added
            case GIT_DELTA_DELETED: status = .deleted
            case GIT_DELTA_RENAMED: status = .renamed
            case GIT_DELTA_COPIED: status = .copied
            case GIT_DELTA_TYPECHANGE: status = .typeChanged
            default: status = .modified
            }
            return FileChange(
                status: status,
                oldPath: String(cString: delta.pointee.old_file.path),
                newPath: String(cString: delta.pointee.new_file.path),
                oldMode: FileMode(rawValue: UInt32(delta.pointee.old_file.mode)),
                newMode: FileMode(rawValue: UInt32(delta.pointee.new_file.mode)),
                oldID: ObjectID(delta.pointee.old_file.id),
                newID: ObjectID(delta.pointee.new_file.id),
                isBinary: delta.pointee.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0,
                similarity: Int(delta.pointee.similarity)
            )
        }
    }

    /// Files changed, insertions and deletions (`git_diff_get_stats`).
    public func stats() throws(GitError) -> DiffStats {
        var stats: OpaquePointer?
        try check(git_diff_get_stats(&stats, pointer), "git_diff_get_stats")
        defer { git_diff_stats_free(stats) }
        return DiffStats(
            filesChanged: git_diff_stats_files_changed(stats),
            insertions: git_diff_stats_insertions(stats),
            deletions: git_diff_stats_deletions(stats)
        )
    }

    /// The diff as git's patch text (`git_diff_to_buf` with `GIT_DIFF_FORMAT_PATCH`).
    public func patch() throws(GitError) -> String {
        var buffer = git_buf()
        try check(git_diff_to_buf(&buffer, pointer, GIT_DIFF_FORMAT_PATCH), "git_diff_to_buf")
        defer { git_buf_dispose(&buffer) }
        guard let bytes = buffer.ptr else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: buffer.size), as: UTF8.self)
    }

    /// The diff as git's patch text, byte for byte (files need not be UTF-8).
    public func patchBytes() throws(GitError) -> [UInt8] {
        var buffer = git_buf()
        try check(git_diff_to_buf(&buffer, pointer, GIT_DIFF_FORMAT_PATCH), "git_diff_to_buf")
        defer { git_buf_dispose(&buffer) }
        guard let bytes = buffer.ptr else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: buffer.size))
    }

    /// Calls `body` with each line of the patch text, in order (`git_diff_print` with
    /// `GIT_DIFF_FORMAT_PATCH`). The buffer is valid only during the call.
    public func forEachLine(_ body: (DiffLine) -> Void) throws(GitError) {
        try withoutActuallyEscaping(body) { (escapable) throws(GitError) in
            let box = LineSink(body: escapable)
            let result = withExtendedLifetime(box) {
                git_diff_print(
                    pointer, GIT_DIFF_FORMAT_PATCH, diffPrintCallback, Unmanaged.passUnretained(box).toOpaque())
            }
            try check(result, "git_diff_print")
        }
    }
}

/// Carries the Swift closure through libgit2's `void *payload`.
private final class LineSink {
    let body: (DiffLine) -> Void
    var scratch: [UInt8] = []
    init(body: @escaping (DiffLine) -> Void) { self.body = body }
}

/// The `git_diff_line_cb` for `Diff.forEachLine`: rebuilds each printed line and hands it on.
private func diffPrintCallback(
    _ delta: UnsafePointer<git_diff_delta>?,
    _ hunk: UnsafePointer<git_diff_hunk>?,
    _ line: UnsafePointer<git_diff_line>?,
    _ payload: UnsafeMutableRawPointer?
) -> Int32 {
    guard let line, let payload else { return 0 }
    let sink = Unmanaged<LineSink>.fromOpaque(payload).takeUnretainedValue()
    let content = UnsafeRawBufferPointer(start: line.pointee.content, count: line.pointee.content_len)
    let origin: DiffLine.Origin
    var prefix: UInt8? = nil
    switch UInt32(bitPattern: Int32(line.pointee.origin)) {
    case GIT_DIFF_LINE_FILE_HDR.rawValue: origin = .fileHeader
    case GIT_DIFF_LINE_HUNK_HDR.rawValue: origin = .hunkHeader
    case GIT_DIFF_LINE_CONTEXT.rawValue:
        origin = .context
        prefix = 0x20
    case GIT_DIFF_LINE_ADDITION.rawValue:
        origin = .addition
        prefix = 0x2B
    case GIT_DIFF_LINE_DELETION.rawValue:
        origin = .deletion
        prefix = 0x2D
    case GIT_DIFF_LINE_BINARY.rawValue: origin = .binary
    case GIT_DIFF_LINE_CONTEXT_EOFNL.rawValue, GIT_DIFF_LINE_ADD_EOFNL.rawValue, GIT_DIFF_LINE_DEL_EOFNL.rawValue:
        origin = .noNewlineAtEnd
    default: return 0
    }
    sink.scratch.removeAll(keepingCapacity: true)
    if let prefix { sink.scratch.append(prefix) }
    if origin == .noNewlineAtEnd {
        // libgit2 gives "\n\\ No newline at end of file\n"; the line before already ended.
        sink.scratch.append(contentsOf: content.drop(while: { $0 == 0x0A }))
    } else {
        sink.scratch.append(contentsOf: content)
        if origin != .fileHeader, sink.scratch.last != 0x0A { sink.scratch.append(0x0A) }
    }
    sink.scratch.withUnsafeBufferPointer { sink.body(DiffLine(origin: origin, text: $0)) }
    return 0
}

extension Repository {
    /// The diff from tree `old` (nil: the empty tree) to tree `new`
    /// (`git_diff_tree_to_tree`, then `git_diff_find_similar` when renames are wanted).
    public func diff(from old: ObjectID?, to new: ObjectID, options: DiffOptions = DiffOptions()) throws(GitError)
        -> Diff
    {
        let oldHandle = try old.map { (id) throws(GitError) in try treeHandle(id) }
        defer { if let oldHandle { git_tree_free(oldHandle) } }
        let newHandle = try treeHandle(new)
        defer { git_tree_free(newHandle) }

        var gitOptions = git_diff_options()
        try check(git_diff_options_init(&gitOptions, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        gitOptions.context_lines = UInt32(options.contextLines)
        gitOptions.id_abbrev = UInt16(options.abbreviatedIDLength)
        if options.indentHeuristic { gitOptions.flags |= GIT_DIFF_INDENT_HEURISTIC.rawValue }
        if options.showBinary { gitOptions.flags |= GIT_DIFF_SHOW_BINARY.rawValue }
        var diff: OpaquePointer?
        let paths = options.paths ?? []
        if options.paths != nil {
            gitOptions.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
            if paths.isEmpty {
                // An empty pathspec means "everything" to libgit2; "nothing" is an empty diff.
                try check(
                    git_diff_tree_to_tree(&diff, pointer, newHandle, newHandle, &gitOptions), "git_diff_tree_to_tree")
                return Diff(pointer: diff!)
            }
        }
        let cPaths = CStringArray(paths)
        var pathPointers = cPaths.pointers
        let result = withExtendedLifetime(cPaths) {
            pathPointers.withUnsafeMutableBufferPointer { buffer in
                gitOptions.pathspec = git_strarray(strings: buffer.baseAddress, count: buffer.count)
                return git_diff_tree_to_tree(&diff, pointer, oldHandle, newHandle, &gitOptions)
            }
        }
        try check(result, "git_diff_tree_to_tree")
        let handle = Diff(pointer: diff!)
        if options.detectRenames {
            var find = git_diff_find_options()
            try check(
                git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "git_diff_find_options_init")
            find.flags = GIT_DIFF_FIND_RENAMES.rawValue
            find.rename_threshold = UInt16(options.renameThreshold)
            find.rename_limit = options.renameLimit
            var metric = gitSimilarityMetric()
            let result = withUnsafeMutablePointer(to: &metric) { metricPointer in
                find.metric = metricPointer
                return git_diff_find_similar(diff, &find)
            }
            try check(result, "git_diff_find_similar")
        }
        return handle
    }

    /// The diff a commit introduces against its first parent (against the empty tree for a root
    /// commit), as `git log -p` shows it.
    public func diff(of commit: Commit, options: DiffOptions = DiffOptions()) throws(GitError) -> Diff {
        let parentTree = try commit.parents.first.map { (id) throws(GitError) in try self.commit(id).tree }
        var options = options
        if options.paths == nil {
            options.paths = try changedPaths(from: parentTree, to: commit.tree)
        }
        return try diff(from: parentTree, to: commit.tree, options: options)
    }
}
