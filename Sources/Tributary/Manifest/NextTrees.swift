import Foundation

/// linux-next's `Next/Trees` list: one tree per line, `name<TAB>url#branch` (or, in the older
/// three-column form, `name<TAB>type<TAB>url#branch` with type `git` or `quilt`), after a header
/// that ends with a `----` line.
public enum NextTrees {
    /// One line of the list.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var url: String
        public var branch: String
        public var line: Int
    }

    /// What a list holds: the git trees, and lines that were left out with the reason.
    public struct Contents: Sendable {
        public var entries: [Entry] = []
        public var skipped: [(line: Int, reason: String)] = []
    }

    /// The branch taken when a URL names none, as linux-next's tooling does.
    public static let defaultBranch = "master"

    /// Parses the text of a Next/Trees file.
    public static func parse(_ text: String) -> Contents {
        var contents = Contents()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let fields = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            guard fields.count >= 2 else { continue }
            if fields[0] == "Name" || fields[0].allSatisfy({ $0 == "-" }) { continue }
            let name = fields[0]
            var location = fields[1]
            if fields.count >= 3 {
                guard fields[1] == "git" else {
                    contents.skipped.append((index + 1, "\(name) is a \(fields[1]) tree, not a git tree"))
                    continue
                }
                location = fields[2]
            }
            var url = location
            var branch = defaultBranch
            if let hash = location.lastIndex(of: "#") {
                url = String(location[..<hash])
                branch = String(location[location.index(after: hash)...])
            }
            contents.entries.append(Entry(name: name, url: url, branch: branch, line: index + 1))
        }
        return contents
    }
}

extension Manifest {
    /// What importing a Next/Trees list changed.
    public struct Import: Sendable {
        public var listed: Int
        public var added: Int
        public var updated: Int
        public var unchanged: Int { listed - added - updated }
    }

    /// Imports the git trees of a Next/Trees list read from `file`: a tree already in the
    /// manifest gets the list's URL and branch and keeps its place; new trees are appended to
    /// the merge order. Every tree is checked first (a bad or repeated one is `badInput` naming
    /// its line), so one bad line changes nothing.
    public mutating func importTrees(_ contents: NextTrees.Contents, from file: String) throws(TributaryError)
        -> Import
    {
        guard !contents.entries.isEmpty else { throw .badInput("\(file) lists no tree") }
        for entry in contents.entries {
            if let problem = TreeSource.problem(name: entry.name, url: entry.url, branch: entry.branch) {
                throw .badInput("\(file):\(entry.line): \(problem)")
            }
        }
        var seen = Set<String>()
        for entry in contents.entries where !seen.insert(entry.name).inserted {
            throw .badInput("\(file):\(entry.line): tree \(entry.name) is listed twice")
        }
        let known = Set(trees.map(\.name))
        var updated = 0
        for entry in contents.entries where known.contains(entry.name) {
            let tree = try tree(named: entry.name)
            if tree.url != entry.url || tree.branch != entry.branch {
                try update(entry.name, url: entry.url, branch: entry.branch)
                updated += 1
            }
        }
        let added = contents.entries.filter { !known.contains($0.name) }
        try add(added.map { Tree(name: $0.name, url: $0.url, branch: $0.branch) })
        return Import(listed: contents.entries.count, added: added.count, updated: updated)
    }
}
