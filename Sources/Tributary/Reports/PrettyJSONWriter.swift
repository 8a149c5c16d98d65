/// Writes JSON as the `JSONEncoder` of every Tributary output writes it (`.prettyPrinted`,
/// `.sortedKeys`, `.withoutEscapingSlashes`) — two-space indentation, `"key" : value`, an empty
/// list or object as an opening bracket, a blank line and the closing one — straight into bytes,
/// for outputs long enough that the encoder's cost shows (`trib check --format json` over
/// thousands of commits). Keys are written in the order given: callers give them sorted. The
/// output is checked against `JSONEncoder`'s, byte for byte, in the tests.
struct PrettyJSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Nesting depth of the value being written.
    private var level: Int
    /// Whether the container being written has a member yet, per open container.
    private var hasMember: [Bool] = []

    /// A writer whose values start at nesting depth `level` (their lines indented as they would
    /// be inside that many containers).
    init(level: Int = 0) { self.level = level }

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }

    /// Appends `text` as it is (a separator between values the caller lays out itself).
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    // MARK: containers

    /// Writes an object whose members `body` writes with `key(_:)` and the value methods.
    mutating func object(_ body: (inout PrettyJSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    /// Writes a list of `elements`, each by `element`.
    mutating func array<Element>(_ elements: [Element], _ element: (inout PrettyJSONWriter, Element) -> Void) {
        open(UInt8(ascii: "["))
        for value in elements {
            member()
            element(&self, value)
        }
        close(UInt8(ascii: "]"))
    }

    /// Starts the member `name` of the object being written; its value comes next.
    mutating func key(_ name: StaticString) {
        member()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), 0x20, UInt8(ascii: ":"), 0x20])
    }

    /// The member `name` with `value` when there is one; nothing when it is nil (as the
    /// synthesised `Encodable` leaves a nil optional out).
    mutating func key(_ name: StaticString, ifPresent value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    // MARK: values

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied in one piece.
        var text = text
        let copied = text.withUTF8 { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == 0x5C }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [0x5C, UInt8(ascii: "\"")]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
            case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
            case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
            case 0x08: bytes += [0x5C, UInt8(ascii: "b")]
            case 0x0C: bytes += [0x5C, UInt8(ascii: "f")]
            case 0..<0x20:
                bytes += [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func strings(_ texts: [String]) {
        array(texts) { $0.string($1) }
    }

    mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    // MARK: layout

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        level += 1
        hasMember.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadMember = hasMember.removeLast()
        level -= 1
        bytes.append(0x0A)
        if !hadMember { bytes.append(0x0A) }
        indent()
        bytes.append(bracket)
    }

    /// Ends the previous member of the open container (a comma) and starts a line for the next.
    private mutating func member() {
        if hasMember[hasMember.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasMember[hasMember.count - 1] = true
        bytes.append(0x0A)
        indent()
    }

    private mutating func indent() {
        bytes.append(contentsOf: repeatElement(0x20, count: level * 2))
    }
}
