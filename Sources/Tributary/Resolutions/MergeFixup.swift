import Foundation
public import Git

/// What a maintainer changed in a merge beyond git's automatic result and the recorded conflict
/// resolutions (an "evil merge": a caller renamed in a file that merged cleanly, a declaration
/// both sides moved), kept to be made again whenever the commits whose meeting needed it meet
/// again — in any order of the trees, after rebases — and not when either is absent.
///
/// It is bound to its two sides: on each, the commits that introduced or last changed what the
/// fix-up changes (`FixupKeyFinder`), known by patch-id so that a rebase keeps them, and the tree
/// that carried them when it was recorded.
public struct MergeFixup: Sendable, Hashable {
    /// A commit the fix-up needs.
    public struct KeyCommit: Sendable, Hashable {
        public var id: ObjectID
        /// Its patch-id (`git patch-id --stable`), which a rebased or cherry-picked copy keeps.
        public var patchID: ObjectID?
        public var subject: String

        public init(id: ObjectID, patchID: ObjectID?, subject: String) {
            self.id = id
            self.patchID = patchID
            self.subject = subject
        }
    }

    /// One side of the merge: the commits of it the fix-up needs.
    public struct Side: Sendable, Hashable {
        /// The tree that carried them when the fix-up was recorded (`mainline` for the base),
        /// when known.
        public var tree: String?
        public var commits: [KeyCommit]

        public init(tree: String?, commits: [KeyCommit]) {
            self.tree = tree
            self.commits = commits
        }
    }

    /// Its id: 12 hex digits of the SHA-1 of its patch and its sides' commits.
    public var id: String
    /// The change, as `git diff --binary` text, from the automatic result to the merge's tree.
    public var patch: [UInt8]
    /// The files it changes.
    public var files: [String]
    /// Paths git leaves conflicted (not in file contents: a rename against a deletion, a file
    /// against a directory) that it settles: their first side's version is taken, then the patch
    /// makes them what the merge made them.
    public var conflicts: [String]
    /// The first parent's side, then the second's.
    public var sides: [Side]
    /// How it was learned: `record <merge commit>`, `import <source>`.
    public var source: String
    /// When (seconds since the epoch).
    public var recorded: Int64
    /// Why it no longer applies (`dropped`, `reverted`, `landed upstream`) and when; nil while
    /// active.
    public var retired: String?

    public init(
        patch: [UInt8], files: [String], conflicts: [String], sides: [Side], source: String, recorded: Int64,
        retired: String? = nil
    ) {
        var hashed = patch
        for side in sides {
            hashed += Array("\0side".utf8)
            for commit in side.commits { hashed += Array((commit.patchID ?? commit.id).hex.utf8) }
        }
        id = String(ObjectID(hashingBytes: hashed).hex.prefix(12))
        self.patch = patch
        self.files = files
        self.conflicts = conflicts
        self.sides = sides
        self.source = source
        self.recorded = recorded
        self.retired = retired
    }

    /// Settles every conflict of `index` the recorded resolutions left, as recording and
    /// replaying a fix-up both do: each path gets its first side's version (else its second's;
    /// else it goes), and the fix-up's patch then makes it what the merge made it. Returns the
    /// paths settled.
    static func settleConflicts(of index: MergeIndex) throws -> [String] {
        var settled: [String] = []
        // Asked again after each: settling one conflict can settle others its stages name.
        while let conflict = try index.conflicts().first, !settled.contains(conflict.path) {
            let kept = conflict.ours ?? conflict.theirs
            try index.resolve(conflict.path, blob: kept?.id, mode: kept?.mode ?? .regular)
            settled.append(conflict.path)
        }
        return settled.sorted()
    }

    /// A patch to make with a tree's merge: its name (a merge fix-up's id, a tree fix-up's name)
    /// and what it is about (a merge fix-up's files, the ref a tree's fix-up comes from).
    typealias Patch = (name: String, patch: [UInt8], about: String)

