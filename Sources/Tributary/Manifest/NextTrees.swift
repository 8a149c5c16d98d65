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
