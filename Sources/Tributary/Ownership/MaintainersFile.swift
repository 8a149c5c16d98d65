/// A problem found while reading a MAINTAINERS file; reading goes on past it.
public struct MaintainersWarning: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(file):\(line): \(message)" }
}

/// One `X: value` line of a section.
public struct MaintainersField: Hashable, Sendable {
    /// The field letter: M, R, L, S, W, Q, B, C, P, T, F, X, N, K.
    public var kind: Character
    /// The value as written, after the whitespace that follows the colon.
    public var value: String
    public var file: String
    public var line: Int
}

/// A section of a MAINTAINERS file: a title line and the field lines after it.
///
/// A value whose contents live in one shared, immutable object: copying a section (into every
/// `SectionMatch`, on every thread) costs one reference count, not one per field.
public struct MaintainersSection: Hashable, Sendable {
    private final class Storage: Sendable {
        let title: String
        let heading: String?
        let fields: [MaintainersField]
        let file: String
        let line: Int
        let order: Int
        let typeValueIndex: Int
        let isMaintained: Bool
        let hasMaintainer: Bool
        let maintainers: [MaintainerAddress]
        let reviewers: [MaintainerAddress]
        let maintainerIdentities: [Identity]
        let reviewerIdentities: [Identity]
        let maintainerLines: [String]
        let reviewerLines: [String]
        /// The M: and R: lines that name nobody with an e-mail address (positions in `fields`).
        let addresslessPeople: [Int]

        init(
            title: String, heading: String?, fields: [MaintainersField], file: String, line: Int, order: Int,
            typeValueIndex: Int
        ) {
            self.title = title
            self.heading = heading
            self.fields = fields
            self.file = file
            self.line = line
            self.order = order
            self.typeValueIndex = typeValueIndex
            isMaintained = fields.contains {
                $0.kind == "S" && (Self.contains($0.value, "maintain") || Self.contains($0.value, "support"))
            }
            hasMaintainer = fields.contains { $0.kind == "M" }
            var maintainerPeople: [ParseMemo.People] = []
            var reviewerPeople: [ParseMemo.People] = []
            var addressless: [Int] = []
            for (position, field) in fields.enumerated() where field.kind == "M" || field.kind == "R" {
                let people = ParseMemo.shared.people(field.value)
                if field.kind == "M" { maintainerPeople.append(people) } else { reviewerPeople.append(people) }
                if !field.value.utf8.contains(UInt8(ascii: "@")) || people.addresses.isEmpty {
                    addressless.append(position)
                }
            }
            addresslessPeople = addressless
            maintainers = maintainerPeople.flatMap(\.addresses)
            reviewers = reviewerPeople.flatMap(\.addresses)
            maintainerIdentities = maintainerPeople.flatMap(\.identities)
            reviewerIdentities = reviewerPeople.flatMap(\.identities)
            maintainerLines = maintainerPeople.flatMap(\.lines)
            reviewerLines = reviewerPeople.flatMap(\.lines)
        }

