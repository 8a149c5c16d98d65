import Foundation

/// What reading MAINTAINERS computes over and over — the people of an M: or R: value, a compiled
/// F:/X: pattern, an N:/K: regex — kept for the life of the process. The same values recur within
/// one file (a maintainer of many sections) and between its versions (a range crosses several,
/// each mostly the one before), so the next version costs little more than what changed.
final class ParseMemo: @unchecked Sendable {
    static let shared = ParseMemo()

    // Guarded by `lock`.
    private let lock = NSLock()
    private var people: [String: People] = [:]
    private var patterns: [String: PathPattern] = [:]
    private var regexes: [String: PerlRegex?] = [:]
    /// Entries kept at most per table; a table that grows past it starts over.
    private let limit = 500_000

    /// The people of an M: or R: value: as addresses, as identities, and as `Name <address>`.
    struct People: Sendable {
        var addresses: [MaintainerAddress]
        var identities: [Identity]
        var lines: [String]
    }

    /// `MaintainerAddress.parseList(value)`.
    func addresses(_ value: String) -> [MaintainerAddress] { people(value).addresses }

    /// `MaintainerAddress.parseList(value)`, with the identities and lines of those people.
    func people(_ value: String) -> People {
        lock.lock()
        if let known = people[value] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let addresses = MaintainerAddress.parseList(value)
        let identities = addresses.map { Identity(name: $0.plainName, email: $0.address) }
        let parsed = People(addresses: addresses, identities: identities, lines: identities.map(\.description))
        lock.lock()
        if people.count >= limit { people.removeAll(keepingCapacity: true) }
        people[value] = parsed
        lock.unlock()
        return parsed
    }

    /// `PathPattern(text, isTreeDirectory:)`.
    func pattern(_ text: String, isTreeDirectory: Bool) -> PathPattern {
        let key = isTreeDirectory ? "d" + text : "f" + text
        lock.lock()
        if let known = patterns[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let compiled = PathPattern(text, isTreeDirectory: isTreeDirectory)
        lock.lock()
        if patterns.count >= limit { patterns.removeAll(keepingCapacity: true) }
        patterns[key] = compiled
        lock.unlock()
        return compiled
    }

    /// `PerlRegex(text)`, or nil when it does not compile.
    func regex(_ text: String) -> PerlRegex? {
        lock.lock()
        if let known = regexes[text] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let compiled = try? PerlRegex(text)
        lock.lock()
        if regexes.count >= limit { regexes.removeAll(keepingCapacity: true) }
        regexes[text] = .some(compiled)
        lock.unlock()
        return compiled
    }
}
