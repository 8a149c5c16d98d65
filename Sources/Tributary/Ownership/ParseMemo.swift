import Foundation

/// What reading MAINTAINERS computes over and over — the people of an M: or R: value, a compiled
/// F:/X: pattern, an N:/K: regex — kept for the life of the process. The same values recur within
/// one file (a maintainer of many sections) and between its versions (a range crosses several,
/// each mostly the one before), so the next version costs little more than what changed.
final class ParseMemo: @unchecked Sendable {
    static let shared = ParseMemo()

    /// The people of an M: or R: value: as addresses, as identities, and as `Name <address>`.
    struct People: Sendable {
        var addresses: [MaintainerAddress]
        var identities: [Identity]
        var lines: [String]
    }

    /// The tables, in shards chosen by a cheap function of the key, each with its own lock:
    /// threads indexing several MAINTAINERS versions at once rarely wait for each other.
    private final class Shard: @unchecked Sendable {
        // Guarded by `lock`.
        let lock = NSLock()
        var people: [String: People] = [:]
        var patterns: [String: PathPattern] = [:]
        var regexes: [String: PerlRegex?] = [:]
    }

    private let shards = (0..<16).map { _ in Shard() }
    /// Entries kept at most per table of a shard; a table that grows past it starts over.
    private let limit = 50_000

    /// `MaintainerAddress.parseList(value)`.
    func addresses(_ value: String) -> [MaintainerAddress] { people(value).addresses }

    /// `MaintainerAddress.parseList(value)`, with the identities and lines of those people.
    func people(_ value: String) -> People {
        remembered(value, in: \.people) {
            let addresses = MaintainerAddress.parseList(value)
            let identities = addresses.map { Identity(name: $0.plainName, email: $0.address) }
            return People(addresses: addresses, identities: identities, lines: identities.map(\.description))
        }
    }

    /// `PathPattern(text, isTreeDirectory:)`.
    func pattern(_ text: String, isTreeDirectory: Bool) -> PathPattern {
        remembered(isTreeDirectory ? "d" + text : "f" + text, in: \.patterns) {
            PathPattern(text, isTreeDirectory: isTreeDirectory)
        }
    }

    /// `PerlRegex(text)`, or nil when it does not compile.
    func regex(_ text: String) -> PerlRegex? {
        remembered(text, in: \.regexes) { try? PerlRegex(text) }
    }

    /// The value of `table` at `key`, made by `make` (outside the lock) the first time.
    private func remembered<Value>(
        _ key: String, in table: ReferenceWritableKeyPath<Shard, [String: Value]>, make: () -> Value
    ) -> Value {
        let utf8 = key.utf8
        let shard = shards[(utf8.count &+ Int(utf8.last ?? 0) &* 7) & 15]
        shard.lock.lock()
        if let known = shard[keyPath: table][key] {
            shard.lock.unlock()
            return known
        }
        shard.lock.unlock()
        let made = make()
        shard.lock.lock()
        if shard[keyPath: table].count >= limit { shard[keyPath: table].removeAll(keepingCapacity: true) }
        shard[keyPath: table][key] = made
        shard.lock.unlock()
        return made
    }
}
