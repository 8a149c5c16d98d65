public import Foundation

/// One mail message: its headers (unfolded, RFC 2047 decoded) and its text body (decoded from
/// quoted-printable or base64, the text/plain part of a multipart message, line ends as `\n`).
public struct MailMessage: Sendable, Hashable {
    /// Headers in order, names as written.
    public var headers: [(name: String, value: String)]
    /// The text body.
    public var body: String
    /// Problems met while reading (a missing header, an undecodable part).
    public var warnings: [String]

    public static func == (lhs: MailMessage, rhs: MailMessage) -> Bool {
        lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
            && lhs.body == rhs.body
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(messageID)
        hasher.combine(body)
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of header `name`.
    public func headers(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public var subject: String { header("Subject") ?? "" }

    /// The Message-ID, without angle brackets.
    public var messageID: String? { header("Message-ID").flatMap { Self.messageIDs(in: $0).first } }

    /// In-Reply-To's message-id.
    public var inReplyTo: String? { header("In-Reply-To").flatMap { Self.messageIDs(in: $0).last } }

    /// The References, oldest first.
    public var references: [String] { headers("References").flatMap(Self.messageIDs) }

    /// The sender's name and address.
    public var from: (name: String, address: String)? {
        guard let value = header("From") else { return nil }
        return Self.address(value)
    }

    /// The Date header as a date, when it parses.
    public var date: Date? { header("Date").flatMap(Self.parseDate) }

    /// Parses one message: headers up to the first empty line, then the body.
    public init(_ bytes: [UInt8]) {
        self.init(bytes, depth: 0)
    }

    /// Parses a message or a MIME part nested `depth` levels deep.
    private init(_ bytes: [UInt8], depth: Int) {
        var raw = bytes
        if raw.contains(0x0D) { raw = raw.filter { $0 != 0x0D } }
        var headerEnd = raw.count
        var bodyStart = raw.count
        var index = 0
        while index < raw.count {
            guard let newline = raw[index...].firstIndex(of: 0x0A) else { break }
            if newline == index {
                headerEnd = index
                bodyStart = index + 1
                break
            }
            index = newline + 1
        }
        if index >= raw.count { headerEnd = raw.count }
        var headers: [(String, String)] = []
        var warnings: [String] = []
        for line in String(decoding: raw[..<headerEnd], as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.first == " " || line.first == "\t" {
                if !headers.isEmpty { headers[headers.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                if !line.isEmpty { warnings.append("not a header line: \(line.prefix(60))") }
                continue
            }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let decoded = headers.map { ($0.0, EncodedWords.decode($0.1)) }
        self.headers = decoded
        var body = ""
        let bodyBytes = bodyStart < raw.count ? Array(raw[bodyStart...]) : []
        let contentType = decoded.first { $0.0.lowercased() == "content-type" }?.1 ?? "text/plain"
        let encoding = decoded.first { $0.0.lowercased() == "content-transfer-encoding" }?.1 ?? "7bit"
        body = Self.text(of: bodyBytes, contentType: contentType, encoding: encoding, warnings: &warnings, depth: depth)
        self.body = body
        if depth == 0, decoded.first(where: { $0.0.lowercased() == "message-id" }) == nil {
            warnings.append("no Message-ID header")
        }
        self.warnings = warnings
    }

    /// The text of a body: decoded, and for multipart messages the first text/plain part.
    static func text(of bytes: [UInt8], contentType: String, encoding: String, warnings: inout [String], depth: Int = 0)
        -> String
    {
        let type =
            contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let parameters = Self.parameters(contentType)
        if type.hasPrefix("multipart/"), let boundary = parameters["boundary"], depth < 16 {
            let parts = Self.parts(bytes, boundary: boundary)
            var fallback: String?
            for part in parts {
                // Each part is read with its own headers: type, transfer encoding, charset.
                let message = MailMessage(part, depth: depth + 1)
                let partType = (message.header("Content-Type") ?? "text/plain").lowercased()
                if partType.hasPrefix("multipart/") {
                    if !message.body.isEmpty { return message.body }
                } else if partType.hasPrefix("text/plain") {
                    return message.body
                } else if partType.hasPrefix("text/x-patch") || partType.hasPrefix("text/x-diff") {
                    fallback = fallback ?? message.body
                }
            }
            if let fallback { return fallback }
            warnings.append("no text/plain part in a \(type) message")
            return ""
        }
        return Self.decode(bytes, encoding: encoding, charset: parameters["charset"], warnings: &warnings)
    }

    static func decode(_ bytes: [UInt8], encoding: String, charset: String?, warnings: inout [String]) -> String {
        var decoded = bytes
        switch encoding.lowercased() {
        case "quoted-printable": decoded = ContentDecoding.quotedPrintable(bytes)
        case "base64":
            if let data = ContentDecoding.base64(bytes) {
                decoded = data
            } else {
                warnings.append("a base64 body does not decode")
            }
        default: break
        }
        if decoded.contains(0x0D) { decoded = decoded.filter { $0 != 0x0D } }
        return Charsets.decode(decoded, charset: charset ?? "utf-8") ?? String(decoding: decoded, as: UTF8.self)
    }

    /// The parts between `--boundary` lines.
    static func parts(_ bytes: [UInt8], boundary: String) -> [[UInt8]] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [[UInt8]] = []
        var current: [UInt8]?
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[lineStart..<lineEnd]
            if line.starts(with: delimiter) {
                if let current { parts.append(current) }
                let closing = line.dropFirst(delimiter.count).starts(with: [0x2D, 0x2D])
                current = closing ? nil : []
                if closing { break }
            } else if current != nil {
                current! += line + [0x0A]
            }
            lineStart = lineEnd + 1
        }
        if let current { parts.append(current) }
        return parts
    }

    /// `key=value` parameters of a header such as Content-Type.
    static func parameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            var parameter = pair[1].trimmingCharacters(in: .whitespaces)
            if parameter.hasPrefix("\""), parameter.hasSuffix("\""), parameter.count >= 2 {
                parameter = String(parameter.dropFirst().dropLast())
            }
            result[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] = parameter
        }
        return result
    }

    /// The message-ids (`<…>`) in a header value, without brackets.
    static func messageIDs(in value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !id.isEmpty { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            let bare = value.trimmingCharacters(in: .whitespaces)
            if bare.contains("@") && !bare.contains(" ") { ids.append(bare) }
        }
        return ids
    }

    /// `Name <address>`, `"Name" <address>`, `address (Name)` or a bare address.
    static func address(_ value: String) -> (name: String, address: String) {
        if let open = value.lastIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            var name = value[..<open].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            return (name, value[value.index(after: open)..<close].trimmingCharacters(in: .whitespaces))
        }
        if let open = value.firstIndex(of: "("), let close = value.lastIndex(of: ")"), open < close {
            return (
                value[value.index(after: open)..<close].trimmingCharacters(in: .whitespaces),
                value[..<open].trimmingCharacters(in: .whitespaces)
            )
        }
        return ("", value.trimmingCharacters(in: .whitespaces))
    }

    /// RFC 2822 dates, with or without the day name and seconds.
    static func parseDate(_ value: String) -> Date? {
        let cleaned = value.replacingOccurrences(of: #"\s*\([^)]*\)\s*$"#, with: "", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for format in [
            "EEE, d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm Z",
            "EEE, d MMM yy HH:mm:ss Z",
        ] {
            formatter.dateFormat = format
            if let date = formatter.date(from: cleaned) { return date }
        }
        return nil
    }
}
