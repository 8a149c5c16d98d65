/// What get_maintainer.pl takes from a patch: the paths it touches and the lines its K:
/// keywords are tested on.
public struct PatchPaths: Hashable, Sendable {
    /// Every path named by `diff --git`, `---`/`+++`, `rename from/to` and ` mode change` lines,
    /// sorted and without repeats. Like the kernel's get_maintainer.pl, `--- /dev/null` gives
    /// `dev/null` (Xen's script skips it).
    public var paths: [String]
    /// Lines to test K: regexes on: every other line before the first `---`/`+++` file line (the
    /// message, whole), and after it only `+`/`-` lines, without their first character.
    public var keywordLines: [String]
    /// The commit ids of `Fixes:` lines (`^Fixes:\s+([0-9a-fA-F]{6,40})`), first occurrence
    /// first, each once; empty in a dialect whose script does not read them.
    public var fixes: [String]

    /// Reads patch text (a mail, `git format-patch` output, or `git show` output) as `dialect`'s
    /// script reads it.
    public init(patch: String, dialect: OwnershipDialect = .linux) {
        var paths: [String] = []
        var keywordLines: [String] = []
        var fixes: [String] = []
        var inDiff = false
        for rawLine in patch.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.hasPrefix(" mode change "), let path = Self.modeChangePath(line) {
                paths.append(path)
            } else if line.hasPrefix("rename from ") || line.hasPrefix("rename to "), let path = Self.renamePath(line) {
                paths.append(path)
            } else if line.hasPrefix("diff --git a/"), let (old, new) = Self.diffGitPaths(line) {
                paths += [old, new]
            } else if dialect.readsFixes, line.hasPrefix("Fixes:"), let id = Self.fixesID(line) {
                if !fixes.contains(id) { fixes.append(id) }
            } else if line.hasPrefix("+++") || line.hasPrefix("---"), let path = Self.fileLinePath(line) {
                let word = line.dropFirst(3).drop(while: \.isWhitespace).prefix { !$0.isWhitespace }
                if !(dialect.skipsDevNull && word == "/dev/null") {
                    paths.append(path)
                }
                inDiff = true
            } else if line.hasPrefix("@@ -"), Self.isHunkHeader(line) {
                continue
            } else if !inDiff {
                keywordLines.append(String(line))
            } else if line.hasPrefix("+") || line.hasPrefix("-") {
                keywordLines.append(String(line.dropFirst()))
            }
        }
        self.paths = Array(Set(paths)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        self.keywordLines = keywordLines
        self.fixes = fixes
    }

    /// `^ mode change [0-7]+ => [0-7]+ (\S+)\s*$`
    private static func modeChangePath(_ line: Substring) -> String? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 6, words[0] == "mode", words[1] == "change",
            words[2].allSatisfy({ ("0"..."7").contains($0) }),
            words[3] == "=>", words[4].allSatisfy({ ("0"..."7").contains($0) })
        else { return nil }
        return String(words[5])
    }

    /// `^rename (?:from|to) (\S+)\s*$`
    private static func renamePath(_ line: Substring) -> String? {
        let rest = line.hasPrefix("rename from ") ? line.dropFirst(12) : line.dropFirst(10)
        let path = rest.prefix { !$0.isWhitespace }
        guard !path.isEmpty, rest.dropFirst(path.count).allSatisfy(\.isWhitespace) else { return nil }
        return String(path)
    }

    /// `^diff --git a\/(\S+) b\/(\S+)\s*$`
    private static func diffGitPaths(_ line: Substring) -> (String, String)? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 4, words[2].hasPrefix("a/"), words[3].hasPrefix("b/"), words[2].count > 2,
            words[3].count > 2
        else {
            return nil
        }
        return (String(words[2].dropFirst(2)), String(words[3].dropFirst(2)))
    }

    /// `^Fixes:\s+([0-9a-fA-F]{6,40})`: the id, or nil.
    private static func fixesID(_ line: Substring) -> String? {
        let rest = line.dropFirst(6)
        guard let first = rest.first, first.isWhitespace else { return nil }
        let hex = rest.drop(while: \.isWhitespace).prefix { $0.isASCII && $0.isHexDigit }.prefix(40)
        return hex.count >= 6 ? String(hex) : nil
    }

    /// `^\+\+\+\s+(\S+)` or `^---\s+(\S+)`, with the first path component removed.
    private static func fileLinePath(_ line: Substring) -> String? {
        let rest = line.dropFirst(3)
        guard let first = rest.first, first.isWhitespace else { return nil }
        let word = rest.drop(while: \.isWhitespace).prefix { !$0.isWhitespace }
        guard !word.isEmpty else { return nil }
        if let slash = word.firstIndex(of: "/") { return String(word[word.index(after: slash)...]) }
        return String(word)
    }

    /// `^\@\@ -(\d+),(\d+)`
    private static func isHunkHeader(_ line: Substring) -> Bool {
        let rest = line.dropFirst(4)
        let first = rest.prefix(while: \.isNumber)
        guard !first.isEmpty, rest.dropFirst(first.count).first == "," else { return false }
        return rest.dropFirst(first.count + 1).first?.isNumber == true
    }
}
