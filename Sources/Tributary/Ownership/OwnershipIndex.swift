/// A section that a path (or patch) matched, with get_maintainer.pl's depth.
public struct SectionMatch: Hashable, Sendable {
    public var section: MaintainersSection
    /// The depth of the last matching F: pattern of the section (0 for an N: match).
    public var depth: Int
}

/// Path → section matching with get_maintainer.pl's semantics, through an index built once per
/// MAINTAINERS version.
///
/// F: patterns are kept in a trie keyed by their literal prefix (the characters before the first
/// wildcard), so a path is tested only against the patterns whose prefix it starts with, not
/// against the ~10,000 patterns of the kernel's file. N: regexes are checked with a required
/// literal first. Each candidate section is then evaluated exactly as the Perl script does: X:
/// excludes the section, and the last matching F:/N: line sets the depth.
public struct OwnershipIndex: Sendable {
    public let maintainers: MaintainersFile
    private let compiled: [CompiledSection]
    private let trie: PrefixTrie
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
        var trie = PrefixTrie()
        let patternCount = maintainers.sections.reduce(0) { $0 + $1.fields.count { $0.kind == "F" } }
        trie.reserve(keys: patternCount, bytes: patternCount * 12)
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
                            trie.insert(pattern.literalPrefix, value: number << 20 | entry.matchers.count)
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
        self.trie = trie
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
            // N: regexes; evaluate those, per section, in file order.
            var candidates: [Int: [Int]] = [:]
            trie.forEachValue(alongPrefixesOf: buffer) { code in
                candidates[code >> 20, default: []].append(code & 0xFFFFF)
            }
            for number in regexSections {
                let entry = compiled[number]
                for index in entry.regexIndices {
                    if case .regex(let regex) = entry.matchers[index], regex.mightMatch(buffer) {
                        candidates[number, default: []].append(index)
                    }
                }
            }
            var found: [SectionMatch] = []
            var exact = false
            for (number, indices) in candidates.sorted(by: { $0.key < $1.key }) {
                let entry = compiled[number]
                if entry.excludes.contains(where: { $0.matches(buffer, slashes: slashes) }) { continue }
                var depth: Int?
                let section = maintainers.sections[number]
                for index in indices.sorted() {
                    switch entry.matchers[index] {
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

/// A trie of byte strings, each node holding the values (section and F: pattern) whose literal
/// prefix is exactly that string. Edges live in one dictionary keyed by (node, byte), which is
/// much cheaper to build than a dictionary per node; each node's values are a list threaded
/// through two flat arrays, so building the trie allocates no array per node.
struct PrefixTrie: Sendable {
    private var edges: [Int: Int32] = [:]
    /// The first value of each node's list (an index into `values`), or -1.
    private var firstValue: [Int32] = [-1]
    /// For each value, the next one of its node, or -1.
    private var nextValue: [Int32] = []
    private var values: [Int] = []

    /// Room for about `count` keys of about `length` bytes.
    mutating func reserve(keys count: Int, bytes length: Int) {
        edges.reserveCapacity(length)
        firstValue.reserveCapacity(length + 1)
        nextValue.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    mutating func insert(_ key: [UInt8], value: Int) {
        var node = 0
        for byte in key {
            let edge = node << 8 | Int(byte)
            if let next = edges[edge] {
                node = Int(next)
            } else {
                firstValue.append(-1)
                node = firstValue.count - 1
                edges[edge] = Int32(node)
            }
        }
        values.append(value)
        nextValue.append(firstValue[node])
        firstValue[node] = Int32(values.count - 1)
    }

    /// Calls `body` with every value stored at a node on the path of `bytes` (the root included).
    func forEachValue(alongPrefixesOf bytes: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        var node = 0
        var byteIndex = 0
        while true {
            var entry = firstValue[node]
            while entry >= 0 {
                body(values[Int(entry)])
                entry = nextValue[Int(entry)]
            }
            guard byteIndex < bytes.count, let next = edges[node << 8 | Int(bytes[byteIndex])] else { break }
            node = Int(next)
            byteIndex += 1
        }
    }
}
