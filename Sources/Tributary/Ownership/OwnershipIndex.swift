/// A section that a path (or patch) matched, with get_maintainer.pl's depth.
public struct SectionMatch: Hashable, Sendable {
    public var section: MaintainersSection
    /// The depth of the last matching F: pattern of the section (0 for an N: match).
    public var depth: Int
}

/// Path → section matching with get_maintainer.pl's semantics, through an index built once per
/// MAINTAINERS version.
///
/// F: patterns are kept in a table keyed by their literal prefix (the characters before the first
/// wildcard), so a path is tested only against the patterns whose prefix it starts with, not
/// against the ~10,000 patterns of the kernel's file. N: regexes are checked with a required
/// literal first. Each candidate section is then evaluated exactly as the Perl script does: X:
/// excludes the section, and the last matching F:/N: line sets the depth.
public struct OwnershipIndex: Sendable {
    public let maintainers: MaintainersFile
    private let compiled: [CompiledSection]
    private let prefixes: PrefixTable
    /// Sections with an N: line, which every path may match.
    private let regexSections: [Int]
    /// Sections with K: lines, in the order get_maintainer.pl adds keyword matches.
    private let keywordSections: [(section: Int, regexes: [PerlRegex])]
    /// Whether the file writes no S: line at all (DPDK's): its sections are maintained.
    private let writesNoStatus: Bool
    /// Warnings from reading the file and compiling its patterns.
    public let warnings: [MaintainersWarning]
    /// The entries that name a tree and no files (a T: line, no F:, N: or K:): DPDK's "Main
    /// Branch" and "Next-net Tree", U-Boot's custodian trees.
    public let treeEntries: [MaintainersSection]

    private struct CompiledSection: Sendable {
        /// F: patterns and N: regexes in file order, the way the script walks them.
        var matchers: [Matcher]
        var excludes: [PathPattern]
        /// Positions of the N: regexes among `matchers`: every path may match them.
        var regexIndices: [Int] = []
    }

    private enum Matcher: Sendable {
        case file(PathPattern)
        case regex(PerlRegex)
    }

    /// Builds the index. `directories` are the directories of the tree being checked; a pattern
    /// without a trailing `/` that names one of them matches everything below it, as
    /// get_maintainer.pl decides by looking at the disk.
    /// In a dialect that expands `{a,b}` in F:/X: patterns (Xen's), each alternative is a
    /// pattern of its own.
    public init(_ maintainers: MaintainersFile, directories: Set<String> = [], dialect: OwnershipDialect = .linux) {
        self.maintainers = maintainers
        var warnings = maintainers.warnings
        var compiled: [CompiledSection] = []
        var prefixes = PrefixTable()
        let patternCount = maintainers.sections.reduce(0) { $0 + $1.fields.count { $0.kind == "F" } }
        prefixes.reserve(keys: patternCount, bytes: patternCount * 12)
        var regexSections: [Int] = []
        var keywordSections: [(Int, [PerlRegex])] = []
        for (number, section) in maintainers.sections.enumerated() {
            var entry = CompiledSection(matchers: [], excludes: [])
            var keywords: [PerlRegex] = []
            for field in section.fields {
                switch field.kind {
                case "F", "X":
                    guard !field.value.isEmpty else { continue }
                    let texts = dialect.expandsBraces ? PathPattern.expandingBraces(field.value) : [field.value]
                    for text in texts {
                        // Xen's script tests the regex form on disk, which has `(a|b)` and is never a directory.
                        let pattern = ParseMemo.shared.pattern(
                            text, isTreeDirectory: texts.count == 1 && directories.contains(text))
                        if field.kind == "F" {
                            prefixes.insert(pattern.literalPrefix, value: number << 20 | entry.matchers.count)
                            entry.matchers.append(.file(pattern))
                        } else {
                            entry.excludes.append(pattern)
                        }
                    }
                case "N", "K":
                    guard !field.value.isEmpty else { continue }
                    if let regex = ParseMemo.shared.regex(field.value) {
                        if field.kind == "N" {
                            entry.regexIndices.append(entry.matchers.count)
                            entry.matchers.append(.regex(regex))
                        } else {
                            keywords.append(regex)
                        }
                    } else {
                        warnings.append(
                            .init(
                                file: field.file, line: field.line,
                                message: "\(field.kind): '\(field.value)' is not a valid regular expression"))
                    }
                default: break
                }
            }
            if entry.matchers.contains(where: { if case .regex = $0 { true } else { false } }) {
                regexSections.append(number)
            }
            if !keywords.isEmpty { keywordSections.append((number, keywords)) }
            compiled.append(entry)
        }
        // get_maintainer.pl sorts the keyword matches by the string of their line index.
        keywordSections.sort {
            String(maintainers.sections[$0.0].typeValueIndex) < String(maintainers.sections[$1.0].typeValueIndex)
        }
        self.compiled = compiled
        self.prefixes = prefixes
        self.regexSections = regexSections
        self.keywordSections = keywordSections
        self.warnings = warnings
        writesNoStatus = !maintainers.sections.contains { $0.status != nil }
        treeEntries = maintainers.sections.filter { section in
            section.fields.contains { $0.kind == "T" } && section.hasMaintainer
                && !section.fields.contains { $0.kind == "F" || $0.kind == "N" || $0.kind == "K" }
        }
    }

    /// The sections that match `path`, deepest first; sections of equal depth in file order.
    public func sections(for path: String) -> [SectionMatch] {
        ownership(of: path).sections
    }

