/// Computes git's stable patch-id from patch text, line by line, exactly as
/// `git patch-id --stable` does for one patch of `git log -p` output (the algorithm of git 2.39
/// and later, which hashes binary files by their blob ids).
///
/// The id is a SHA-1 over the diff lines with all whitespace removed and hunk line numbers
/// dropped; each file's section is hashed on its own and the hashes are added as 20-byte numbers,
/// so the order of files does not change the id. `index` lines are not hashed, except that a
/// binary file contributes the two blob ids as its `index` line spells them: abbreviated ids give
/// other patch-ids than full ones (`--full-index`). Quirk kept on purpose, to give git's answer: a
/// file section with no hunk (a mode-only change, a pure rename) is hashed together with the next
/// file's section.
public struct PatchIDHasher {
    private var sha = SHA1()
    private var result = [UInt8](repeating: 0, count: 20)
    private var patchLength = 0
    private var before = -1
    private var after = -1
    private var stopped = false
    private var isBinary = false
    private var oldBlob: [UInt8] = []
    private var newBlob: [UInt8] = []
    private var scratch: [UInt8] = []

    public init() {}

    /// Feeds one line (with or without its trailing newline).
    public mutating func add(line: UnsafeBufferPointer<UInt8>) {
        if stopped || line.isEmpty { return }
        // "\ No newline at end of file"
        if line.count > 12 && line[0] == 0x5C && line[1] == 0x20 { return }
        if patchLength == 0 && !line.starts(with: Self.diffPrefix) { return }
        if before == -1 {
            if line.starts(with: Self.binaryPatchPrefix) || line.starts(with: Self.binaryFilesPrefix) {
                isBinary = true
                before = 0
                oldBlob.withUnsafeBufferPointer { sha.update($0) }
                newBlob.withUnsafeBufferPointer { sha.update($0) }
                flushFile()
                return
            }
            if line.starts(with: Self.indexPrefix) {
                readBlobIDs(line)
                return
            }
            if line.starts(with: Self.minusPrefix) {
                before = 1
                after = 1
            } else if !Self.isAlpha(line[0]) {
                stopped = true
                return
            }
        }
        if isBinary {
            if line.starts(with: Self.diffPrefix) {
                isBinary = false
                before = -1
            }
            return
        }
        if before == 0 && after == 0 {
            if line.starts(with: Self.hunkPrefix) {
                scanHunkHeader(line)
                return
            }
            if !line.starts(with: Self.diffPrefix) {
                stopped = true
                return
            }
            flushFile()
            before = -1
            after = -1
        }
        let first = line[0]
        if first == 0x2D || first == 0x20 { before -= 1 }
        if first == 0x2B || first == 0x20 { after -= 1 }
        scratch.removeAll(keepingCapacity: true)
        for byte in line where !Self.isSpace(byte) { scratch.append(byte) }
        patchLength += scratch.count
        scratch.withUnsafeBufferPointer { sha.update($0) }
    }

