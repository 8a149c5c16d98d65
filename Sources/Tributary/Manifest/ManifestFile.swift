import Foundation
import Git

extension Manifest {
    /// Reads and checks the manifest at `path`. Syntax errors (from libgit2's git-config parser)
    /// and every semantic error name the file and line: unknown sections or keys, a missing
    /// integration branch, a tree without url or branch, an unsafe URL or branch, a tree name
    /// that cannot be part of a reference name, a duplicate tree.
    public static func load(from path: String) throws(TributaryError) -> Manifest {
        try load(from: path, requiringBranch: true)
    }

    /// Reads and checks a manifest that may have no `[integration]` section and trees without
    /// a branch or URL: a repository that keeps only its policy and its trees' owned sections in
    /// `.tributary`, for `trib check` in CI. Its integration branch is then empty.
    public static func loadPolicies(from path: String) throws(TributaryError) -> Manifest {
        try load(from: path, requiringBranch: false)
    }

    private static func load(from path: String, requiringBranch: Bool) throws(TributaryError) -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badInput("no manifest at \(path) (create one with `trib init`)")
        }
        let entries: [ConfigEntry]
        do {
            entries = try ConfigFile(path: path).entries()
        } catch {
            throw .badInput("\(path): \(error.message)")
        }
        var reader = ManifestReader(path: path, text: String(decoding: data, as: UTF8.self))
        for entry in entries { try reader.read(entry) }
        return try reader.manifest(requiringBranch: requiringBranch)
    }

    /// Creates a manifest at `path` with only its `[integration]` section. Refuses to overwrite.
    public static func create(at path: String, integration: Integration) throws(TributaryError) {
        if FileManager.default.fileExists(atPath: path) { throw .badInput("\(path) exists already") }
        if let problem = TreeSource.problem(withBranch: integration.branch) { throw .badInput(problem) }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .environment("cannot create \(directory): \(error.localizedDescription)")
            }
        }
        var text = "# Tributary manifest (git-config syntax); see Docs/manifest.md\n[integration]\n"
        text += "\tbranch = \(ConfigText.value(integration.branch))\n"
        if let base = integration.base { text += "\tbase = \(ConfigText.value(base))\n" }
        text += "\tmaintainers = \(ConfigText.value(integration.maintainersPath))\n"
        try write(text, to: path)
    }

    /// Appends `[tree "NAME"]` sections for `trees` to the manifest file, after checking them.
    /// Refuses names that exist already.
    public mutating func add(_ newTrees: [Tree]) throws(TributaryError) {
        var seen = Set(trees.map(\.name))
        for tree in newTrees {
            if let problem = TreeSource.problem(name: tree.name, url: tree.url, branch: tree.branch) {
                throw .badInput(problem)
            }
            guard seen.insert(tree.name).inserted else {
                throw .badInput("tree '\(tree.name)' exists already in \(path)")
            }
            if let subtree = tree.method.subtree, PullMethod.subtreeDirectory(subtree) == nil {
                throw .badInput("tree '\(tree.name)': subtree must be a directory path, not '\(subtree)'")
            }
        }
        var text = Self.read(path)
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        for tree in newTrees {
            text += "[tree \(ConfigText.subsection(tree.name))]\n"
            text += "\turl = \(ConfigText.value(tree.url))\n"
            text += "\tbranch = \(ConfigText.value(tree.branch))\n"
            if let order = tree.order { text += "\torder = \(order)\n" }
            for owned in tree.owns { text += "\towns = \(ConfigText.value(owned))\n" }
            if tree.method.mode != .merge { text += "\tpull = \(tree.method.mode.rawValue)\n" }
            if let subtree = tree.method.subtree { text += "\tsubtree = \(ConfigText.value(subtree))\n" }
            for override in tree.policyOverrides {
                text += "\t\(override.key) = \(ConfigText.value(override.value))\n"
            }
        }
        try Self.write(text, to: path)
        self = try Self.load(from: path)
    }

    /// Sets the URL and branch of the existing tree `name`, in place.
    public mutating func update(_ name: String, url: String, branch: String) throws(TributaryError) {
        _ = try tree(named: name)
        if let problem = TreeSource.problem(withURL: url) ?? TreeSource.problem(withBranch: branch) {
            throw .badInput(problem)
        }
        do {
            let config = try ConfigFile(path: path)
            try config.set("tree.\(name).url", to: url)
            try config.set("tree.\(name).branch", to: branch)
        } catch {
            throw .badInput("\(path): \(error.message)")
        }
        self = try Self.load(from: path)
    }

    /// Removes the `[tree "NAME"]` section (every one of that name) from the manifest file.
    public mutating func remove(_ name: String) throws(TributaryError) {
        _ = try tree(named: name)
        let text = Self.read(path)
        var kept: [Substring] = []
        var skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let header = ConfigLines.header(of: line) {
                skipping = header.section == "tree" && header.subsection == name
            }
            if !skipping { kept.append(line) }
        }
        var result = kept.joined(separator: "\n")
        // The last section's removal takes the file's final newline with it: put it back.
        if text.hasSuffix("\n"), !result.hasSuffix("\n"), !result.isEmpty { result += "\n" }
        try Self.write(result, to: path)
        self = try Self.load(from: path)
    }

    private static func read(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Writes through a temporary file and a rename, so that a reader never sees half a file.
    private static func write(_ text: String, to path: String) throws(TributaryError) {
        let temporary = path + ".lock"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw .environment("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .environment("cannot replace \(path)")
        }
    }
}

