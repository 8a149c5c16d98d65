import Foundation
public import Git

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
        if !first.name.isEmpty, Self.sameName(first.name, second.name) { return .nameOnly }
        return .different
    }

    /// Whether two identities are the same person (by address, after the mailmap); cheaper than
    /// `match` when a name-only match does not matter.
    public func isSamePerson(_ one: Identity, _ two: Identity) -> Bool {
        Self.sameAddress(canonical(one).email, canonical(two).email)
    }

    /// The identity after the mailmap.
    public func canonical(_ identity: Identity) -> Identity {
        guard mailmap.count > 0 else { return identity }
        let mapped = mailmap.resolve(name: identity.name, email: identity.email)
        return Identity(name: mapped.name, email: mapped.email)
    }

    /// Address equality: case, `+extension`, one extra leading domain label. Compares the UTF-8
    /// bytes in place (this runs for every trailer of every commit).
    public static func sameAddress(_ one: String, _ two: String) -> Bool {
        var one = one
        var two = two
        return one.withUTF8 { first in two.withUTF8 { second in sameAddress(first, second) } }
    }

    static func sameAddress(_ one: UnsafeBufferPointer<UInt8>, _ two: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let atOne = one.lastIndex(of: UInt8(ascii: "@")), let atTwo = two.lastIndex(of: UInt8(ascii: "@")) else {
            return false
        }
        let localOne = UnsafeBufferPointer(rebasing: one[..<(one[..<atOne].firstIndex(of: UInt8(ascii: "+")) ?? atOne)])
        let localTwo = UnsafeBufferPointer(rebasing: two[..<(two[..<atTwo].firstIndex(of: UInt8(ascii: "+")) ?? atTwo)])
        guard !localOne.isEmpty, equalIgnoringCase(localOne, localTwo) else { return false }
        let domainOne = UnsafeBufferPointer(rebasing: one[(atOne + 1)...])
        let domainTwo = UnsafeBufferPointer(rebasing: two[(atTwo + 1)...])
        if equalIgnoringCase(domainOne, domainTwo) { return true }
        return isOneLabelLonger(domainOne, than: domainTwo) || isOneLabelLonger(domainTwo, than: domainOne)
    }

    /// Whether `long` is `label.` + `short`, and `short` still has at least two labels.
    private static func isOneLabelLonger(_ long: UnsafeBufferPointer<UInt8>, than short: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        guard let dot = long.firstIndex(of: UInt8(ascii: ".")), dot > 0, short.contains(UInt8(ascii: ".")) else {
            return false
        }
        return equalIgnoringCase(UnsafeBufferPointer(rebasing: long[(dot + 1)...]), short)
    }

    private static func equalIgnoringCase(_ one: UnsafeBufferPointer<UInt8>, _ two: UnsafeBufferPointer<UInt8>) -> Bool
    {
        guard one.count == two.count else { return false }
        for index in 0..<one.count where lower(one[index]) != lower(two[index]) { return false }
        return true
    }

    private static func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }

    /// Names equal ignoring case, quotes and runs of whitespace.
    static func sameName(_ one: String, _ two: String) -> Bool {
        if one == two { return true }
        // Compare word by word, ignoring ASCII case, quotes and runs of whitespace, without
        // allocating (this runs for every sign-off of every commit).
        var first = NormalizedNameBytes(one.utf8.makeIterator())
        var second = NormalizedNameBytes(two.utf8.makeIterator())
        while true {
            let a = first.next()
            let b = second.next()
            if a != b { return hasNonASCII(one, two) && foldedName(one) == foldedName(two) }
            if a == nil { return true }
        }
    }

    private static func hasNonASCII(_ one: String, _ two: String) -> Bool {
        one.utf8.contains { $0 >= 0x80 } || two.utf8.contains { $0 >= 0x80 }
    }

    /// The name without accents and case, its words joined by single spaces: `Roger Pau Monné`
    /// and `Roger Pau Monne` are one name (people sign with and without their accents).
    static func foldedName(_ name: String) -> String {
        name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .replacingOccurrences(of: "\"", with: "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

}

/// The bytes of a name with quotes dropped, ASCII letters lowered, and whitespace runs between
/// words turned into one space (none at the ends).
private struct NormalizedNameBytes: IteratorProtocol {
    private var base: String.UTF8View.Iterator
    private var pendingSpace = false
    private var started = false
    private var held: UInt8?

    init(_ base: String.UTF8View.Iterator) { self.base = base }

    mutating func next() -> UInt8? {
        if let held {
            self.held = nil
            return held
        }
        while let byte = base.next() {
            if byte == 0x22 { continue }
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                if started { pendingSpace = true }
                continue
            }
            started = true
            let lowered = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            if pendingSpace {
                pendingSpace = false
                held = lowered
                return 0x20
            }
            return lowered
        }
        return nil
    }
}
