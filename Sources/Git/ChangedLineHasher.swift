/// The changed lines of a patch, by file, each as a 32-bit hash: what a copy of a change that
/// was edited on the way (other context, a file left out, a line changed) still shares with it.
///
/// A line counts when it is added or removed inside a hunk (the `@@ -a,b +c,d @@` header's counts
/// say where the hunk ends, so a removed line that starts with `--` is not taken for a file
/// header); it is hashed as its sign and its bytes without whitespace (FNV-1a), and left out when
/// fewer than four bytes remain (a `}` tells nothing apart). The file is the path of the `+++`
/// line, or of the `---` line for a deleted file, without its `a/` or `b/` prefix (quoted paths
/// unquoted). Lines of `git log -p` output, of `git format-patch` mail and of libgit2's patch
/// text all give the same hashes for the same change.
public struct ChangedLineHasher {
    /// By file: the hashes of its changed lines, in the order of the patch.
    public private(set) var lines: [String: [UInt32]] = [:]
    /// The paths of every `---` and `+++` line (both sides of a rename).
    public private(set) var files: Set<String> = []
    private var file = ""
    private var inFile = false
    private var oldLeft = 0
    private var newLeft = 0

    public init() {}

    /// Feeds one line (with or without its trailing newline).
    public mutating func add(line: UnsafeBufferPointer<UInt8>) {
        var count = line.count
        if count > 0 && line[count - 1] == 0x0A { count -= 1 }
        let line = UnsafeBufferPointer(rebasing: line[0..<count])
        if oldLeft > 0 || newLeft > 0 {
            guard let first = line.first else {
                // An empty context line (some mailers strip the space).
                oldLeft -= 1
                newLeft -= 1
                return
            }
            switch first {
            case 0x2B:
                newLeft -= 1
                record(line, sign: first)
            case 0x2D:
                oldLeft -= 1
                record(line, sign: first)
            case 0x20:
                oldLeft -= 1
                newLeft -= 1
            case 0x5C: break  // "\ No newline at end of file"
            default:
                // Not a hunk line: the hunk was cut short (a mail's signature follows).
                oldLeft = 0
                newLeft = 0
                header(line)
            }
            return
        }
        header(line)
    }

    private mutating func header(_ line: UnsafeBufferPointer<UInt8>) {
        if line.starts(with: Self.diffPrefix) {
            inFile = true
            file = ""
            return
        }
        guard inFile else { return }
        if line.starts(with: Self.oldPrefix) || line.starts(with: Self.newPrefix) {
            let path = GitProgram.unquote(Array(line.dropFirst(4)))
            if path.hasPrefix("a/") || path.hasPrefix("b/") {
                file = String(path.dropFirst(2))
                files.insert(file)
            }
        } else if line.starts(with: Self.hunkPrefix) {
            (oldLeft, newLeft) = Self.hunkCounts(line)
        }
    }

    private mutating func record(_ line: UnsafeBufferPointer<UInt8>, sign: UInt8) {
        var hash: UInt32 = 2_166_136_261
        hash = (hash ^ UInt32(sign)) &* 16_777_619
        var bytes = 0
        for byte in line.dropFirst() where !Self.isWhitespace(byte) {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
            bytes += 1
        }
        if bytes >= 4 { lines[file, default: []].append(hash) }
    }

    /// The old and new line counts of `@@ -a[,b] +c[,d] @@` (a count left out is 1).
    static func hunkCounts(_ line: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var counts: [Int] = []
        var index = 3
        while counts.count < 2, index < line.count {
            // At '-' or '+': the start, then an optional ",count".
            index += 1
            while index < line.count, (0x30...0x39).contains(line[index]) { index += 1 }
            var value = 1
            if index < line.count, line[index] == 0x2C {
                index += 1
                value = 0
                while index < line.count, (0x30...0x39).contains(line[index]) {
                    value = value * 10 + Int(line[index] - 0x30)
                    index += 1
                }
            }
            counts.append(value)
            while index < line.count, line[index] != 0x2B, line[index] != 0x40 { index += 1 }
            if index < line.count, line[index] == 0x40 { break }
        }
        return (counts.first ?? 0, counts.count > 1 ? counts[1] : 0)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// The hasher fed every line of `text`, a whole patch.
    public static func hashing(_ text: String) -> ChangedLineHasher {
        var hasher = ChangedLineHasher()
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count where bytes[index] == 0x0A {
                hasher.add(line: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
            }
            if start < bytes.count { hasher.add(line: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        return hasher
    }

    private static let diffPrefix = Array("diff --git ".utf8)
    private static let oldPrefix = Array("--- ".utf8)
    private static let newPrefix = Array("+++ ".utf8)
    private static let hunkPrefix = Array("@@ -".utf8)
}
