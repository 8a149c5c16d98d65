/// An F: or X: file pattern, matched as get_maintainer.pl matches it.
///
/// get_maintainer.pl turns the pattern into a regex (`.` → `\.`, `*` → `.*`, `?` → `.`; every
/// other character stays a regex character, so `[ch]` is a class), anchored at the start only.
/// A pattern that ends in `/` matches every path below it. Any other pattern matches when it
/// matches a prefix of the path and the path has as many `/` as the pattern — so `*` never
/// reaches into a subdirectory, and `F: drivers/foo` also matches `drivers/foobar.c`.
public struct PathPattern: Hashable, Sendable, CustomStringConvertible {
    /// One element of the compiled pattern.
    enum Element: Hashable, Sendable {
        case literal(UInt8)
        /// `*`: any run of characters (`.*`).
        case anyRun
        /// `?`: one character (`.`).
        case anyCharacter
        /// `[...]`: one character from the set (or not in it, when negated).
        case characterClass(ByteSet, negated: Bool)
    }

    /// The pattern as written in MAINTAINERS.
    public let text: String
    let elements: [Element]
    /// Whether it matches everything below a directory: it ends in `/`, or it names a directory
    /// of the tree (get_maintainer.pl adds the `/` when the path is a directory on disk).
    public let isDirectory: Bool
    /// The number of `/` in the pattern (`tr@/@@` on the regex).
    let slashCount: Int
    /// get_maintainer.pl's depth of a match through this pattern: its `/` count, plus one when it
    /// does not end in `/`, or -1 when it starts with `*`.
    public let depth: Int
    /// The characters before the first wildcard: every path the pattern matches starts with them.
    public let literalPrefix: [UInt8]

    /// Compiles `text`. `isTreeDirectory` says whether the pattern names a directory of the tree
    /// being checked; like get_maintainer.pl, which tests the regex form of the pattern on disk,
    /// a pattern with `.`, `*` or `?` is never taken for a directory.
    public init(_ text: String, isTreeDirectory: Bool = false) {
        self.text = text
        var elements: [Element] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "*"): elements.append(.anyRun)
            case UInt8(ascii: "?"): elements.append(.anyCharacter)
            case UInt8(ascii: "["):
                if let (set, negated, end) = Self.characterClass(bytes, from: index) {
                    elements.append(.characterClass(set, negated: negated))
                    index = end
                } else {
                    elements.append(.literal(byte))
                }
            case UInt8(ascii: "\\") where index + 1 < bytes.count:
                index += 1
                elements.append(.literal(bytes[index]))
            default: elements.append(.literal(byte))
            }
            index += 1
        }
        let endsWithSlash = bytes.last == UInt8(ascii: "/")
        let plain = !bytes.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
        var directory = endsWithSlash
        if !endsWithSlash && isTreeDirectory && plain && !text.isEmpty {
            directory = true
            elements.append(.literal(UInt8(ascii: "/")))
        }
        self.elements = elements
        self.isDirectory = directory
        let slashes = elements.filter { $0 == .literal(UInt8(ascii: "/")) }.count
        slashCount = slashes
        if bytes.first == UInt8(ascii: "*") {
            depth = -1
        } else {
            depth = slashes + (directory ? 0 : 1)
        }
        literalPrefix = elements.prefix {
            if case .literal = $0 { true } else { false }
        }.map {
            if case .literal(let byte) = $0 { byte } else { 0 }
        }
    }

    public var description: String { text }

    /// Reads `[...]` starting at `start`; returns the set, whether it is negated, and the index
    /// of the closing `]`.
    private static func characterClass(_ bytes: [UInt8], from start: Int) -> (ByteSet, Bool, Int)? {
        var index = start + 1
        var negated = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var set = ByteSet()
        var first = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "]") && !first { return (set, negated, index) }
            if index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] != UInt8(ascii: "]") {
                let low = byte
                let high = bytes[index + 2]
                if low <= high { for value in low...high { set.insert(value) } }
                index += 3
            } else {
                set.insert(byte)
                index += 1
            }
            first = false
        }
        return nil
    }

    /// Whether the pattern matches `path` (UTF-8 bytes; `slashes` is the number of `/` in it).
    func matches(_ path: UnsafeBufferPointer<UInt8>, slashes: Int) -> Bool {
        if !isDirectory && slashes != slashCount { return false }
        return elements.withUnsafeBufferPointer { Self.matchesPrefix($0, 0, path, 0) }
    }

    /// Whether `path` matches the pattern with the given parsed contents.
    public func matches(_ path: String) -> Bool {
        var bytes = Array(path.utf8)
        let slashes = bytes.filter { $0 == UInt8(ascii: "/") }.count
        return bytes.withUnsafeMutableBufferPointer { matches(UnsafeBufferPointer($0), slashes: slashes) }
    }

    /// Whether `elements[element...]` match a prefix of `path[position...]` (a regex anchored at
    /// the start only: the pattern must be used up; the rest of the path may be anything).
    private static func matchesPrefix(
        _ elements: UnsafeBufferPointer<Element>, _ element: Int, _ path: UnsafeBufferPointer<UInt8>, _ position: Int
    ) -> Bool {
        var element = element
        var position = position
        while element < elements.count {
            switch elements[element] {
            case .literal(let byte):
                guard position < path.count, path[position] == byte else { return false }
                position += 1
            case .anyCharacter:
                guard position < path.count, path[position] != UInt8(ascii: "\n") else { return false }
                position += 1
            case .characterClass(let set, let negated):
                guard position < path.count, set.contains(path[position]) != negated else { return false }
                position += 1
            case .anyRun:
                if element + 1 == elements.count { return true }
                var next = position
                while next <= path.count {
                    if matchesPrefix(elements, element + 1, path, next) { return true }
                    if next < path.count && path[next] == UInt8(ascii: "\n") { break }
                    next += 1
                }
                return false
            }
            element += 1
        }
        return true
    }
}

/// A set of bytes as a 256-bit map.
struct ByteSet: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    static func == (lhs: ByteSet, rhs: ByteSet) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

extension PathPattern {
    /// Xen's bash-style braces: `a{b,c}d` is `abd` and `acd`. A `{` at the start of the pattern
    /// or after a `\\`, and braces without a comma, stay as written; braces do not nest.
    public static func expandingBraces(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var index = 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"), bytes[index - 1] != UInt8(ascii: "\\"),
                let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")),
                bytes[index..<close].contains(UInt8(ascii: ","))
            {
                let head = String(decoding: bytes[..<index], as: UTF8.self)
                let tail = String(decoding: bytes[(close + 1)...], as: UTF8.self)
                let alternatives = bytes[(index + 1)..<close].split(
                    separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                return alternatives.flatMap { alternative in
                    expandingBraces(head + String(decoding: alternative, as: UTF8.self) + tail)
                }
            }
            index += 1
        }
        return [text]
    }
}
