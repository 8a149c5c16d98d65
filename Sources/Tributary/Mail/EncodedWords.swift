import Foundation

/// RFC 2047 encoded words in headers (`=?UTF-8?B?…?=`, `=?iso-8859-1?Q?…?=`), decoded; white
/// space between two adjacent encoded words is dropped, as the RFC says. Unknown charsets and
/// malformed words are left as written.
enum EncodedWords {
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var result = ""
        var rest = Substring(text)
        var pendingSpace = ""
        var lastWasEncoded = false
        while !rest.isEmpty {
            guard let start = rest.range(of: "=?") else {
                result += pendingSpace + rest
                break
            }
            let before = rest[..<start.lowerBound]
            if let word = parseWord(rest[start.lowerBound...]) {
                if lastWasEncoded && before.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) {
                    // Space between encoded words is not part of the text.
                } else {
                    result += pendingSpace + before
                }
                pendingSpace = ""
                result += word.text
                rest = rest[word.end...]
                lastWasEncoded = true
            } else {
                result += pendingSpace + before + "=?"
                pendingSpace = ""
                rest = rest[start.upperBound...]
                lastWasEncoded = false
            }
        }
        return result
    }

    /// One `=?charset?encoding?text?=` at the start of `text`.
    private static func parseWord(_ text: Substring) -> (text: String, end: Substring.Index)? {
        let parts = text.dropFirst(2)
        guard let firstQuestion = parts.firstIndex(of: "?") else { return nil }
        let charset = parts[..<firstQuestion].split(separator: "*").first.map(String.init) ?? ""
        let afterCharset = parts[parts.index(after: firstQuestion)...]
        guard let secondQuestion = afterCharset.firstIndex(of: "?") else { return nil }
        let encoding = afterCharset[..<secondQuestion].uppercased()
        let payloadStart = afterCharset.index(after: secondQuestion)
        guard let end = afterCharset[payloadStart...].range(of: "?=") else { return nil }
        let payload = afterCharset[payloadStart..<end.lowerBound]
        if payload.contains(" ") { return nil }
        var bytes: [UInt8]
        switch encoding {
        case "B":
            guard
                let data = Data(base64Encoded: String(payload), options: .ignoreUnknownCharacters)
                    ?? Data(base64Encoded: String(payload) + "=", options: .ignoreUnknownCharacters)
                    ?? Data(base64Encoded: String(payload) + "==", options: .ignoreUnknownCharacters)
            else { return nil }
            bytes = Array(data)
        case "Q":
            bytes = ContentDecoding.quotedPrintable(Array(payload.utf8), underscoreIsSpace: true)
        default: return nil
        }
        guard let decoded = Charsets.decode(bytes, charset: charset) else { return nil }
        return (decoded, end.upperBound)
    }
}

/// Text in the charsets mail uses.
enum Charsets {
    static func decode(_ bytes: [UInt8], charset: String) -> String? {
        switch charset.lowercased() {
        case "utf-8", "utf8", "us-ascii", "ascii", "": return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1", "latin1", "iso8859-1", "windows-1252", "cp1252":
            return String(bytes.map { Character(Unicode.Scalar($0)) })
        case "iso-8859-2": return String(data: Data(bytes), encoding: .isoLatin2)
        case "windows-1250", "cp1250": return String(data: Data(bytes), encoding: .windowsCP1250)
        case "shift_jis": return String(data: Data(bytes), encoding: .shiftJIS)
        case "euc-jp": return String(data: Data(bytes), encoding: .japaneseEUC)
        default: return String(decoding: bytes, as: UTF8.self)
        }
    }
}
