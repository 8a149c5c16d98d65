import Foundation
import Git

/// Finds, on each side of a merge, the commits whose meeting made its fix-up necessary: those
/// whose changed lines hold what the fix-up changes.
///
/// The fix-up's changed words are the identifiers its removed lines have and its added lines do
/// not, and the other way round (a function renamed: the old name and the new). On each side —
/// the side's commits since the merge base, merges left out — the commits whose added or removed
/// lines hold the most of those words are the side's key (at most `limit`, newest first: `git
/// log -G` finds them, in one run per side), those that touched the fix-up's files first: a
/// commit that changed the very lines, or the file, is the likelier cause than one elsewhere
/// that shares a word. A side where none holds any is keyed by its newest commit that touched
/// the fix-up's files, else by its newest commit.
struct FixupKeyFinder {
    let repository: Repository
    var git = GitProgram()
    /// At most this many commits per side.
    var limit = 3
    /// At most this many words are looked for (the longest, the most telling).
    var wordLimit = 12

    /// The key commits of each side (`sides` are the merge's parents), for a fix-up `patch`
    /// that changes `files`.
    func keys(sides: [ObjectID], bases: [ObjectID], patch: [UInt8], files: [String]) throws -> [[ObjectID]] {
        let words = Self.changedWords(of: patch, limit: wordLimit)
        return try sides.map { side in
            let range = [side.hex] + bases.map { "^" + $0.hex }
            let touching =
                files.isEmpty
                ? []
                : try log(["--no-merges", "--format=%H"] + range + ["--"] + files).split(separator: "\n").compactMap {
                    ObjectID(hex: $0)
                }
            // The words are a hint: a side whose diffs git cannot read (an object missing from
            // a partial clone) is keyed by the files instead.
            let scored = words.isEmpty ? [] : ((try? commitsHolding(words, in: range)) ?? [])
            let inFiles = Set(touching)
            if let found = best(scored.filter { inFiles.contains($0.id) }) ?? best(scored) { return found }
            if let newest = touching.first { return [newest] }
            let output = try log(["--no-merges", "-1", "--format=%H"] + range)
            return ObjectID(hex: output.trimmingCharacters(in: .whitespacesAndNewlines)).map { [$0] } ?? []
        }
    }

    /// The commits of `scored` with the highest score, at most `limit`, in their order; nil when
    /// there are none.
    private func best(_ scored: [(id: ObjectID, score: Int)]) -> [ObjectID]? {
        guard let top = scored.map(\.score).max() else { return nil }
        return Array(scored.filter { $0.score == top }.map(\.id).prefix(limit))
    }

    /// The commits of `range` whose changed lines hold any of `words`, newest first, each with how
    /// many of them.
    private func commitsHolding(_ words: [String], in range: [String]) throws -> [(id: ObjectID, score: Int)] {
        let alternation = words.joined(separator: "|")
        let pattern = "(^|[^A-Za-z0-9_])(\(alternation))([^A-Za-z0-9_]|$)"
        let output = try log(
            ["--no-merges", "-p", "--no-color", "--no-ext-diff", "--format=%x00%H", "-G", pattern] + range)
        var scored: [(id: ObjectID, score: Int)] = []
        for record in output.split(separator: "\0", omittingEmptySubsequences: true) {
            guard let newline = record.firstIndex(of: "\n"), let id = ObjectID(hex: record[..<newline]) else {
                continue
            }
            let changed = Self.words(inChangedLinesOf: Array(record[newline...].utf8))
            let score = words.filter(changed.contains).count
            if score > 0 { scored.append((id, score)) }
        }
        return scored
    }

    private func log(_ arguments: [String]) throws -> String {
        let result = try git.run(["log"] + arguments, in: repository.gitDirectory)
        guard result.status == 0 else {
            throw TributaryError.environment("git log failed: \(result.errorOutput)")
        }
        return result.text
    }

    /// The identifiers the patch's removed lines have and its added lines lack, and the other
    /// way round; when there are none (lines only moved or re-indented), every identifier of its
    /// changed lines. The longest `limit` of them, then in byte order.
    static func changedWords(of patch: [UInt8], limit: Int) -> [String] {
        var removed = Set<String>()
        var added = Set<String>()
        forEachChangedLine(of: patch) { sign, line in
            let words = identifiers(in: line)
            if sign == 0x2D { removed.formUnion(words) } else { added.formUnion(words) }
        }
        var changed = removed.symmetricDifference(added)
        if changed.isEmpty { changed = removed.union(added) }
        return Array(changed.sorted { ($0.count, $1) > ($1.count, $0) }.prefix(limit)).sorted()
    }

    /// Every identifier of the changed lines of `patch`.
    static func words(inChangedLinesOf patch: [UInt8]) -> Set<String> {
        var found = Set<String>()
        forEachChangedLine(of: patch) { _, line in found.formUnion(identifiers(in: line)) }
        return found
    }

    /// Calls `body` with the sign (`+` or `-`) and the text of each added or removed line of the
    /// hunks of `patch` (file headers are not lines of a hunk).
    static func forEachChangedLine(of patch: [UInt8], _ body: (UInt8, ArraySlice<UInt8>) -> Void) {
        var inHunk = false
        for line in splitLines(patch) {
            guard let first = line.first else { continue }
            if line.starts(with: Array("diff --git ".utf8)) {
                inHunk = false
            } else if line.starts(with: Array("@@".utf8)) {
                inHunk = true
            } else if inHunk, first == 0x2B || first == 0x2D {
                body(first, line.dropFirst())
            }
        }
    }

    /// Identifiers of three or more characters (`[A-Za-z_][A-Za-z0-9_]*`), numbers left out.
    static func identifiers(in line: ArraySlice<UInt8>) -> Set<String> {
        var found = Set<String>()
        var current: [UInt8] = []
        func flush() {
            if current.count >= 3, let first = current.first, !(0x30...0x39).contains(first) {
                found.insert(String(decoding: current, as: UTF8.self))
            }
            current.removeAll(keepingCapacity: true)
        }
        for byte in line {
            let isWord =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x5F
            if isWord { current.append(byte) } else { flush() }
        }
        flush()
        return found
    }
}