        /// Whether `text` holds `word` (lower-case ASCII), ignoring ASCII case: `/word/i`.
        static func contains(_ text: String, _ word: StaticString) -> Bool {
            let needle = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            let bytes = Array(text.utf8)
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) {
                var index = 0
                while index < needle.count {
                    let byte = bytes[start + index]
                    if (0x41...0x5A).contains(byte) ? byte + 0x20 != needle[index] : byte != needle[index] { break }
                    index += 1
                }
                if index == needle.count { return true }
            }
            return false
        }
    }

    private let storage: Storage

    init(
        title: String, heading: String? = nil, fields: [MaintainersField], file: String, line: Int, order: Int,
        typeValueIndex: Int
    ) {
        storage = Storage(
            title: title, heading: heading, fields: fields, file: file, line: line, order: order,
            typeValueIndex: typeValueIndex)
    }

    public var title: String { storage.title }
    /// The group heading the section is under: a title line underlined by a line of dashes
    /// (QEMU's `Guest CPU cores (TCG)` over `---------------------`), up to the next heading.
    public var heading: String? { storage.heading }
    public var fields: [MaintainersField] { storage.fields }
    /// Where the title is.
    public var file: String { storage.file }
    public var line: Int { storage.line }
    /// The section's position among all sections read, from 0: get_maintainer.pl lists sections
    /// of equal depth in an arbitrary order; Tributary lists them in this order.
    public var order: Int { storage.order }
    /// The index of the title in get_maintainer.pl's list of non-blank, non-comment lines, which
    /// decides the order of sections matched by K: keywords.
    var typeValueIndex: Int { storage.typeValueIndex }

    public func values(_ kind: Character) -> [String] { fields.filter { $0.kind == kind }.map(\.value) }

    /// The last S: value, as get_maintainer.pl reads it; nil when there is none.
    public var status: String? { values("S").last }

    /// Whether the status says maintained or supported (get_maintainer.pl's
    /// `/(maintain|support)/i`).
    public var isMaintained: Bool { storage.isMaintained }
    /// Whether the section has at least one M: line.
    public var hasMaintainer: Bool { storage.hasMaintainer }
    /// The people of its M: lines.
    public var maintainers: [MaintainerAddress] { storage.maintainers }
    /// The people of its R: lines.
    public var reviewers: [MaintainerAddress] { storage.reviewers }
    /// The M: people as identities (names without get_maintainer.pl's quotes).
    public var maintainerIdentities: [Identity] { storage.maintainerIdentities }
    /// The R: people as identities.
    public var reviewerIdentities: [Identity] { storage.reviewerIdentities }
    /// The M: people as `Name <address>`.
    public var maintainerLines: [String] { storage.maintainerLines }
    /// The R: people as `Name <address>`.
    public var reviewerLines: [String] { storage.reviewerLines }
    /// The M: and R: fields that name nobody with an e-mail address.
    var addresslessPeople: [MaintainersField] { storage.addresslessPeople.map { storage.fields[$0] } }

    /// Sections are equal when they are the same entry of the same file.
    public static func == (lhs: MaintainersSection, rhs: MaintainersSection) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.file == rhs.file && lhs.line == rhs.line && lhs.title == rhs.title && lhs.fields == rhs.fields)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(line)
        hasher.combine(title)
    }
}

/// A section while it is being read.
private struct SectionDraft {
    var title: String
    var heading: String?
    var fields: [MaintainersField]
    var file: String
    var line: Int
    var order: Int
    var typeValueIndex: Int

    func finished() -> MaintainersSection {
        MaintainersSection(
            title: title, heading: heading, fields: fields, file: file, line: line, order: order,
            typeValueIndex: typeValueIndex)
    }
}

/// The sections of one or more MAINTAINERS files, read as get_maintainer.pl reads them.
///
/// A field line is `X:` (one capital letter and a colon), optional whitespace, and a value. Every
/// other line that is not blank or a `#` comment is a title line; a section is a title and the
/// field lines that follow it. Blank lines do not end a section: get_maintainer.pl drops them
/// before it looks for sections, so a field after a blank line still belongs to the section above.
public struct MaintainersFile: Sendable {
    public private(set) var sections: [MaintainersSection] = []
    public private(set) var warnings: [MaintainersWarning] = []
    /// The files read, in order.
    public private(set) var files: [String] = []
    /// How many non-blank, non-comment lines were read (get_maintainer.pl's `@typevalue`).
    private var typeValueCount = 0

    /// Field letters get_maintainer.pl and the MAINTAINERS preamble define, and Xen's `V:`
    /// (the file's version, under THE REST).
    public static let knownKinds: Set<Character> = [
        "M", "R", "L", "S", "W", "Q", "B", "C", "P", "T", "F", "X", "N", "K", "V",
    ]

    public init() {}

    /// Reads `contents` as the MAINTAINERS file `name` (used in warnings), after what was read
    /// before.
    public init(contents: String, name: String = "MAINTAINERS") {
        self.init()
        add(contents: contents, name: name)
    }

