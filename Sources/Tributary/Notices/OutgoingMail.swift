public import Foundation

/// A message Tributary writes (RFC 5322, MIME text/plain in UTF-8): its headers are built only
/// from the fields here, each value cleaned of line breaks and control characters, so nothing
/// taken from a repository or mail (a subject, an author's name) can add a header; non-ASCII
/// display names and subjects become RFC 2047 encoded-words; long header lines are folded.
public struct OutgoingMail: Sendable, Codable, Hashable {
    public var from: String
    public var to: [String]
    public var cc: [String]
    public var subject: String
    /// Without the angle brackets.
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String]
    public var date: Date
    public var body: String

    public init(
        from: String, to: [String], cc: [String] = [], subject: String, messageID: String,
        inReplyTo: String? = nil, references: [String] = [], date: Date, body: String
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.body = body
    }

    /// Every address it goes to (To, then Cc), without display names, each once.
    public var recipients: [String] {
        var seen = Set<String>()
        return (to + cc).compactMap { Self.address(in: $0) }.filter { seen.insert($0.lowercased()).inserted }
    }

    /// The message as bytes, lines ending in CRLF-free LF (as mbox and sendmail take it).
    public var text: String {
        var lines: [String] = []
        lines.append(Self.fold("From: \(Self.mailbox(from))"))
        if !to.isEmpty { lines.append(Self.fold("To: \(to.map(Self.mailbox).joined(separator: ", "))")) }
        if !cc.isEmpty { lines.append(Self.fold("Cc: \(cc.map(Self.mailbox).joined(separator: ", "))")) }
        lines.append(Self.fold("Subject: \(Self.encodedIfNeeded(Self.clean(subject)))"))
        lines.append("Date: \(Self.rfc5322Date(date))")
        lines.append("Message-ID: <\(Self.cleanID(messageID))>")
        if let inReplyTo { lines.append("In-Reply-To: <\(Self.cleanID(inReplyTo))>") }
        if !references.isEmpty {
            lines.append(Self.fold("References: \(references.map { "<\(Self.cleanID($0))>" }.joined(separator: " "))"))
        }
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=UTF-8")
        lines.append("Content-Transfer-Encoding: 8bit")
        lines.append("X-Mailer: trib \(Tributary.version)")
        var body = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if !body.hasSuffix("\n") { body += "\n" }
        return lines.joined(separator: "\n") + "\n\n" + body
    }

    // MARK: Header values

    /// A header value on one line: line breaks and other control characters become spaces.
    static func clean(_ value: String) -> String {
        String(
            value.unicodeScalars.map { scalar in
                scalar.value < 0x20 || scalar.value == 0x7f ? " " : Character(scalar)
            }
        ).trimmingCharacters(in: .whitespaces)
    }

    /// A message-id without brackets, spaces or anything that could end the header.
    static func cleanID(_ value: String) -> String {
        String(
            clean(value).unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7f && $0 != "<" && $0 != ">" }
                .map(Character.init))
    }

    /// The address of "Name <address>" or of a bare address; nil when there is none.
    static func address(in mailbox: String) -> String? {
        let value = clean(mailbox)
        if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
            let inner = String(value[value.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
            return inner.contains("@") && !inner.contains(where: { $0 == " " || $0 == "," }) ? inner : nil
        }
        return value.contains("@") && !value.contains(where: { $0 == " " || $0 == "," || $0 == "<" }) ? value : nil
    }

    /// "Name <address>" with the name quoted (or encoded) as it needs; a bare address as is.
    static func mailbox(_ mailbox: String) -> String {
        let value = clean(mailbox)
        guard let address = address(in: value) else { return "undisclosed-recipients:;" }
        guard let open = value.lastIndex(of: "<") else { return address }
        var name = String(value[..<open]).trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        guard !name.isEmpty else { return address }
        if !name.unicodeScalars.allSatisfy(\.isASCII) { return "\(encodedWords(name)) <\(address)>" }
        let special = name.contains { "()<>[]:;@\\,.\"".contains($0) }
        if special {
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\" <\(address)>"
        }
        return "\(name) <\(address)>"
    }

    /// The text as is when it is ASCII, else as RFC 2047 encoded-words (`=?UTF-8?B?…?=`).
    static func encodedIfNeeded(_ text: String) -> String {
        text.unicodeScalars.allSatisfy(\.isASCII) ? text : encodedWords(text)
    }

    /// Base64 encoded-words of at most 66 characters each (RFC 2047 allows 75; 66 keeps a
    /// folded header line, "Subject: " and all, within 78), never splitting a character.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk = ""
        for character in text {
            let candidate = chunk + String(character)
            // 12 characters of "=?UTF-8?B?" and "?=", base64 of n bytes is 4 * ceil(n / 3).
            if 12 + 4 * ((candidate.utf8.count + 2) / 3) > 66, !chunk.isEmpty {
                words.append(chunk)
                chunk = String(character)
            } else {
                chunk = candidate
            }
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: " ")
    }

    /// A header line folded at spaces so that no line passes 78 characters where it can be helped.
    static func fold(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var out: [String] = []
        var current = ""
        for (index, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if current.isEmpty {
                current = String(word)
            } else if index > 1, current.count + 1 + word.count > 78 {
                // (Never right after the header's name: its value starts on its line.)
                out.append(current)
                current = " " + word
            } else {
                current += " " + word
            }
        }
        out.append(current)
        return out.joined(separator: "\n")
    }

    static func rfc5322Date(_ date: Date) -> String { UTCDates.format(date, "EEE, dd MMM yyyy HH:mm:ss '+0000'") }
}