    /// Feeds every line of `text`.
    public mutating func add(text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            for index in buffer.indices where buffer[index] == 0x0A {
                add(line: UnsafeBufferPointer(rebasing: buffer[start...index]))
                start = index + 1
            }
            if start < buffer.count { add(line: UnsafeBufferPointer(rebasing: buffer[start...])) }
        }
    }

    /// The patch-id; nil when the text held no diff.
    public mutating func finalize() -> ObjectID? {
        flushFile()
        guard patchLength > 0 else { return nil }
        return ObjectID(bytes: result)
    }

    private mutating func flushFile() {
        let hash = sha.finalize()
        sha = SHA1()
        var carry: UInt16 = 0
        for index in 0..<20 {
            carry += UInt16(result[index]) + UInt16(hash[index])
            result[index] = UInt8(truncatingIfNeeded: carry)
            carry >>= 8
        }
    }

    /// Reads the line counts of `@@ -a,b +c,d @@` as git's `scan_hunk_header` does: an omitted
    /// count is 1, and a count is stored as soon as it is read, even if the rest is unreadable.
    private mutating func scanHunkHeader(_ line: UnsafeBufferPointer<UInt8>) {
        func digits(from start: Int) -> Int {
            var end = start
            while end < line.count, (0x30...0x39).contains(line[end]) { end += 1 }
            return end - start
        }
        func number(at start: Int) -> Int {
            var value = 0
            var position = start
            while position < line.count, (0x30...0x39).contains(line[position]) {
                value = value &* 10 &+ Int(line[position] - 0x30)
                position += 1
            }
            return value
        }
        var q = 4
        var n = digits(from: q)
        if q + n < line.count, line[q + n] == 0x2C {
            q += n + 1
            before = number(at: q)
            n = digits(from: q)
        } else {
            before = 1
        }
        guard n > 0, q + n + 1 < line.count, line[q + n] == 0x20, line[q + n + 1] == 0x2B else { return }
        var r = q + n + 2
        n = digits(from: r)
        if r + n < line.count, line[r + n] == 0x2C {
            r += n + 1
            after = number(at: r)
        } else {
            after = 1
        }
    }

    /// Keeps the two blob ids of an `index OLD..NEW[ MODE]` line, for a binary file that may follow.
    private mutating func readBlobIDs(_ line: UnsafeBufferPointer<UInt8>) {
        var dots: Int?
        for index in 0..<(line.count - 1) where line[index] == 0x2E && line[index + 1] == 0x2E {
            dots = index
            break
        }
        guard let dots else { return }
        var end = line.count - 1
        for index in dots..<line.count where line[index] == 0x20 {
            end = index
            break
        }
        let start = Self.indexPrefix.count
        oldBlob = dots >= start ? Array(line[start..<dots]) : []
        newBlob = dots + 2 <= end ? Array(line[(dots + 2)..<end]) : []
    }

    private static let diffPrefix: [UInt8] = Array("diff ".utf8)
    private static let indexPrefix: [UInt8] = Array("index ".utf8)
    private static let minusPrefix: [UInt8] = Array("--- ".utf8)
    private static let hunkPrefix: [UInt8] = Array("@@ -".utf8)
    private static let binaryPatchPrefix: [UInt8] = Array("GIT binary patch".utf8)
    private static let binaryFilesPrefix: [UInt8] = Array("Binary files".utf8)

    private static func isAlpha(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

    /// C's `isspace` in the C locale.
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
}

extension Diff {
    /// The stable patch-id of this diff's patch text (see `PatchIDHasher`); nil for an empty diff.
    ///
    /// libgit2 prints `--- ` and `+++ ` lines for a file with no hunk whose blob changes (an
    /// empty file added or deleted); git prints them only above a hunk, and the lines of such a
    /// section are hashed with the next file's (git.git's c32815f903 adds an empty file): they
    /// are left out here as git leaves them out.
    public func patchID() throws(GitError) -> ObjectID? {
        var hasher = PatchIDHasher()
        var pendingHeader: [UInt8]? = nil
        func addHeader(_ header: [UInt8], withFileLines: Bool) {
            header.withUnsafeBufferPointer { text in
                var start = 0
                for index in text.indices where text[index] == 0x0A {
                    let line = UnsafeBufferPointer(rebasing: text[start...index])
                    if withFileLines
                        || !(line.starts(with: Self.oldFilePrefix) || line.starts(with: Self.newFilePrefix))
                    {
                        hasher.add(line: line)
                    }
                    start = index + 1
                }
                if start < text.count { hasher.add(line: UnsafeBufferPointer(rebasing: text[start...])) }
            }
        }
        try forEachLine { line in
            if line.origin == .fileHeader {
                // The file header holds several lines; whether its ---/+++ lines are printed
                // depends on what follows.
                if let header = pendingHeader { addHeader(header, withFileLines: false) }
                pendingHeader = Array(line.text)
                return
            }
            if let header = pendingHeader {
                addHeader(header, withFileLines: true)
                pendingHeader = nil
            }
            hasher.add(line: line.text)
        }
        if let header = pendingHeader { addHeader(header, withFileLines: false) }
        return hasher.finalize()
    }

    private static let oldFilePrefix: [UInt8] = Array("--- ".utf8)
    private static let newFilePrefix: [UInt8] = Array("+++ ".utf8)
}

extension Repository {
    /// The stable patch-id of the change a commit makes against its first parent, as
    /// `git log -p | git patch-id --stable` gives it; nil for merges and for commits that change
    /// nothing.
    public func patchID(of commit: Commit, options: DiffOptions = DiffOptions()) throws(GitError) -> ObjectID? {
        guard !commit.isMerge else { return nil }
        return try diff(of: commit, options: options).patchID()
    }
}
