import CLibgit2

/// One changed region between two texts, by lines: `oldCount` lines from `oldStart` became
/// `newCount` lines from `newStart`. Starts are 0-based line indexes; a pure insertion has
/// `oldCount` 0 and `oldStart` the index of the line it goes before.
public struct LineChange: Hashable, Sendable {
    public var oldStart: Int
    public var oldCount: Int
    public var newStart: Int
    public var newCount: Int

    public init(oldStart: Int, oldCount: Int, newStart: Int, newCount: Int) {
        self.oldStart = oldStart
        self.oldCount = oldCount
        self.newStart = newStart
        self.newCount = newCount
    }

    /// The end (exclusive) of the old range.
    public var oldEnd: Int { oldStart + oldCount }
}

extension [LineChange] {
    /// The line of the old text that became line `line` of the new text, or nil when these
    /// changes (old to new, in order) made it.
    public func oldLine(becoming line: Int) -> Int? {
        var shift = 0
        for change in self {
            if line < change.newStart { break }
            if line < change.newStart + change.newCount { return nil }
            shift += change.newCount - change.oldCount
        }
        return line - shift
    }

    /// The line of the new text that line `line` of the old text became, or nil when these
    /// changes (old to new, in order) changed it.
    public func newLine(from line: Int) -> Int? {
        var shift = 0
        for change in self {
            if line < change.oldStart { break }
            if line < change.oldEnd { return nil }
            shift += change.newCount - change.oldCount
        }
        return line + shift
    }
}

/// Collects hunks from `git_diff_buffers`.
private final class HunkSink {
    var changes: [LineChange] = []
}

private func lineDiffHunkCallback(
    _ delta: UnsafePointer<git_diff_delta>?,
    _ hunk: UnsafePointer<git_diff_hunk>?,
    _ payload: UnsafeMutableRawPointer?
) -> Int32 {
    guard let hunk, let payload else { return 0 }
    let sink = Unmanaged<HunkSink>.fromOpaque(payload).takeUnretainedValue()
    let old = Int(hunk.pointee.old_lines)
    let new = Int(hunk.pointee.new_lines)
    // Unified-diff numbering: 1-based, and an empty range names the line before it.
    sink.changes.append(
        LineChange(
            oldStart: old == 0 ? Int(hunk.pointee.old_start) : Int(hunk.pointee.old_start) - 1, oldCount: old,
            newStart: new == 0 ? Int(hunk.pointee.new_start) : Int(hunk.pointee.new_start) - 1, newCount: new))
    return 0
}

/// Splits text into lines, each keeping its newline, as xdiff counts them.
public func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    for index in bytes.indices where bytes[index] == 0x0A {
        lines.append(bytes[start...index])
        start = index + 1
    }
    if start < bytes.count { lines.append(bytes[start...]) }
    return lines
}

extension Repository {
    /// The changed regions from `old` to `new`, with no context lines, computed by libgit2's
    /// xdiff (`git_diff_buffers`) with the default (Myers) algorithm, as git's merge machinery
    /// diffs each side against the base.
    public static func lineChanges(from old: [UInt8], to new: [UInt8]) throws(GitError) -> [LineChange] {
        Libgit2.ensureInitialized()
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        options.context_lines = 0
        options.interhunk_lines = 0
        options.flags |= GIT_DIFF_FORCE_TEXT.rawValue
        let sink = HunkSink()
        let payload = Unmanaged.passUnretained(sink).toOpaque()
        let result = withExtendedLifetime(sink) {
            old.withUnsafeBytes { oldBytes in
                new.withUnsafeBytes { newBytes in
                    git_diff_buffers(
                        oldBytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), oldBytes.count, nil,
                        newBytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), newBytes.count, nil,
                        &options, nil, nil, lineDiffHunkCallback, nil, payload)
                }
            }
        }
        try check(result, "git_diff_buffers")
        return sink.changes
    }
}