/// The entries of a manifest, read one after another into its parts.
private struct ManifestReader {
    let path: String
    var lines: ConfigLines
    var branch: String?
    var base: String?
    var maintainersPath = "MAINTAINERS"
    var history: Manifest.Integration.History?
    var fixupPlacement = Manifest.Integration.FixupPlacement.merge
    var policy = TagPolicy()
    var policyAckTrailers: [String] = []
    var policyEntries: [(String, String, String)] = []
    var ownershipDialect: OwnershipDialect?
    var places: [Manifest.Place] = []
    var verifyCommands: [VerificationCommand] = []
    var notices = NoticeSettings()
    var verifyLines: [Int] = []
    var trees: [Manifest.Tree] = []
    var treeIndex: [String: Int] = [:]

    init(path: String, text: String) {
        self.path = path
        lines = ConfigLines(text: text)
    }

    mutating func read(_ entry: ConfigEntry) throws(TributaryError) {
        let line = lines.next(for: entry.name)
        let here = "\(path):\(line)"
        let (section, subsection, key) = ConfigLines.split(entry.name)
        switch (section, subsection) {
        case ("integration", nil): try readIntegration(key, entry.value, here)
        case ("tree", let name?): try readTree(name, key, entry.value, here, line: line)
        case ("policy", nil):
            if key == "acktrailer" {
                policyAckTrailers.append(entry.value)
            } else if key == "preset" {
                // A preset is the starting point wherever it is written: the keys read before it
                // are applied again on top.
                try policy.applyPreset(entry.value, source: "\(here): policy.")
                for (key, value, source) in policyEntries { try policy.apply(key: key, value: value, source: source) }
            } else {
                policyEntries.append((key, entry.value, "\(here): policy."))
                try policy.apply(key: key, value: entry.value, source: "\(here): policy.")
            }
        case ("ownership", nil):
            guard key == "dialect" else {
                throw .badInput(
                    "\(here): unknown key ownership.\(key)\(Spelling.suggestion(for: key, among: ["dialect"]))"
                        + " (keys: dialect)")
            }
            let names = OwnershipDialect.allCases.map(\.rawValue)
            guard let dialect = OwnershipDialect(rawValue: entry.value) else {
                throw .badInput(
                    "\(here): ownership.dialect '\(entry.value)' is not a dialect"
                        + "\(Spelling.suggestion(for: entry.value, among: names)) (dialects: \(names.joined(separator: ", ")))"
                )
            }
            ownershipDialect = dialect
        case ("place", let name?):
            guard key == "ref" else {
                throw .badInput("\(here): place \"\(name)\" takes only ref = a reference or revision")
            }
            guard !entry.value.isEmpty, !entry.value.hasPrefix("-") else {
                throw .badInput("\(here): place \"\(name)\": ref '\(entry.value)' is not a reference")
            }
            if let known = places.firstIndex(where: { $0.name == name }) {
                places[known].ref = entry.value
            } else {
                places.append(Manifest.Place(name: name, ref: entry.value, line: line))
            }
        case ("notices", nil):
            try notices.apply(key: key, value: entry.value, here: here)
        case ("verify", let name):
            let name = name ?? VerificationCommand.defaultName
            // The name goes into log file names: letters, digits, `.`, `_` and `-` only.
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }),
                !name.hasPrefix(".")
            else {
                throw .badInput(
                    "\(here): verify \"\(TreeSource.escaped(name))\": a name of letters, digits, '.', '_' and '-'")
            }
            if let known = verifyCommands.firstIndex(where: { $0.name == name }) {
                try verifyCommands[known].apply(key: key, value: entry.value, here: here)
            } else {
                var command = VerificationCommand(name: name, command: "")
                try command.apply(key: key, value: entry.value, here: here)
                verifyCommands.append(command)
                verifyLines.append(line)
            }
        case ("rule", let rule?):
            guard key == "severity" else {
                throw .badInput("\(here): rule \"\(rule)\" takes only severity = error, warning or off")
            }
            try policy.apply(key: rule, value: entry.value, source: "\(here): rule ")
            policyEntries.append((rule, entry.value, "\(here): rule "))
        default:
            let sections = ["integration", "tree", "place", "policy", "rule", "ownership", "verify", "notices"]
            throw .badInput(
                "\(here): unknown section for \(entry.name)\(Spelling.suggestion(for: section, among: sections))"
                    + " (sections: \(sections.joined(separator: ", ")))")
        }
    }

    private mutating func readIntegration(_ key: String, _ value: String, _ here: String) throws(TributaryError) {
        switch key {
        case "branch":
            if let problem = TreeSource.problem(withBranch: value) {
                throw .badInput("\(here): integration.branch: \(problem)")
            }
            branch = value
        case "base":
            if value.hasPrefix("-") || value.isEmpty {
                throw .badInput("\(here): integration.base '\(TreeSource.escaped(value))' is not a revision")
            }
            base = value
        case "maintainers": maintainersPath = value
        case "history":
            guard let parsed = Manifest.Integration.History(value) else {
                throw .badInput(
                    "\(here): integration.history '\(TreeSource.escaped(value))' is not a revision, a date"
                        + " (YYYY-MM-DD), a number of commits or none")
            }
            history = parsed
        case "fixups":
            guard let placement = Manifest.Integration.FixupPlacement(rawValue: value) else {
                throw .badInput(
                    "\(here): integration.fixups '\(TreeSource.escaped(value))' is not merge or commit")
            }
            fixupPlacement = placement
        default:
            let keys = ["branch", "base", "maintainers", "history", "fixups"]
            throw .badInput(
                "\(here): unknown key integration.\(key)\(Spelling.suggestion(for: key, among: keys))"
                    + " (keys: \(keys.joined(separator: ", ")))")
        }
    }

    private mutating func readTree(_ name: String, _ key: String, _ value: String, _ here: String, line: Int)
        throws(TributaryError)
    {
        if treeIndex[name] == nil {
            if let problem = TreeSource.problem(withName: name) { throw .badInput("\(here): \(problem)") }
            treeIndex[name] = trees.count
            trees.append(
                Manifest.Tree(
                    name: name, url: "", branch: "", position: trees.count + 1,
                    line: lines.header(section: "tree", subsection: name) ?? line))
        }
        let index = treeIndex[name]!
        switch key {
        case "url":
            if let problem = TreeSource.problem(withURL: value) {
                throw .badInput("\(here): tree \"\(name)\": \(problem)")
            }
            trees[index].url = value
        case "branch":
            if let problem = TreeSource.problem(withBranch: value) {
                throw .badInput("\(here): tree \"\(name)\": \(problem)")
            }
            trees[index].branch = value
        case "order":
            guard let order = Int(value) else {
                throw .badInput("\(here): tree \"\(name)\": order must be a whole number, not '\(value)'")
            }
            trees[index].order = order
        case "owns": trees[index].owns.append(value)
        case "contact":
            guard NoticeSettings.isMailbox(value) else {
                throw .badInput(
                    "\(here): tree \"\(name)\": contact '\(TreeSource.escaped(value))' is not an address (NAME <ADDRESS>)"
                )
            }
            trees[index].contacts.append(value)
        case "pull":
            guard let mode = PullMethod.Mode(rawValue: value) else {
                let modes = PullMethod.Mode.allCases.map(\.rawValue)
                throw .badInput(
                    "\(here): tree \"\(name)\": pull must be \(modes.joined(separator: ", ")), not '\(value)'"
                        + Spelling.suggestion(for: value, among: modes))
            }
            trees[index].method.mode = mode
        case "subtree":
            guard let path = PullMethod.subtreeDirectory(value) else {
                throw .badInput("\(here): tree \"\(name)\": subtree must be a directory path, not '\(value)'")
            }
            trees[index].method.subtree = path
        default:
            // Checked now, so that a typo is reported where it is.
            let treeKeys = ["url", "branch", "order", "owns", "pull", "subtree", "contact"]
            if !TagPolicy.keys.contains(where: { $0.lowercased() == key.lowercased() }) {
                throw .badInput(
                    "\(here): tree \"\(name)\": unknown key \(key)"
                        + Spelling.suggestion(for: key, among: treeKeys + TagPolicy.keys)
                        + " (tree keys: \(treeKeys.joined(separator: ", ")), and the policy keys and rules)")
            }
            var probe = TagPolicy()
            try probe.apply(key: key, value: value, source: "\(here): tree \"\(name)\": ")
            trees[index].policyOverrides.append(Manifest.Tree.Override(key: key, value: value))
        }
    }

    /// The manifest read, its trees in merge order (the explicit order, else the position in
    /// the file; ties in file order).
    func manifest(requiringBranch: Bool) throws(TributaryError) -> Manifest {
        var policy = policy
        if !policyAckTrailers.isEmpty { policy.ackTrailers = policyAckTrailers }
        guard let branch = branch ?? (requiringBranch ? nil : "") else {
            throw .badInput("\(path): [integration] has no branch")
        }
        for tree in trees where requiringBranch {
            if tree.url.isEmpty { throw .badInput("\(path):\(tree.line): tree \"\(tree.name)\" has no url") }
            if tree.branch.isEmpty { throw .badInput("\(path):\(tree.line): tree \"\(tree.name)\" has no branch") }
        }
        let ordered = trees.sorted {
            ($0.order ?? $0.position, $0.position) < ($1.order ?? $1.position, $1.position)
        }
        var integration = Manifest.Integration(
            branch: branch, base: base, maintainersPath: maintainersPath, history: history)
        integration.fixupPlacement = fixupPlacement
        var manifest = Manifest(path: path, integration: integration, trees: ordered, policy: policy)
        manifest.ownershipDialect = ownershipDialect
        manifest.places = places
        for (command, line) in zip(verifyCommands, verifyLines) where command.command.isEmpty {
            throw .badInput("\(path):\(line): verify \"\(command.name)\" has no command")
        }
        manifest.verifyCommands = verifyCommands
        manifest.notices = notices
        return manifest
    }
}