    /// Whether some matching F: pattern is at least as deep as the path, in a maintained section
    /// with an M: — get_maintainer.pl's "exact pattern match". A path without one is unowned:
    /// the script would fall back to guessing from git history. In a file that writes no S: line
    /// at all (DPDK's), every section counts as maintained.
    public func isOwned(_ path: String) -> Bool {
        ownership(of: path).isOwned
    }

    /// Both answers for `path`, from one evaluation.
    public func ownership(of path: String) -> (sections: [SectionMatch], isOwned: Bool) {
        let result = evaluate(path)
        return (result.matches, result.exactlyMaintained)
    }

    private func evaluate(_ path: String) -> (matches: [SectionMatch], exactlyMaintained: Bool) {
        var bytes = Array(path.utf8)
        let slashes = bytes.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
        return bytes.withUnsafeMutableBufferPointer { mutable in
            let buffer = UnsafeBufferPointer(mutable)
            // Only the F: patterns whose literal prefix starts the path can match it, and the
            // N: regexes; evaluate those, per section, in file order. Each candidate is a code,
            // section << 20 | position of the pattern in it: sorted, they come section by
            // section, each section's in file order.
            var codes: [Int] = []
            codes.reserveCapacity(16)
            prefixes.forEachValue(alongPrefixesOf: buffer) { codes.append($0) }
            for number in regexSections {
                let entry = compiled[number]
                for index in entry.regexIndices {
                    if case .regex(let regex) = entry.matchers[index], regex.mightMatch(buffer) {
                        codes.append(number << 20 | index)
                    }
                }
            }
            codes.sort()
            var found: [SectionMatch] = []
            var exact = false
            var start = 0
            while start < codes.count {
                let number = codes[start] >> 20
                var end = start + 1
                while end < codes.count && codes[end] >> 20 == number { end += 1 }
                defer { start = end }
                let entry = compiled[number]
                if entry.excludes.contains(where: { $0.matches(buffer, slashes: slashes) }) { continue }
                var depth: Int?
                let section = maintainers.sections[number]
                for code in codes[start..<end] {
                    switch entry.matchers[code & 0xFFFFF] {
                    case .file(let pattern):
                        guard pattern.matches(buffer, slashes: slashes) else { continue }
                        if pattern.depth >= slashes && (section.isMaintained || writesNoStatus) && section.hasMaintainer
                        {
                            exact = true
                        }
                        depth = pattern.depth
                    case .regex(let regex):
                        if regex.matches(path) { depth = 0 }
                    }
                }
                if let depth { found.append(SectionMatch(section: section, depth: depth)) }
            }
            found.sort { $0.depth != $1.depth ? $0.depth > $1.depth : $0.section.order < $1.section.order }
            return (found, exact)
        }
    }

    /// The sections whose K: regexes match lines of a patch, in get_maintainer.pl's order.
    public func keywordSections(for lines: [String]) -> [MaintainersSection] {
        keywordSections.compactMap { entry in
            lines.contains { line in entry.regexes.contains { $0.matches(line) } }
                ? maintainers.sections[entry.section] : nil
        }
    }
}

/// Byte strings (the literal prefixes of F: patterns), each with its values (section and F:
/// pattern), found by every prefix of a path: a table from the 64-bit FNV-1a hash of each string
/// to its values, so that building it costs one insertion per pattern (a trie costs one per
/// byte: most of building a version's index), and a lookup walks the path's prefixes hashing
/// one byte more each time. A hash that two strings share is told apart by the strings
/// themselves, kept in one flat buffer. Each string's values are a list threaded through flat
/// arrays, so building the table allocates no array per string.
struct PrefixTable: Sendable {
    /// The first value of each string's list (an index into `values`), by the string's hash.
    private var heads: [UInt64: Int32] = [:]
    /// For each value: the next one with the same hash, or -1.
    private var nextValue: [Int32] = []
    private var values: [Int] = []
    /// For each value, where its string is in `bytes`.
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var bytes: [UInt8] = []

    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Room for about `count` keys of about `length` bytes.
    mutating func reserve(keys count: Int, bytes length: Int) {
        heads.reserveCapacity(count)
        nextValue.reserveCapacity(count)
        values.reserveCapacity(count)
        starts.reserveCapacity(count)
        lengths.reserveCapacity(count)
        bytes.reserveCapacity(length)
    }

    mutating func insert(_ key: [UInt8], value: Int) {
        var hash = Self.offsetBasis
        for byte in key { hash = (hash ^ UInt64(byte)) &* Self.prime }
        values.append(value)
        starts.append(Int32(bytes.count))
        lengths.append(Int32(key.count))
        bytes += key
        nextValue.append(heads[hash] ?? -1)
        heads[hash] = Int32(values.count - 1)
    }

    /// Calls `body` with every value whose string is a prefix of `path` (the empty one
    /// included), shorter strings first, the values of one string latest inserted first.
    func forEachValue(alongPrefixesOf path: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        var hash = Self.offsetBasis
        var length = 0
        while true {
            var entry = heads[hash] ?? -1
            while entry >= 0 {
                let index = Int(entry)
                if Int(lengths[index]) == length, isPrefix(at: Int(starts[index]), length: length, of: path) {
                    body(values[index])
                }
                entry = nextValue[index]
            }
            guard length < path.count else { break }
            hash = (hash ^ UInt64(path[length])) &* Self.prime
            length += 1
        }
    }

    private func isPrefix(at start: Int, length: Int, of path: UnsafeBufferPointer<UInt8>) -> Bool {
        var offset = 0
        while offset < length {
            if bytes[start + offset] != path[offset] { return false }
            offset += 1
        }
        return true
    }
}
