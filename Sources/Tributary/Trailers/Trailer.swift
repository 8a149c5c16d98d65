/// A `Key: value` line at the end of a commit message.
public struct Trailer: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The key as written (`Signed-off-by`); compare keys with `hasKey`, which ignores case.
    public var key: String
    /// The value, trimmed, continuation lines joined with single spaces.
    public var value: String
    /// The trailer's first line as written, without its newline (for whitespace and format
    /// checks); nil for trailers not read from a message.
    public var line: String?

    public init(key: String, value: String, line: String? = nil) {
        self.key = key
        self.value = value
        self.line = line
    }

    /// Whether the key is `key`, ignoring case (as git compares trailer keys).
    public func hasKey(_ key: String) -> Bool { self.key.caseInsensitiveCompare(key) }

    /// `Key: value`, as `git interpret-trailers --parse` prints it.
    public var description: String { "\(key): \(value)" }
}

extension String {
    /// Equality ignoring ASCII case, on the UTF-8 bytes, without allocating.
    func caseInsensitiveCompare(_ other: String) -> Bool {
        let one = utf8
        let two = other.utf8
        guard one.count == two.count else { return false }
        for (a, b) in zip(one, two) where a != b {
            let lowerA = (0x41...0x5A).contains(a) ? a + 0x20 : a
            let lowerB = (0x41...0x5A).contains(b) ? b + 0x20 : b
            if lowerA != lowerB { return false }
        }
        return true
    }
}
