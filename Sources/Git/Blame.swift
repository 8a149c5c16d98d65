import CLibgit2

/// A run of lines of a file that one commit last changed (`git_blame_hunk`).
public struct BlameHunk: Hashable, Sendable {
    /// The commit that last changed these lines; the boundary commit when they are older
    /// than the oldest commit asked about.
    public var commit: ObjectID
    /// 0-based index of the first line in the blamed version of the file.
    public var start: Int
    public var count: Int
    /// The path of the file in that commit.
    public var originalPath: String?
    /// Whether the lines reach back to the oldest commit (not changed within the range).
    public var isBoundary: Bool
}

extension Repository {
    /// Who last changed lines `lines` (0-based, half-open) of `path` as of commit `newest`, looking
    /// no further back than `oldest` (`git_blame_file` with `newest_commit`, `oldest_commit`,
    /// `min_line`, `max_line`). Lines older than `oldest` come back as boundary hunks.
    public func blame(
        _ path: String,
        at newest: ObjectID,
        since oldest: ObjectID?,
        lines: Range<Int>
    ) throws(GitError) -> [BlameHunk] {
        guard !lines.isEmpty else { return [] }
        var options = git_blame_options()
        try check(git_blame_options_init(&options, UInt32(GIT_BLAME_OPTIONS_VERSION)), "git_blame_options_init")
        options.newest_commit = newest.raw
        if let oldest { options.oldest_commit = oldest.raw }
        options.min_line = lines.lowerBound + 1
        options.max_line = lines.upperBound
        var blame: OpaquePointer?
        try check(git_blame_file(&blame, pointer, path, &options), "git_blame_file(\(path))")
        defer { git_blame_free(blame) }
        var hunks: [BlameHunk] = []
        for index in 0..<git_blame_get_hunk_count(blame) {
            guard let hunk = git_blame_get_hunk_byindex(blame, index) else { continue }
            hunks.append(
                BlameHunk(
                    commit: ObjectID(hunk.pointee.final_commit_id),
                    start: Int(hunk.pointee.final_start_line_number) - 1,
                    count: Int(hunk.pointee.lines_in_hunk),
                    originalPath: hunk.pointee.orig_path.map { String(cString: $0) },
                    isBoundary: hunk.pointee.boundary != 0))
        }
        return hunks
    }
}
