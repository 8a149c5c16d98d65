import Foundation

/// A `.mailmap`: maps the names and addresses people used in commits to the ones they use now,
/// with git's rules (`mailmap.c`), as a `Sendable` value.
///
/// libgit2 1.5's `git_mailmap` compares addresses case-sensitively, while git compares them
/// ignoring case; `.mailmap` files rely on git's behaviour (the kernel's has entries whose
/// case differs from the commits'), so the parsing and lookup are done here.
///
/// Each line is `Proper Name <proper@address> Commit Name <commit@address>`, where the proper
/// name, the proper address (with a commit address) and the commit name may be left out.
/// Lines starting with `#` and lines without an address are ignored.
public struct Mailmap: Sendable {
    /// The replacement for one (address, name) or for one address with any name.
    private struct Replacement: Sendable {
        var name: String?
        var email: String?
    }

    /// The entries of one commit address: the replacement for any name, and per name.
    private struct Entry: Sendable {
        var any = Replacement()
        var byName: [String: Replacement] = [:]
    }

    /// Entries keyed by lower-cased commit address.
    private var entries: [String: Entry] = [:]

    /// The number of commit addresses with an entry.
    public var count: Int { entries.count }

    /// Parses mailmap text.
    public init(contents: String) {
        for line in contents.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            guard !line.hasPrefix("#") else { continue }
            guard let (properName, properEmail, rest) = Self.nameAndEmail(line, allowEmptyEmail: false) else {
                continue
            }
            let (commitName, commitEmail, _) =
                rest.flatMap { Self.nameAndEmail($0, allowEmptyEmail: true) } ?? (nil, nil, nil)
            add(properName: properName, properEmail: properEmail, commitName: commitName, commitEmail: commitEmail)
        }
    }

    /// An empty mailmap, which maps nobody.
    public init() {}

    private mutating func add(properName: String?, properEmail: String?, commitName: String?, commitEmail: String?) {
        var newEmail = properEmail
        let key: String
        if let commitEmail {
            key = commitEmail.lowercased()
        } else {
            key = (properEmail ?? "").lowercased()
            newEmail = nil
        }
        var entry = entries[key] ?? Entry()
        if let commitName {
            entry.byName[commitName.lowercased()] = Replacement(name: properName, email: newEmail)
        } else {
            if let properName { entry.any.name = properName }
            if let newEmail { entry.any.email = newEmail }
        }
        entries[key] = entry
    }

    /// Splits `Name <address> rest` as git's `parse_name_and_email` does: the name trimmed (nil
    /// when empty), the address, and what follows the `>` (nil when nothing does).
    private static func nameAndEmail(
        _ text: Substring,
        allowEmptyEmail: Bool
    ) -> (name: String?, email: String, rest: Substring?)? {
        guard let left = text.firstIndex(of: "<"),
            let right = text[text.index(after: left)...].firstIndex(of: ">")
        else { return nil }
        let email = text[text.index(after: left)..<right]
        if email.isEmpty && !allowEmptyEmail { return nil }
        let name = text[..<left].trimmingCharacters(in: \.isWhitespace)
        let rest = text[text.index(after: right)...]
        return (name.isEmpty ? nil : String(name), String(email), rest.isEmpty ? nil : rest)
    }

    /// The canonical name and address for `name <email>`; unchanged when no entry matches.
    /// Addresses and names match ignoring case, as in git.
    public func resolve(name: String, email: String) -> (name: String, email: String) {
        guard let entry = entries[email.lowercased()] else { return (name, email) }
        let replacement = entry.byName[name.lowercased()] ?? entry.any
        return (replacement.name ?? name, replacement.email ?? email)
    }

    /// The canonical form of a signature's person.
    public func resolve(_ signature: Signature) -> Signature {
        var mapped = signature
        (mapped.name, mapped.email) = resolve(name: signature.name, email: signature.email)
        return mapped
    }
}

extension Repository {
    /// The mailmap of the repository: `.mailmap` at the root of HEAD's tree (git reads it from
    /// the work tree in a non-bare repository, which normally holds the same file); an empty
    /// mailmap when there is none.
    public func mailmap() throws(GitError) -> Mailmap {
        if let workTree, let text = try? String(contentsOfFile: workTree + ".mailmap", encoding: .utf8) {
            return Mailmap(contents: text)
        }
        guard let head = try head(), let bytes = try fileContents(at: ".mailmap", in: commit(head).tree) else {
            return Mailmap()
        }
        return Mailmap(contents: String(decoding: bytes, as: UTF8.self))
    }
}

extension Substring {
    func trimmingCharacters(in predicate: (Character) -> Bool) -> Substring {
        var result = self
        while let first = result.first, predicate(first) { result = result.dropFirst() }
        while let last = result.last, predicate(last) { result = result.dropLast() }
        return result
    }
}
