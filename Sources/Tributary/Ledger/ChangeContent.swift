import Foundation
public import Git

/// What a change is made of, to tell whether a commit carries it when it is not the same patch:
/// its subject (normalised), its author, and its changed lines per file, compared as sets — so
/// that a copy that dropped a file, applied with other context or with a resolved conflict, or
/// changed a line on the way, still shares most of them.
public struct ChangeContent: Sendable, Hashable {
    /// The subject, lower-cased, spaces folded, no final period, without `[PATCH …]` or `Re:`;
    /// subsystem prefixes (`net: `) are kept.
    public var subject: String
    public var author: Identity
    /// The files it changes (both sides of a rename).
    public var files: Set<String>
    /// By file: its changed lines, each hashed from its sign and its text without whitespace
    /// (`ChangedLineHasher`; lines shorter than four characters left out).
    public var lines: [String: Set<UInt32>]

    public init(subject: String, author: Identity, files: Set<String>, lines: [String: Set<UInt32>]) {
        self.subject = Self.normalized(subject)
        self.author = author
        self.files = files
        self.lines = lines
    }

    /// The content of a change given as patch text (a mail's body, `git diff` output).
    public init(subject: String, author: Identity, diff: String) {
        let hasher = ChangedLineHasher.hashing(diff)
        self.init(
            subject: subject, author: author, files: hasher.files, lines: hasher.lines.mapValues { Set($0) })
    }

    /// The content of `commit` (its diff against its first parent).
    public init(of commit: Commit, in repository: Repository) throws {
        let diff = try repository.diff(of: commit).patch()
        self.init(subject: commit.summary, author: Identity(commit.author), diff: diff)
    }

    /// `subject` as changes are compared by it: `[PATCH v2 3/7]` and `Re:` removed, lower case,
    /// spaces folded, no final period.
    public static func normalized(_ subject: String) -> String {
        var text = PatchSubject(subject).text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
            .joined(separator: " ")
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// How strongly a candidate commit's content says it carries a change: the share of the
/// change's lines it has (counted in the files both touch, so that a copy that left a file out
/// still scores on the rest), whether the subjects and the authors are the same.
public struct ContentScore: Sendable, Hashable, Codable {
    /// The change's lines in the files both touch.
    public var lines: Int
    /// How many of them the candidate has.
    public var shared: Int
    /// The files of the change the candidate also changes, of all the change's files.
    public var sharedFiles: Int
    public var files: Int
    public var sameSubject: Bool
    public var sameAuthor: Bool

    /// `shared` / `lines` (1 when the change has no line to compare in those files).
    public var lineShare: Double { lines == 0 ? 1 : Double(shared) / Double(lines) }

    /// The score, from 0 to 1: mostly the share of lines, then the subject, then the author.
    public var value: Double {
        guard sharedFiles > 0 else { return 0 }
        return 0.6 * lineShare + (sameSubject ? 0.25 : 0) + (sameAuthor ? 0.15 : 0)
    }

    /// At or above it a candidate counts as carrying the change: for example 70% of its lines
    /// and the same subject, or all of them and the same author, or 92% with neither.
    public static let threshold = 0.55
    /// Two candidates of one place whose scores are this close are both named (candidates),
    /// not one picked.
    public static let closeness = 0.1

    public var isMatch: Bool {
        // Content alone (another subject and author) must name at least three of its lines.
        guard value >= Self.threshold else { return false }
        return sameSubject || sameAuthor || shared >= 3
    }

    public init(_ change: ChangeContent, _ candidate: ChangeContent, identities: IdentityMatcher) {
        let both = change.files.intersection(candidate.files)
        sharedFiles = both.count
        files = change.files.count
        var lines = 0
        var shared = 0
        for file in both {
            guard let own = change.lines[file] else { continue }
            lines += own.count
            if let theirs = candidate.lines[file] { shared += own.intersection(theirs).count }
        }
        self.lines = lines
        self.shared = shared
        sameSubject = !change.subject.isEmpty && change.subject == candidate.subject
        sameAuthor =
            identities.isSamePerson(change.author, candidate.author)
            || (!change.author.name.isEmpty && IdentityMatcher.sameName(change.author.name, candidate.author.name))
    }

    /// What matched, for people: `subject, author, 14 of 15 lines in 2 of 3 files`.
    public var description: String {
        var parts: [String] = []
        if sameSubject { parts.append("subject") }
        if sameAuthor { parts.append("author") }
        parts.append("\(shared) of \(lines) lines in \(sharedFiles) of \(files) files")
        return parts.joined(separator: ", ")
    }
}

/// Backport markers in a commit message — `(cherry picked from commit X)`, `commit X upstream.`,
/// `[ upstream commit X ]`, `Upstream commit X`, `master commit: X` — naming the commit it copies.
public enum BackportMarker {
    /// The hexadecimal ids (7 to 64 digits) the markers of `message` name, in order.
    public static func commits(in message: String) -> [String] {
        // Every marker has the word "commit": most messages have none, and are not read further.
        guard containsCommit(message.utf8) else { return [] }
        var found: [String] = []
        for rawLine in message.split(separator: "\n") where containsCommit(rawLine.utf8) {
            let line = rawLine.trimmingCharacters(in: .whitespaces).lowercased()
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "()[].,:"))
            }
            for (position, word) in words.enumerated() where isHex(word) {
                let before = words[..<position].suffix(4).joined(separator: " ")
                let after = words.dropFirst(position + 1).first ?? ""
                if before.hasSuffix("cherry picked from commit") || before.hasSuffix("upstream commit")
                    || before.hasSuffix("master commit") || (before.hasSuffix("commit") && after == "upstream")
                {
                    found.append(word)
                }
            }
        }
        return found
    }

    /// Whether `text` holds "commit" in any case (a scan of bytes, without Foundation).
    private static func containsCommit<Text: Collection<UInt8>>(_ text: Text) -> Bool {
        let word = Array("commit".utf8)
        var matched = 0
        for byte in text {
            let lower = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            if lower == word[matched] {
                matched += 1
                if matched == word.count { return true }
            } else {
                matched = lower == word[0] ? 1 : 0
            }
        }
        return false
    }

    private static func isHex(_ word: String) -> Bool {
        (7...64).contains(word.utf8.count)
            && word.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