/// Writes values and subsection names in git-config syntax.
enum ConfigText {
    /// A value, quoted when it has leading or trailing space or a comment character, with `\`,
    /// `"`, newline and tab escaped.
    static func value(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default: escaped.append(character)
            }
        }
        let needsQuotes =
            text.first?.isWhitespace == true || text.last?.isWhitespace == true || text.contains(";")
            || text.contains("#")
        return needsQuotes ? "\"\(escaped)\"" : escaped
    }

    /// A subsection name in quotes, with `\` and `"` escaped.
    static func subsection(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Where each entry of a git-config file is, for error messages: libgit2 gives entries in file
/// order but not their lines, so the text is scanned for section headers and keys.
struct ConfigLines {
    private var positions: [String: [Int]] = [:]
    private var used: [String: Int] = [:]
    private var headers: [String: Int] = [:]

    init(text: String) {
        var section = ""
        var subsection: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.drop { $0 == " " || $0 == "\t" }
            if let header = Self.header(of: line) {
                section = header.section
                subsection = header.subsection
                let key = subsection.map { "\(section).\($0)" } ?? section
                if headers[key] == nil { headers[key] = index + 1 }
                guard let close = line.firstIndex(of: "]") else { continue }
                line = line[line.index(after: close)...].drop { $0 == " " || $0 == "\t" }
            }
            guard let first = line.first, first.isLetter else { continue }
            let key = line.prefix { $0.isLetter || $0.isNumber || $0 == "-" }.lowercased()
            let name = [section, subsection, key].compactMap { $0 }.joined(separator: ".")
            positions[name, default: []].append(index + 1)
        }
    }

    /// The line of the next not yet reported entry called `name` (0 when unknown).
    mutating func next(for name: String) -> Int {
        let (section, subsection, key) = Self.split(name)
        let normalized = [section, subsection, key].compactMap { $0 }.joined(separator: ".")
        let count = used[normalized, default: 0]
        used[normalized] = count + 1
        let lines = positions[normalized] ?? []
        return count < lines.count ? lines[count] : 0
    }

    /// The line of the first `[section "subsection"]` header.
    func header(section: String, subsection: String?) -> Int? {
        headers[subsection.map { "\(section).\($0)" } ?? section]
    }

    /// `section.subsection.key` split in three (the subsection may itself contain dots).
    static func split(_ name: String) -> (section: String, subsection: String?, key: String) {
        guard let firstDot = name.firstIndex(of: "."), let lastDot = name.lastIndex(of: ".") else {
            return (name, nil, "")
        }
        let section = String(name[..<firstDot])
        let key = String(name[name.index(after: lastDot)...])
        if firstDot == lastDot { return (section, nil, key) }
        return (section, String(name[name.index(after: firstDot)..<lastDot]), key)
    }

    /// The section and subsection of a `[section "subsection"]` or `[section]` header line.
    static func header(of line: Substring) -> (section: String, subsection: String?)? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == "[", let close = trimmed.lastIndex(of: "]") else { return nil }
        let inside = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
        guard let quote = inside.firstIndex(of: "\"") else {
            let parts = inside.split(separator: ".", maxSplits: 1)
            let section = parts.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            return (section, parts.count > 1 ? String(parts[1]) : nil)
        }
        let section = inside[..<quote].trimmingCharacters(in: .whitespaces).lowercased()
        var subsection = ""
        var escaping = false
        for character in inside[inside.index(after: quote)...] {
            if escaping {
                subsection.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                break
            } else {
                subsection.append(character)
            }
        }
        return (section, subsection)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
