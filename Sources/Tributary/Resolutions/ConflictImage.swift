import Git

/// A file with conflict markers, normalised as `git rerere` normalises it, and its conflict id.
///
/// Each conflict `<<<<<<< label` … (`||||||| base` … discarded) `=======` … `>>>>>>> label` is
/// rewritten without labels and with its two sides in byte order, so that the same conflict
/// has the same image whichever side was ours; the id is the SHA-1 of each conflict's sides, each
/// followed by a NUL (rerere.c's `handle_path` and `handle_conflict`, marker size 7). Resolutions
/// are kept under this id, so they survive rebuilds, unrelated commits and swapped sides.
public struct ConflictImage: Sendable, Hashable {
    /// rerere's conflict id (40 hex digits).
    public var id: String
    /// The normalised file.
    public var normalized: [UInt8]
    /// How many conflicts it has.
    public var conflictCount: Int

    /// The image of `bytes`; nil when it has no well-formed conflict.
    public static func parse(_ bytes: [UInt8]) -> ConflictImage? {
        var reader = LineReader(lines: splitLines(bytes).map(Array.init))
        var output: [UInt8] = []
        var hashInput: [UInt8] = []
        var count = 0
        while let line = reader.next() {
            if isMarker(line, "<") {
                if let conflict = readConflict(&reader) {
                    output += conflict.normalized
                    hashInput += conflict.one + [0] + conflict.two + [0]
                    count += 1
                } else {
                    break
                }
            } else {
                output += line
            }
        }
        guard count > 0 else { return nil }
        return ConflictImage(id: ObjectID(hashingBytes: hashInput).hex, normalized: output, conflictCount: count)
    }

    private struct LineReader {
        var lines: [[UInt8]]
        var position = 0
        mutating func next() -> [UInt8]? {
            guard position < lines.count else { return nil }
            defer { position += 1 }
            return lines[position]
        }
    }

    static let markerSize = 7

    /// rerere's `is_cmarker`: seven marker characters, then a space for `<` and `>` (they carry
    /// labels), or any whitespace for `|` and `=`.
    static func isMarker(_ line: [UInt8], _ character: Character) -> Bool {
        let byte = character.asciiValue!
        guard line.count > markerSize, line.prefix(markerSize).allSatisfy({ $0 == byte }) else { return false }
        let next = line[markerSize]
        if character == "<" || character == ">" { return next == 0x20 }
        return next == 0x20 || next == 0x0A || next == 0x09 || next == 0x0D
    }

    /// One conflict after its `<<<<<<<` line: the two sides in order and the normalised text;
    /// nil when the markers are not well formed.
    private static func readConflict(_ reader: inout LineReader) -> (one: [UInt8], two: [UInt8], normalized: [UInt8])? {
        enum Part { case one, original, two }
        var part = Part.one
        var one: [UInt8] = []
        var two: [UInt8] = []
        while let line = reader.next() {
            if isMarker(line, "<") {
                guard let nested = readConflict(&reader) else { return nil }
                if part == .one { one += nested.normalized } else { two += nested.normalized }
            } else if isMarker(line, "|") {
                guard part == .one else { return nil }
                part = .original
            } else if isMarker(line, "=") {
                guard part == .one || part == .original else { return nil }
                part = .two
            } else if isMarker(line, ">") {
                guard part == .two else { return nil }
                if one.lexicographicallyPrecedes(two) == false && one != two { swap(&one, &two) }
                let marker: (UInt8) -> [UInt8] = { Array(repeating: $0, count: markerSize) + [0x0A] }
                return (one, two, marker(0x3C) + one + marker(0x3D) + two + marker(0x3E))
            } else if part == .one {
                one += line
            } else if part == .two {
                two += line
            }
        }
        return nil
    }

    /// Applies a recorded resolution to this image, as rerere replays one: a three-way merge
    /// with the recorded preimage as the base, this image as ours and the recorded postimage as
    /// theirs. Nil when that merge conflicts.
    public func applying(preimage: [UInt8], postimage: [UInt8]) throws -> [UInt8]? {
        let merged = try Repository.mergeFile(ancestor: preimage, ours: normalized, theirs: postimage)
        return merged.isClean ? merged.contents : nil
    }
}
