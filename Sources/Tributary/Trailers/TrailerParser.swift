import Foundation

/// Finds the trailers of a commit message exactly as `git interpret-trailers --parse` does
/// (git's `trailer.c`, with no `trailer.*` configuration).
///
/// - In a patch or a mail (`Source.patch`, what `git interpret-trailers --parse` reads), the
///   message ends at the patch divider: the first line that starts with `---` followed by
///   whitespace or the end of the line (a `------` underline is not a divider; libgit2's
///   `git_message_trailers` gets this wrong). A commit message (`Source.commit`) has no divider:
///   git reads a commit's trailers with `no_divider`, as `git log --format=%(trailers)` shows, so
///   trailers below a `---` line count.
/// - Trailing blank lines, `#` comment lines, an old `Conflicts:` block and everything after a
///   `# --- >8 ---` scissors line are not part of the trailer block.
/// - The first paragraph (the title) never holds trailers.
/// - The last paragraph is the trailer block when all its lines are trailers (or continuation
///   lines that start with whitespace), or when it holds a git-generated line
///   (`Signed-off-by: `, `(cherry picked from commit `) and at least 25% of its lines are trailers.
/// - A trailer line is a token of letters, digits and `-`, optional spaces or tabs, then `:`.
///   Continuation lines are unfolded into the value with single spaces.
public enum TrailerParser {
    /// What a message is, which decides whether a `---` line ends it.
    public enum Source: Sendable {
        /// A commit's message: no divider (`git log --format=%(trailers)`,
        /// `git interpret-trailers --parse --no-divider`).
        case commit
        /// A patch or a mail: the message ends at the first `---` line
        /// (`git interpret-trailers --parse`).
        case patch
    }

    /// The trailers of `message`, in order, duplicates kept; `source` says whether a `---` line
    /// ends the message (a patch, a mail) or not (a commit's message).
    public static func trailers(in message: String, from source: Source) -> [Trailer] {
        let bytes = Array(message.utf8)
        let patchStart = source == .patch ? patchDivider(bytes) : bytes.count
        let end = trailerEnd(bytes, upTo: patchStart)
        let start = trailerStart(bytes, upTo: end)
        guard start < end else { return [] }
        var trailers: [Trailer] = []
        // Split the block into lines, gluing continuation lines to the trailer before them.
        var entries: [[UInt8]] = []
        var lastIsTrailer = false
        for line in lines(bytes, from: start, to: end) {
            if lastIsTrailer, let first = line.first, isSpace(first) {
                entries[entries.count - 1] += line
                continue
            }
            entries.append(Array(line))
            lastIsTrailer = separatorPosition(line) ?? 0 >= 1
        }
        for entry in entries {
            guard entry.first != UInt8(ascii: "#"), let separator = separatorPosition(entry[...]), separator >= 1 else {
                continue
            }
            let key = trim(entry[..<separator])
            let value = unfold(entry[(separator + 1)...])
            let firstLine = entry.prefix { $0 != UInt8(ascii: "\n") }
            trailers.append(
                Trailer(
                    key: String(decoding: key, as: UTF8.self), value: String(decoding: value, as: UTF8.self),
                    line: String(decoding: firstLine, as: UTF8.self)))
        }
        return trailers
    }