    /// Reads one more file, after the ones already read (as `--find-maintainer-files` does).
    public mutating func add(contents: String, name: String) {
        files.append(name)
        var pendingTitle: (text: String, line: Int, index: Int)?
        var lineNumber = 0
        var current: SectionDraft?
        var previousWasField = false
        var heading: String?
        func closeSection() {
            if let section = current {
                sections.append(section.finished())
                current = nil
            }
        }
        for rawLine in Self.lines(of: contents) {
            lineNumber += 1
            let line = rawLine.utf8.last == 0x0D ? rawLine.dropLast() : rawLine
            if let field = Self.field(line) {
                if field.kind == "F" || field.kind == "X" || field.kind == "N" || field.kind == "K",
                    field.value.trimmingTrailing().isEmpty
                {
                    warnings.append(.init(file: name, line: lineNumber, message: "empty \(field.kind): pattern"))
                }
                if !Self.knownKinds.contains(field.kind) {
                    warnings.append(.init(file: name, line: lineNumber, message: "unknown field type '\(field.kind):'"))
                }
                let entry = MaintainersField(kind: field.kind, value: field.value, file: name, line: lineNumber)
                if current == nil {
                    if let title = pendingTitle {
                        current = SectionDraft(
                            title: title.text, heading: heading, fields: [], file: name, line: title.line,
                            order: sections.count, typeValueIndex: title.index)
                    } else {
                        warnings.append(
                            .init(file: name, line: lineNumber, message: "field line before any section title"))
                        current = SectionDraft(
                            title: String(line), heading: heading, fields: [], file: name, line: lineNumber,
                            order: sections.count, typeValueIndex: typeValueCount)
                    }
                }
                current!.fields.append(entry)
                typeValueCount += 1
                previousWasField = true
                continue
            }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") {
                previousWasField = false
                continue
            }
            if current != nil && previousWasField {
                warnings.append(
                    .init(
                        file: name, line: lineNumber,
                        message:
                            "'\(line)' follows a field line without a blank line; read as the title of a new section"))
            }
            // A line of dashes right under a title makes that title a group heading; the dashes
            // stay a title line, as the script reads them.
            if current == nil, let title = pendingTitle, title.line == lineNumber - 1, Self.isUnderline(line) {
                heading = title.text
            }
            closeSection()
            if let first = line.first, first.isLowercase, line.dropFirst().first == ":" {
                warnings.append(
                    .init(
                        file: name, line: lineNumber,
                        message:
                            "'\(line.prefix(2))' is not a field (field letters are capitals); read as a section title"))
            }
            previousWasField = false
            pendingTitle = (String(line), lineNumber, typeValueCount)
            typeValueCount += 1
        }
        closeSection()
        checkSections(of: name)
    }

    /// Warns about the sections read from `name` that match nothing (and name no branch) or name
    /// people without an address.
    private mutating func checkSections(of name: String) {
        for section in sections where section.file == name {
            // A section with a T: and no pattern names a branch on purpose (U-Boot's custodian
            // trees): it is not a mistake.
            if !section.fields.contains(where: { $0.kind == "F" || $0.kind == "N" || $0.kind == "K" || $0.kind == "T" })
            {
                warnings.append(
                    .init(
                        file: name, line: section.line,
                        message: "section '\(section.title)' has no F:, N: or K: entry and matches nothing"))
            }
            for field in section.addresslessPeople {
                warnings.append(
                    .init(
                        file: name, line: field.line, message: "\(field.kind): '\(field.value)' has no e-mail address"))
            }
        }
    }

    /// The lines of `text`, split at "\n" on the UTF-8 bytes (much cheaper than splitting
    /// Characters on a 900 KB file).
    static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        while true {
            guard let end = utf8[start...].firstIndex(of: 0x0A) else {
                lines.append(Substring(text)[start...])
                break
            }
            lines.append(Substring(text)[start..<end])
            start = utf8.index(after: end)
        }
        return lines
    }

    /// Whether `line` is only dashes (three or more), around optional spaces.
    static func isUnderline(_ line: Substring) -> Bool {
        let trimmed = line.trimmingTrailing().drop { $0 == " " || $0 == "\t" }
        return trimmed.count >= 3 && trimmed.allSatisfy { $0 == "-" }
    }

    /// The section titles and group headings, each once, in file order.
    public var names: [String] {
        var seen = Set<String>()
        return sections.flatMap { [$0.heading, $0.title].compactMap { $0 } }.filter { seen.insert($0).inserted }
    }

    /// Splits `X:<spaces>value`; nil for a line that is not a field.
    static func field(_ line: Substring) -> (kind: Character, value: String)? {
        guard let first = line.first, first.isASCII, first.isUppercase, line.dropFirst().first == ":" else {
            return nil
        }
        let value = line.dropFirst(2).drop { $0 == " " || $0 == "\t" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        return (first, String(value))
    }
}

extension StringProtocol {
    func trimmingTrailing() -> SubSequence {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }
}
