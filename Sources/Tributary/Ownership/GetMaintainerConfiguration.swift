import Foundation

/// A project's `.get_maintainer.conf`: the options get_maintainer.pl puts before its command line,
/// with those that decide ownership taken and the rest named.
///
/// The file is a list of words (options and their values) separated by spaces and newlines; a
/// word starting with `#` ends its line. Options are Getopt::Long's: `--name`, `-name`,
/// `--name=value` or `--name value`, and `--noname`/`--no-name` for switches.
public struct GetMaintainerConfiguration: Hashable, Sendable {
    /// `--find-maintainer-files`: read every file named MAINTAINERS below the maintainer path.
    public var findsMaintainerFiles = false
    /// `--maintainer-path`/`--mpath`: a MAINTAINERS file or a directory of them, relative to the
    /// top of the tree.
    public var maintainerPath: String?
    /// `--keywords`/`-k`: whether K: lines match patches.
    public var matchesKeywords = true
    /// `--fixes`: whether `Fixes:` lines add the people who signed the commit they name.
    public var readsFixes = true
    /// `--file-emails`/`--fe`: whether every file's own text is read for addresses (YAML files
    /// always are).
    public var readsFileEmails = false
    /// `--remove-duplicates`; nil leaves the dialect's default.
    public var removesDuplicates: Bool?
    /// `--mailmap`: whether names and addresses go through the tree's `.mailmap`.
    public var usesMailmap = true
    /// `-m`, `-r`, `-l`, `-s`, `--moderated`: which kinds of recipient are listed.
    public var listsMaintainers = true
    public var listsReviewers = true
    public var listsLists = true
    public var listsSubscriberLists = false
    public var listsModeratedLists = true
    /// `--git-chief-penguins`: keep the chief penguins in the answer.
    public var keepsChiefPenguins = false
    /// `--rolestats`: `blamed_fixes:1/1=100%` rather than `blamed_fixes`.
    public var printsRoleStatistics = true
    /// `--git-min-signatures`, `--git-max-maintainers`, `--git-min-percent`: the limits on people
    /// taken from git, which also bound the signers of `Fixes:` commits.
    public var minimumSignatures = 1
    public var maximumMaintainers = 5
    public var minimumPercent = 5
    /// Options that make the script guess from git history (`--git`, `--git-blame`, …), which
    /// Tributary does not do, and `--pattern-depth`, which it does not build: taken, and named here
    /// so that they are reported once.
    public private(set) var ignored: [String] = []
    /// Words that are not options get_maintainer.pl knows (the script would stop on them).
    public private(set) var unknown: [String] = []
    /// Where the options were read from; nil for the defaults.
    public var source: String?
    /// `.get_maintainer.ignore`: people never added from git, and so never as signers of a
    /// `Fixes:` commit, as `Name <address>` lines compared whole.
    public var ignoredPeople: [String] = []

    public init() {}

