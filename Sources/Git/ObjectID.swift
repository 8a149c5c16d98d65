import CLibgit2

/// The SHA-1 name of a git object (`git_oid`).
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    var raw: git_oid

    init(_ raw: git_oid) { self.raw = raw }

    init(_ pointer: UnsafePointer<git_oid>) { self.raw = pointer.pointee }

    /// The id spelled by 40 hexadecimal digits (`git_oid_fromstrn`); nil for anything else.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 40, hex.utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
        Libgit2.ensureInitialized()
        var oid = git_oid()
        let ok = String(hex).withCString { git_oid_fromstrn(&oid, $0, 40) } == 0
        guard ok else { return nil }
        raw = oid
    }

    /// The id made of these 20 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 20 else { return nil }
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        raw = oid
    }

    /// The id of no object: forty zeros.
    public static let zero = ObjectID(git_oid())

    /// Whether this is the all-zero id (`git_oid_is_zero`).
    public var isZero: Bool { self == .zero }

    /// The 20 bytes of the id.
    public var bytes: [UInt8] { withUnsafeBytes(of: raw.id) { Array($0) } }

    /// The 40 hexadecimal digits (`git_oid_fmt`).
    public var hex: String {
        withUnsafeBytes(of: raw.id) { bytes in
            let digits: [UInt8] = Array("0123456789abcdef".utf8)
            var out = [UInt8](repeating: 0, count: 40)
            for (index, byte) in bytes.enumerated() {
                out[index * 2] = digits[Int(byte >> 4)]
                out[index * 2 + 1] = digits[Int(byte & 0xF)]
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The first `length` hexadecimal digits.
    public func abbreviated(_ length: Int = 12) -> String { String(hex.prefix(length)) }

    public var description: String { hex }

    public static func == (lhs: ObjectID, rhs: ObjectID) -> Bool {
        withUnsafeBytes(of: lhs.raw.id) { left in
            withUnsafeBytes(of: rhs.raw.id) { right in left.elementsEqual(right) }
        }
    }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        withUnsafeBytes(of: lhs.raw.id) { left in
            withUnsafeBytes(of: rhs.raw.id) { right in left.lexicographicallyPrecedes(right) }
        }
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: raw.id) { hasher.combine(bytes: $0) }
    }
}

extension ObjectID: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a 40-digit object id: \(text)")
            )
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
    }
}
