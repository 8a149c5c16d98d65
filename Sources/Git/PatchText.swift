import Foundation

/// The file sections of a patch in git's format (`git diff`, `git format-patch` or a patch mail):
/// per file its paths, its `index` line's blob ids and mode, and its hunks, read as `git apply`
/// reads them — a hunk ends where its header's line counts say, so the mail signature after the
/// last hunk (`-- ` and git's version) is not part of it.
public struct PatchText: Sendable, Hashable {
    /// One `diff --git` section.
    public struct File: Sendable, Hashable {
        /// The path before (nil for a new file) and after (nil for a deleted file).
        public var oldPath: String?
        public var newPath: String?
        /// The abbreviated blob ids of the `index` line (all zeros for a missing side); nil when
        /// the section has no `index` line.
        public var oldBlob: String?
        public var newBlob: String?
        /// The mode of the file before the change: the `index` line's, `old mode` or
        /// `deleted file mode`; nil when the section names none.
        public var oldMode: FileMode?
        public var isBinary: Bool
        public var hunks: [Hunk]
        /// The section's text as git apply reads it (its header lines and its hunks).
        public var text: [UInt8]

        /// The path the section is about: the old path, else the new one.
        public var path: String { oldPath ?? newPath ?? "" }
        public var isNew: Bool { oldPath == nil }
        public var isDeleted: Bool { newPath == nil }
    }

    /// One hunk: its header and the lines it expects to find (context and removed lines).
    public struct Hunk: Sendable, Hashable {
        /// The `@@ -a,b +c,d @@` line without what follows the second `@@`.
        public var header: String
        /// Where the removed side starts (1-based) and how many lines it has.
        public var oldStart: Int
        public var oldCount: Int
        /// The lines the file must have for the hunk to apply, without their first character.
        public var preimage: [[UInt8]]
    }

    public var files: [File]

    /// Only the sections: the patch git apply would read, without the message above or the
    /// signature below.
    public var diff: [UInt8] { files.flatMap(\.text) }

    /// Every path the patch names, old and new, in patch order, each once.
    public var paths: [String] {
        var seen = Set<String>()
        return files.flatMap { [$0.oldPath, $0.newPath].compactMap { $0 } }.filter { seen.insert($0).inserted }
    }

    /// Reads `bytes`; text outside `diff --git` sections is skipped.
    public init(_ bytes: [UInt8]) {
        let lines = Self.lines(bytes)
        var files: [File] = []
        var position = 0
        while position < lines.count {
            guard Self.starts(lines[position], with: "diff --git ") else {
                position += 1
                continue
            }
            let (file, next) = Self.section(lines, from: position)
            files.append(file)
            position = next
        }
        self.files = files
    }

    public init(_ text: String) { self.init(Array(text.utf8)) }

    /// Lines with their line ends.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(bytes[start...index])
            start = index + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    static func starts(_ line: ArraySlice<UInt8>, with prefix: String) -> Bool {
        line.starts(with: prefix.utf8)
    }

    /// The text of `line` after `prefix`, without the line end.
    static func value(_ line: ArraySlice<UInt8>, after prefix: String) -> String {
        var rest = line.dropFirst(prefix.utf8.count)
        while let last = rest.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { rest = rest.dropLast() }
        return String(decoding: rest, as: UTF8.self)
    }

    /// One section from the `diff --git` line at `start`; the position after it.
    private static func section(_ lines: [ArraySlice<UInt8>], from start: Int) -> (File, Int) {
        let (gitOld, gitNew) = diffGitPaths(value(lines[start], after: "diff --git "))
        var file = File(
            oldPath: gitOld, newPath: gitNew, oldBlob: nil, newBlob: nil, oldMode: nil, isBinary: false, hunks: [],
            text: Array(lines[start]))
        var position = start + 1
        while position < lines.count, !starts(lines[position], with: "diff --git ") {
            let line = lines[position]
            if starts(line, with: "@@ -"), let (hunk, end) = hunk(lines, from: position) {
                file.hunks.append(hunk)
                for taken in position..<end { file.text += lines[taken] }
                position = end
                continue
            }
            // Only header lines before the first hunk, and a binary patch's lines, belong to it.
            guard file.hunks.isEmpty, isHeaderLine(line) || file.isBinary else { break }
            header(line, into: &file)
            file.text += line
            position += 1
        }
        return (file, position)
    }

    private static let headerPrefixes = [
        "old mode ", "new mode ", "deleted file mode ", "new file mode ", "similarity index ", "dissimilarity index ",
        "rename from ", "rename to ", "copy from ", "copy to ", "index ", "--- ", "+++ ", "Binary files ",
        "GIT binary patch",
    ]

    private static func isHeaderLine(_ line: ArraySlice<UInt8>) -> Bool {
        headerPrefixes.contains { starts(line, with: $0) }
    }