    /// The paragraph just above a commit message's trailer block, read as tags when every line
    /// of it is one (`Key: value`, the key letters, digits, `-` and spaces: DPDK's `Fixes:`,
    /// `Bugzilla ID:`, `Coverity issue:` and `Cc: stable@dpdk.org` sit there, above the
    /// sign-offs). Empty when the message has no trailer block, or the paragraph above it is the
    /// subject or holds other text.
    public static func tagParagraph(aboveTrailersIn message: String) -> [Trailer] {
        let bytes = Array(message.utf8)
        let end = trailerEnd(bytes, upTo: bytes.count)
        let start = trailerStart(bytes, upTo: end)
        guard start < end else { return [] }
        let above = String(decoding: bytes[..<start], as: UTF8.self)
        let paragraphs = above.components(separatedBy: "\n\n").map {
            $0.trimmingCharacters(in: .newlines)
        }.filter { !$0.isEmpty }
        guard paragraphs.count >= 2, let last = paragraphs.last else { return [] }
        var tags: [Trailer] = []
        for line in last.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex,
                line[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == " ") }),
                line.first?.isLetter == true, line[colon...].dropFirst().first == " "
            else { return [] }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            tags.append(Trailer(key: String(line[..<colon]), value: value, line: String(line)))
        }
        return tags
    }

    /// The lines git always counts as trailers (`git_generated_prefixes`).
    static let gitGeneratedPrefixes: [[UInt8]] = [
        Array("Signed-off-by: ".utf8), Array("(cherry picked from commit ".utf8),
    ]

    /// `find_patch_start`: the first line starting with `---` and whitespace (or the end).
    static func patchDivider(_ bytes: [UInt8]) -> Int {
        var position = 0
        while position < bytes.count {
            if position + 3 <= bytes.count, bytes[position] == UInt8(ascii: "-"),
                bytes[position + 1] == UInt8(ascii: "-"),
                bytes[position + 2] == UInt8(ascii: "-"), position + 3 == bytes.count || isSpace(bytes[position + 3])
            {
                return position
            }
            position = nextLine(bytes, position)
        }
        return bytes.count
    }

    /// `find_trailer_end` (`ignore_non_trailer`): the end of the message without trailing blank
    /// and comment lines, an old `Conflicts:` block, and what follows a scissors line.
    static func trailerEnd(_ bytes: [UInt8], upTo length: Int) -> Int {
        let cutoff = scissors(bytes, upTo: length)
        var beginningOfComments: Int? = nil
        var inConflicts = false
        var position = 0
        let conflicts = Array("Conflicts:\n".utf8)
        while position < cutoff {
            var next = position
            while next < cutoff && bytes[next] != UInt8(ascii: "\n") { next += 1 }
            next = next < cutoff ? next + 1 : cutoff
            if bytes[position] == UInt8(ascii: "#") || bytes[position] == UInt8(ascii: "\n") {
                if beginningOfComments == nil { beginningOfComments = position }
            } else if bytes[position...].starts(with: conflicts) {
                inConflicts = true
                if beginningOfComments == nil { beginningOfComments = position }
            } else if inConflicts && bytes[position] == UInt8(ascii: "\t") {
                // A path in the conflicts block.
            } else if beginningOfComments != nil {
                beginningOfComments = nil
                inConflicts = false
            }
            position = next
        }
        // git returns `len - boc` or `len - cutoff` from ignore_non_trailer and subtracts it from len.
        return beginningOfComments ?? cutoff
    }

    /// `wt_status_locate_end`: where a `# ------------------------ >8 ------------------------`
    /// line starts, or `length`.
    static func scissors(_ bytes: [UInt8], upTo length: Int) -> Int {
        let line = Array("# ------------------------ >8 ------------------------\n".utf8)
        if bytes[..<length].starts(with: line) { return 0 }
        var position = 0
        while position < length {
            if bytes[position] == UInt8(ascii: "\n"), bytes[(position + 1)..<length].starts(with: line) {
                return position + 1
            }
            position += 1
        }
        return length
    }

    /// `find_trailer_start`.
    static func trailerStart(_ bytes: [UInt8], upTo length: Int) -> Int {
        // The first paragraph is the title and cannot hold trailers.
        var position = 0
        while position < length {
            if bytes[position] == UInt8(ascii: "#") {
                position = nextLine(bytes, position)
                continue
            }
            if isBlankLine(bytes, position) { break }
            position = nextLine(bytes, position)
        }
        let endOfTitle = min(position, length)
        var onlySpaces = true
        var recognizedPrefix = false
        var trailerLines = 0
        var nonTrailerLines = 0
        var possibleContinuationLines = 0
        var line = lastLine(bytes, before: length)
        while let start = line, start >= endOfTitle {
            defer { line = lastLine(bytes, before: start) }
            let lineBytes = lineSlice(bytes, start, length)
            if lineBytes.first == UInt8(ascii: "#") {
                nonTrailerLines += possibleContinuationLines
                possibleContinuationLines = 0
                continue
            }
            if isBlankLine(bytes, start) {
                if onlySpaces { continue }
                nonTrailerLines += possibleContinuationLines
                if recognizedPrefix && trailerLines * 3 >= nonTrailerLines { return nextLine(bytes, start) }
                if trailerLines > 0 && nonTrailerLines == 0 { return nextLine(bytes, start) }
                return length
            }
            onlySpaces = false
            if gitGeneratedPrefixes.contains(where: { lineBytes.starts(with: $0) }) {
                trailerLines += 1
                possibleContinuationLines = 0
                recognizedPrefix = true
                continue
            }
            if let separator = separatorPosition(lineBytes), separator >= 1, !isSpace(lineBytes.first!) {
                trailerLines += 1
                possibleContinuationLines = 0
            } else if let first = lineBytes.first, isSpace(first) {
                possibleContinuationLines += 1
            } else {
                nonTrailerLines += 1 + possibleContinuationLines
                possibleContinuationLines = 0
            }
        }
        return length
    }

    /// `find_separator` with `:`: the position of the colon after a token of letters, digits and
    /// `-` and optional spaces or tabs; nil when the line is not shaped like a trailer.
    static func separatorPosition(_ line: ArraySlice<UInt8>) -> Int? {
        var whitespaceFound = false
        var offset = 0
        for byte in line {
            if byte == UInt8(ascii: ":") { return offset }
            if !whitespaceFound && (isAlphanumeric(byte) || byte == UInt8(ascii: "-")) {
                offset += 1
                continue
            }
            if offset != 0 && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) {
                whitespaceFound = true
                offset += 1
                continue
            }
            return nil
        }
        return nil
    }

    /// `unfold_value` after `parse_trailer`'s trim: newlines and the whitespace after them become
    /// one space; the result is trimmed.
    static func unfold(_ value: ArraySlice<UInt8>) -> [UInt8] {
        let trimmed = trim(value)
        var out: [UInt8] = []
        var index = trimmed.startIndex
        while index < trimmed.endIndex {
            let byte = trimmed[index]
            index += 1
            if byte == UInt8(ascii: "\n") {
                while index < trimmed.endIndex && isSpace(trimmed[index]) { index += 1 }
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
        }
        return Array(trim(out[...]))
    }

    static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }

    /// The lines of `bytes[start..<end]`, each with its newline.
    static func lines(_ bytes: [UInt8], from start: Int, to end: Int) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var position = start
        while position < end {
            var next = position
            while next < end && bytes[next] != UInt8(ascii: "\n") { next += 1 }
            next = next < end ? next + 1 : end
            result.append(bytes[position..<next])
            position = next
        }
        return result
    }

    static func lineSlice(_ bytes: [UInt8], _ start: Int, _ limit: Int) -> ArraySlice<UInt8> {
        var end = start
        while end < limit && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return bytes[start..<min(end + 1, limit)]
    }

    static func nextLine(_ bytes: [UInt8], _ position: Int) -> Int {
        var next = position
        while next < bytes.count && bytes[next] != UInt8(ascii: "\n") { next += 1 }
        return min(next + 1, bytes.count)
    }

    /// `last_line`: the start of the last line before `length` (a final newline belongs to it).
    static func lastLine(_ bytes: [UInt8], before length: Int) -> Int? {
        if length == 0 { return nil }
        if length == 1 { return 0 }
        var index = length - 2
        while index >= 0 {
            if bytes[index] == UInt8(ascii: "\n") { return index + 1 }
            index -= 1
        }
        return 0
    }

    static func isBlankLine(_ bytes: [UInt8], _ position: Int) -> Bool {
        var index = position
        let end = bytes.count
        while index < end && bytes[index] != UInt8(ascii: "\n") && isSpace(bytes[index]) { index += 1 }
        return index >= end || bytes[index] == UInt8(ascii: "\n")
    }

    /// C's `isspace` in the C locale.
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
