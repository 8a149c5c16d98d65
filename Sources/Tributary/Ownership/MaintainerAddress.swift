import Foundation

/// A name and an address from an M:, R: or L: line, split and formatted as get_maintainer.pl's
/// `parse_email` and `format_email` do.
public struct MaintainerAddress: Hashable, Sendable, CustomStringConvertible {
    /// The name, quoted when it has characters other than letters, digits, `_`, space and `-`
    /// (as get_maintainer.pl prints it); empty when there is none.
    public var name: String
    public var address: String

    public init(name: String, address: String) {
        self.name = Self.formatName(name)
        self.address = Self.trimmed(address)
    }

    /// `s/^\s+|\s+$//g` on the bytes.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return text }
        let start = utf8.firstIndex { !isSpace($0) } ?? utf8.endIndex
        guard start < utf8.endIndex, let end = utf8.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(Substring(text)[start...end])
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// `Name <address>`, or the bare address when there is no name (`format_email`).
    public var description: String { name.isEmpty ? address : "\(name) <\(address)>" }

    /// The name without the quotes `format_email` adds.
    public var plainName: String {
        guard name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 else { return name }
        return String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
    }

    /// Parses one address the way `parse_email` does: `Name <addr>`, `<addr>`, or `addr`
    /// followed by anything. Nil when there is no address.
    public static func parse(_ text: String) -> MaintainerAddress? {
        // Works on the UTF-8 bytes: `<`, `>`, `@` and spaces are ASCII.
        let utf8 = text.utf8
        let open = utf8.firstIndex(of: UInt8(ascii: "<"))
        let close = utf8.lastIndex(of: UInt8(ascii: ">"))
        func string(_ range: Range<String.Index>) -> String { String(Substring(text)[range]) }
        var name = ""
        var address = ""
        if let open, let close, open > utf8.startIndex, close > open,
            utf8[utf8.index(after: open)..<close].contains(UInt8(ascii: "@"))
        {
            name = string(utf8.startIndex..<open)
            address = string(utf8.index(after: open)..<close)
        } else if let open, let close, close > open, utf8[..<open].allSatisfy(isSpace) {
            let inside = utf8[utf8.index(after: open)..<close]
            guard let at = inside.firstIndex(of: UInt8(ascii: "@")), at > inside.startIndex,
                !inside[inside.index(after: at)...].contains(where: isSpace)
            else { return nil }
            address = string(inside.startIndex..<inside.endIndex)
        } else if let at = utf8.firstIndex(of: UInt8(ascii: "@")), at > utf8.startIndex {
            // `^(.+\@\S*).*$`: up to the @ and the non-space characters after it.
            let end = utf8[at...].firstIndex(where: isSpace) ?? utf8.endIndex
            address = string(utf8.startIndex..<end)
        } else {
            return nil
        }
        let trimmedAddress = trimmed(address)
        guard !trimmedAddress.isEmpty else { return nil }
        return MaintainerAddress(name: name, address: trimmedAddress)
    }

    /// Parses an M:/R: value, which may hold several addresses separated by commas.
    public static func parseList(_ text: String) -> [MaintainerAddress] {
        if let single = parse(text), !hasSeveralAddresses(text) { return [single] }
        return splitAddresses(text).compactMap(parse)
    }

    private static func hasSeveralAddresses(_ text: String) -> Bool {
        text.filter { $0 == "@" }.count > 1 && text.contains(",")
    }

    /// Splits at commas that are outside quotes and angle brackets.
    private static func splitAddresses(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuotes = false
        var inAngle = false
        for character in text {
            switch character {
            case "\"": inQuotes.toggle()
            case "<": inAngle = true
            case ">": inAngle = false
            case "," where !inQuotes && !inAngle:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }

    /// Trims, drops surrounding quotes, and quotes again when needed (`format_email`).
    static func formatName(_ raw: String) -> String {
        var name = trimmed(raw)
        if name.hasPrefix("\"") { name.removeFirst() }
        if name.hasSuffix("\"") { name.removeLast() }
        // Perl's \w without `use utf8` is ASCII letters, digits and _; other bytes need quotes.
        let needsQuotes = name.unicodeScalars.contains { scalar in
            !(scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == " "
                    || scalar == "-"))
        }
        guard needsQuotes else { return name }
        var escaped = ""
        var previous: Character?
        for character in name {
            if character == "\"" && previous != "\\" { escaped += "\\\"" } else { escaped.append(character) }
            previous = character
        }
        return "\"\(escaped)\""
    }
}
