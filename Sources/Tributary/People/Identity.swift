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
        let bytes = Array(text.utf8)
        if let open = bytes.firstIndex(of: UInt8(ascii: "<")) {
            guard let close = bytes[open...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
            let address = trimmed(bytes[(open + 1)..<close])
            var name = trimmed(bytes[..<open])
            if name.count >= 2, name.first == UInt8(ascii: "\""), name.last == UInt8(ascii: "\"") {
                name = name.dropFirst().dropLast()
            }
            guard isWellFormedAddress(address) else { return nil }
            return Identity(
                name: String(decoding: name, as: UTF8.self), email: String(decoding: address, as: UTF8.self))
        }
        let end = bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.count
        let word = trimmed(bytes[..<end]).prefix { !isSpace($0) }
        guard isWellFormedAddress(word) else { return nil }
        return Identity(name: "", email: String(decoding: word, as: UTF8.self))
    }

    /// `local@domain` with a non-empty local part, a dot in the domain, and no spaces.
    public static func isWellFormedAddress(_ address: String) -> Bool {
        isWellFormedAddress(Array(address.utf8)[...])
    }

    static func isWellFormedAddress(_ address: ArraySlice<UInt8>) -> Bool {
        guard let at = address.firstIndex(of: UInt8(ascii: "@")), at > address.startIndex else { return false }
        let domain = address[(at + 1)...]
        guard domain.contains(UInt8(ascii: ".")), domain.first != UInt8(ascii: "."), domain.last != UInt8(ascii: "."),
            !domain.contains(UInt8(ascii: "@"))
        else { return false }
        return !address.contains {
            isSpace($0) || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: ",")
        }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// `Name <address>`, or the address when there is no name.
    public var description: String { name.isEmpty ? email : "\(name) <\(email)>" }
}