    /// The fix-ups to make with the merge of tree `tree`, in order: the merge fix-ups `due`,
    /// then the tree's own among `treeFixups`.
    static func patches(due: [MergeFixup], then treeFixups: [ResolutionStore.Fixup], of tree: String) -> [Patch] {
        due.map { ($0.id, $0.patch, $0.files.joined(separator: ", ")) }
            + treeFixups.filter { $0.tree == tree }.map { ($0.name, Array($0.patch.utf8), ResolutionStore.reference) }
    }

    /// This fix-up retired for `reason`, now.
    func retiring(because reason: String, at time: Int64 = Int64(Date().timeIntervalSince1970)) -> MergeFixup {
        var retired = self
        let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(time)))
        retired.retired = "\(reason) (\(date))"
        return retired
    }

    /// Its meta file (git-config syntax).
    var meta: String {
        var text = "[fixup]\n\tsource = \(ConfigText.value(source))\n\trecorded = \(recorded)\n"
        for file in files { text += "\tfile = \(ConfigText.value(file))\n" }
        for path in conflicts { text += "\tconflict = \(ConfigText.value(path))\n" }
        if let retired { text += "\tretired = \(ConfigText.value(retired))\n" }
        for (number, side) in sides.enumerated() {
            text += "[side \(ConfigText.subsection(number == 0 ? "ours" : "theirs"))]\n"
            if let tree = side.tree { text += "\ttree = \(ConfigText.value(tree))\n" }
            for commit in side.commits {
                let line = "\(commit.id.hex) \(commit.patchID?.hex ?? "-") \(commit.subject)"
                text += "\tcommit = \(ConfigText.value(line))\n"
            }
        }
        return text
    }

    /// The fix-up stored as `patch` and `meta`; nil when the meta is not one.
    static func parse(id: String, patch: [UInt8], meta: [UInt8]) -> MergeFixup? {
        var fixup = MergeFixup(patch: patch, files: [], conflicts: [], sides: [], source: "", recorded: 0)
        fixup.id = id
        var sides: [String: Side] = [:]
        for (section, key, value) in MetaText.entries(meta) {
            switch (section, key) {
            case ("fixup", "source"): fixup.source = value
            case ("fixup", "recorded"): fixup.recorded = Int64(value) ?? 0
            case ("fixup", "file"): fixup.files.append(value)
            case ("fixup", "conflict"): fixup.conflicts.append(value)
            case ("fixup", "retired"): fixup.retired = value
            case (let name, "tree") where name.hasPrefix("side "):
                sides[name, default: Side(tree: nil, commits: [])].tree = value
            case (let name, "commit") where name.hasPrefix("side "):
                let parts = value.split(separator: " ", maxSplits: 2).map(String.init)
                guard parts.count >= 2, let id = ObjectID(hex: parts[0]) else { continue }
                sides[name, default: Side(tree: nil, commits: [])].commits.append(
                    KeyCommit(id: id, patchID: ObjectID(hex: parts[1]), subject: parts.count > 2 ? parts[2] : ""))
            default: continue
            }
        }
        guard let ours = sides["side ours"], let theirs = sides["side theirs"] else { return nil }
        fixup.sides = [ours, theirs]
        return fixup
    }
}

/// Reads git-config text: `(section, key, value)` for every `key = value`, the section written
/// `name` or `name subsection` (quotes and escapes removed), keys lower-cased.
enum MetaText {
    static func entries(_ bytes: [UInt8]) -> [(String, String, String)] {
        var found: [(String, String, String)] = []
        var section = ""
        for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("["), line.hasSuffix("]") {
                let inner = line.dropFirst().dropLast()
                let parts = inner.split(separator: " ", maxSplits: 1)
                section = parts[0].lowercased() + (parts.count > 1 ? " " + unquoted(String(parts[1])) : "")
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            found.append(
                (
                    section, parts[0].trimmingCharacters(in: .whitespaces).lowercased(),
                    unquoted(parts[1].trimmingCharacters(in: .whitespaces))
                ))
        }
        return found
    }

    /// `text` without its surrounding quotes and with `\\`, `\"`, `\n`, `\t` unescaped.
    static func unquoted(_ text: String) -> String {
        var value = text
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast())
        }
        guard value.contains("\\") else { return value }
        var result = ""
        var escaping = false
        for character in value {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