    private static func header(_ line: ArraySlice<UInt8>, into file: inout File) {
        if starts(line, with: "new file mode ") {
            file.oldPath = nil
        } else if starts(line, with: "deleted file mode ") {
            file.newPath = nil
            file.oldMode = FileMode(octal: value(line, after: "deleted file mode "))
        } else if starts(line, with: "old mode ") {
            file.oldMode = FileMode(octal: value(line, after: "old mode "))
        } else if starts(line, with: "rename from ") || starts(line, with: "copy from ") {
            file.oldPath = value(line, after: starts(line, with: "rename") ? "rename from " : "copy from ")
        } else if starts(line, with: "rename to ") || starts(line, with: "copy to ") {
            file.newPath = value(line, after: starts(line, with: "rename") ? "rename to " : "copy to ")
        } else if starts(line, with: "index ") {
            let words = value(line, after: "index ").split(separator: " ")
            let ids = words.first?.split(separator: ".", omittingEmptySubsequences: true) ?? []
            if ids.count == 2 {
                file.oldBlob = String(ids[0])
                file.newBlob = String(ids[1])
            }
            if words.count > 1, file.oldMode == nil { file.oldMode = FileMode(octal: String(words[1])) }
        } else if starts(line, with: "--- ") {
            let path = value(line, after: "--- ")
            if path == "/dev/null" {
                file.oldPath = nil
            } else if path.hasPrefix("a/") {
                file.oldPath = String(path.dropFirst(2))
            }
        } else if starts(line, with: "+++ ") {
            let path = value(line, after: "+++ ")
            if path == "/dev/null" {
                file.newPath = nil
            } else if path.hasPrefix("b/") {
                file.newPath = String(path.dropFirst(2))
            }
        } else if starts(line, with: "GIT binary patch") || starts(line, with: "Binary files ") {
            file.isBinary = true
        }
    }

    /// `a/X b/X`: the two paths, split where the halves name the same file when they can be
    /// (a path with spaces), else at the first ` b/`.
    static func diffGitPaths(_ text: String) -> (String?, String?) {
        let bytes = Array(text.utf8)
        guard text.hasPrefix("a/"), bytes.count > 5 else { return (nil, nil) }
        if (bytes.count - 5) % 2 == 0 {
            let length = (bytes.count - 5) / 2
            let old = bytes[2..<(2 + length)]
            if bytes[(2 + length)..<(5 + length)].elementsEqual(" b/".utf8), bytes[(5 + length)...].elementsEqual(old) {
                let path = String(decoding: old, as: UTF8.self)
                return (path, path)
            }
        }
        let rest = text.dropFirst(2)
        guard let range = rest.range(of: " b/") else { return (String(rest), String(rest)) }
        return (String(rest[..<range.lowerBound]), String(rest[range.upperBound...]))
    }

    /// The hunk whose header is at `start` and the position after its last line; nil when the
    /// header does not read as one.
    private static func hunk(_ lines: [ArraySlice<UInt8>], from start: Int) -> (Hunk, Int)? {
        let text = value(lines[start], after: "@@ -")
        guard let close = text.range(of: " @@") else { return nil }
        let ranges = text[..<close.lowerBound].split(separator: " ")
        guard ranges.count == 2, ranges[1].hasPrefix("+") else { return nil }
        func counts(_ range: Substring) -> (Int, Int)? {
            let parts = range.split(separator: ",")
            guard let first = Int(parts[0]) else { return nil }
            guard parts.count > 1 else { return (first, 1) }
            return Int(parts[1]).map { (first, $0) }
        }
        guard let (oldStart, oldCount) = counts(ranges[0]), let (_, newCount) = counts(ranges[1].dropFirst()) else {
            return nil
        }
        var old = oldCount
        var new = newCount
        var preimage: [[UInt8]] = []
        var position = start + 1
        while position < lines.count, old > 0 || new > 0 {
            let line = lines[position]
            guard let first = line.first else { break }
            switch first {
            case UInt8(ascii: " "), UInt8(ascii: "\n"):
                preimage.append(Array(first == UInt8(ascii: " ") ? line.dropFirst() : line))
                old -= 1
                new -= 1
            case UInt8(ascii: "-"):
                preimage.append(Array(line.dropFirst()))
                old -= 1
            case UInt8(ascii: "+"): new -= 1
            case UInt8(ascii: "\\"): break
            default: return nil
            }
            position += 1
        }
        // "\ No newline at end of file" after the last line belongs to the hunk.
        while position < lines.count, lines[position].first == UInt8(ascii: "\\") { position += 1 }
        let header = "@@ -" + text[..<close.lowerBound] + " @@"
        return (Hunk(header: header, oldStart: oldStart, oldCount: oldCount, preimage: preimage), position)
    }
}

extension FileMode {
    /// A mode written in octal (`100644`); nil when it is not one.
    init?(octal text: String) {
        guard let value = UInt32(text.trimmingCharacters(in: .whitespaces), radix: 8) else { return nil }
        self.init(rawValue: value)
    }
}