    /// Reads the words of `text` (the file at `source`).
    public init(contents text: String, source: String? = nil) {
        self.source = source
        var words: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
                if word.hasPrefix("#") { break }
                words.append(String(word))
            }
        }
        var index = 0
        while index < words.count {
            index = take(words, at: index)
        }
    }

    /// Options that take a value, by the names get_maintainer.pl accepts.
    private static let valued: Set<String> = [
        "git-min-signatures", "git-max-maintainers", "git-min-percent", "git-since", "hg-since", "separator",
        "letters", "pattern-depth", "mpath", "maintainer-path",
    ]

    /// Switches that only shape the printed output, or that Tributary's answer always has
    /// (`--tree`: the script refuses a tree that does not look like its project's; Tributary reads
    /// the repository it is given either way).
    private static let presentation: Set<String> = [
        "tree", "email", "n", "multiline", "roles", "subsystem", "status", "scm", "web", "sections", "f", "file", "v",
        "version", "h", "help", "usage", "separator", "letters",
    ]

    /// Switches and options that guess from git history, or read the files' own text.
    private static let guessing: Set<String> = [
        "git", "git-all-signature-types", "git-blame", "git-blame-signatures", "git-fallback", "git-since",
        "hg-since", "i", "interactive", "self-test",
    ]

    /// Takes the option at `index` (and its value) and returns the index after it.
    private mutating func take(_ words: [String], at index: Int) -> Int {
        let word = words[index]
        guard word.hasPrefix("-"), word.count > 1 else {
            unknown.append(word)
            return index + 1
        }
        var name = String(word.drop { $0 == "-" })
        var value: String?
        if let equals = name.firstIndex(of: "=") {
            value = String(name[name.index(after: equals)...])
            name = String(name[..<equals])
        }
        var next = index + 1
        if Self.valued.contains(name), value == nil, next < words.count {
            value = words[next]
            next += 1
        }
        var enabled = true
        if !Self.valued.contains(name), !Self.knows(name) {
            for prefix in ["no-", "no"] where name.hasPrefix(prefix) && Self.knows(String(name.dropFirst(prefix.count)))
            {
                name = String(name.dropFirst(prefix.count))
                enabled = false
                break
            }
        }
        // As written: the option and, when it was a word of its own, its value.
        let written = next > index + 1 ? word + " " + words[index + 1] : word
        apply(name, enabled: enabled, value: value, written: written)
        return next
    }

    private static func knows(_ name: String) -> Bool {
        switch name {
        case "find-maintainer-files", "k", "keywords", "fixes", "fe", "file-emails", "remove-duplicates",
            "mailmap", "m", "r",
            "l", "s", "moderated", "git-chief-penguins", "rolestats":
            true
        default: presentation.contains(name) || guessing.contains(name) || valued.contains(name)
        }
    }

    private mutating func apply(_ name: String, enabled: Bool, value: String?, written: String) {
        switch name {
        case "find-maintainer-files": findsMaintainerFiles = enabled
        case "mpath", "maintainer-path": maintainerPath = value
        case "k", "keywords": matchesKeywords = enabled
        case "fixes": readsFixes = enabled
        case "fe", "file-emails": readsFileEmails = enabled
        case "remove-duplicates": removesDuplicates = enabled
        case "mailmap": usesMailmap = enabled
        case "m": listsMaintainers = enabled
        case "r": listsReviewers = enabled
        case "l": listsLists = enabled
        case "s": listsSubscriberLists = enabled
        case "moderated": listsModeratedLists = enabled
        case "git-chief-penguins": keepsChiefPenguins = enabled
        case "rolestats": printsRoleStatistics = enabled
        // Not built: which patterns count would depend on it.
        case "pattern-depth": ignored.append(written)
        case "git-min-signatures": minimumSignatures = value.flatMap(Int.init) ?? minimumSignatures
        case "git-max-maintainers": maximumMaintainers = value.flatMap(Int.init) ?? maximumMaintainers
        case "git-min-percent": minimumPercent = value.flatMap(Int.init) ?? minimumPercent
        default:
            if Self.guessing.contains(name) {
                // Turning a guess off is what Tributary does anyway.
                if enabled { ignored.append(written) }
            } else if !Self.presentation.contains(name) {
                unknown.append(written)
            }
        }
    }

    /// Reads a `.get_maintainer.ignore`: one person a line, `#` starting a comment.
    public static func ignoredPeople(in text: String) -> [String] {
        // As the script does: trimmed first, then the comment cut (so `a@b # x` keeps a space).
        text.split(separator: "\n").compactMap { line in
            var entry = Substring(MaintainerAddress.trimmed(String(line)))
            if let hash = entry.firstIndex(of: "#") { entry = entry[..<hash] }
            return entry.contains("@") ? String(entry) : nil
        }
    }

    /// `$HOME`, where get_maintainer.pl looks second.
    public static var home: String? { ProcessInfo.processInfo.environment["HOME"] }

    /// get_maintainer.pl's `which_conf`: the first `name` in the top of the tree, then `$HOME`,
    /// then the tree's `.scripts`. `topOfTree` reads a file at the top of the tree (the work tree,
    /// or HEAD's tree in a bare repository) and returns nil when there is none.
    public static func find(
        _ name: String = ".get_maintainer.conf", home: String? = GetMaintainerConfiguration.home,
        topOfTree: (String) -> String?
    ) -> (text: String, source: String)? {
        if let text = topOfTree(name) { return (text, name) }
        if let home, !home.isEmpty, let data = FileManager.default.contents(atPath: home + "/" + name) {
            return (String(decoding: data, as: UTF8.self), "$HOME/" + name)
        }
        if let text = topOfTree(".scripts/" + name) { return (text, ".scripts/" + name) }
        return nil
    }
}
