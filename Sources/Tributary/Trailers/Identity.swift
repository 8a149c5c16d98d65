public import Git

/// A person as trailers name them: `Name <address>`.
public struct Identity: Hashable, Sendable, Codable, CustomStringConvertible {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    public init(_ signature: Signature) {
        self.init(name: signature.name, email: signature.email)
    }

    /// Parses a trailer value: `Name <address>`, `"Quoted, Name" <address>`, `<address>` or a
    /// bare `address`, optionally followed by a comment (`# 6.1+`, `(maintainer)`, `[fixed]`).
    /// Nil when there is no well-formed address.
    public static func parse(_ text: String) -> Identity? {
        var value = Substring(text).trimmingCharacters(in: \.isWhitespace)
        if let open = value.firstIndex(of: "<") {
            guard let close = value[open...].firstIndex(of: ">") else { return nil }
            let address = String(value[value.index(after: open)..<close]).trimmingCharacters(in: \.isWhitespace)
            var name = String(value[..<open]).trimmingCharacters(in: \.isWhitespace)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            guard isWellFormedAddress(String(address)) else { return nil }
            return Identity(name: name, email: String(address))
        }
        if let hash = value.firstIndex(of: "#") { value = value[..<hash].trimmingCharacters(in: \.isWhitespace) }
        let word = String(value.prefix { !$0.isWhitespace })
        guard isWellFormedAddress(word) else { return nil }
        return Identity(name: "", email: word)
    }

    /// `local@domain` with a non-empty local part, a dot in the domain, and no spaces.
    public static func isWellFormedAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else {
            return false
        }
        return !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
    }

    /// `Name <address>`, or the address when there is no name.
    public var description: String { name.isEmpty ? email : "\(name) <\(email)>" }
}

/// How closely two identities match.
public enum IdentityMatch: String, Sendable, Codable, Comparable {
    /// Different people.
    case different
    /// Only the names are equal: reported as a warning, never as satisfying a rule.
    case nameOnly
    /// The same person.
    case same

    public static func < (lhs: IdentityMatch, rhs: IdentityMatch) -> Bool {
        let order: [IdentityMatch] = [.different, .nameOnly, .same]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// Decides whether two identities are the same person, as b4 does: after the project's
/// `.mailmap` (git's rules), the addresses are equal ignoring case and any `+extension` of the
/// local part, or their domains differ only by one leading label (`a@linux.intel.com` is
/// `a@intel.com`). Equal names with different addresses are a weaker, name-only match.
public struct IdentityMatcher: Sendable {
    public var mailmap: Mailmap

    public init(mailmap: Mailmap = Mailmap()) { self.mailmap = mailmap }

    public func match(_ one: Identity, _ two: Identity) -> IdentityMatch {
        let first = canonical(one)
        let second = canonical(two)
        if Self.sameAddress(first.email, second.email) { return .same }
        if !first.name.isEmpty, Self.normalizedName(first.name) == Self.normalizedName(second.name) { return .nameOnly }
        return .different
    }

    /// The identity after the mailmap.
    public func canonical(_ identity: Identity) -> Identity {
        let mapped = mailmap.resolve(name: identity.name, email: identity.email)
        return Identity(name: mapped.name, email: mapped.email)
    }

    /// Address equality: case, `+extension`, one extra leading domain label.
    public static func sameAddress(_ one: String, _ two: String) -> Bool {
        let (localOne, domainOne) = split(one)
        let (localTwo, domainTwo) = split(two)
        guard !localOne.isEmpty, localOne == localTwo else { return false }
        if domainOne == domainTwo { return true }
        let labelsOne = domainOne.split(separator: ".")
        let labelsTwo = domainTwo.split(separator: ".")
        if labelsOne.count == labelsTwo.count + 1, labelsOne.dropFirst().elementsEqual(labelsTwo), labelsTwo.count >= 2
        {
            return true
        }
        if labelsTwo.count == labelsOne.count + 1, labelsTwo.dropFirst().elementsEqual(labelsOne), labelsOne.count >= 2
        {
            return true
        }
        return false
    }

    /// The lower-cased local part without `+extension`, and the lower-cased domain.
    static func split(_ address: String) -> (local: String, domain: String) {
        let lowered = address.lowercased()
        guard let at = lowered.lastIndex(of: "@") else { return (lowered, "") }
        var local = String(lowered[..<at])
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        return (local, String(lowered[lowered.index(after: at)...]))
    }

    static func normalizedName(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "\"" }).joined(separator: " ")
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

extension String {
    func trimmingCharacters(in predicate: (Character) -> Bool) -> String {
        String(Substring(self).trimmingCharacters(in: predicate))
    }
}
