import Foundation

/// Message-ids as commits and pull requests name them: in `Link:` and `Message-ID:` trailers, and
/// the posting a patch's message-id belongs to.
public enum MessageID {
    /// The message-id in a link such as `https://patch.msgid.link/ID`,
    /// `https://lore.kernel.org/r/ID`, `https://lore.kernel.org/LIST/ID/` or `<ID>`.
    public static func inLink(_ value: String) -> String? {
        var text = value.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("<"), text.hasSuffix(">") { return String(text.dropFirst().dropLast()) }
        if let space = text.firstIndex(of: " ") { text = String(text[..<space]) }
        while text.hasSuffix("/") { text.removeLast() }
        guard text.contains("://"), let slash = text.lastIndex(of: "/") else { return nil }
        let last = String(text[text.index(after: slash)...])
        let decoded = last.removingPercentEncoding ?? last
        return decoded.contains("@") ? decoded : nil
    }

    /// The message-ids a commit's `Link:` and `Message-ID:` trailers name, in order.
    public static func linked(in trailers: [Trailer]) -> [String] {
        trailers.compactMap { trailer -> String? in
            guard trailer.hasKey("Link") || trailer.hasKey("Message-ID") else { return nil }
            return inLink(trailer.value)
        }
    }

    /// The posting a message-id belongs to: b4's `<date>.<n>-<k>-<sender>` ids share what comes
    /// before the patch number.
    public static func postingStem(_ messageID: String) -> String {
        guard let at = messageID.firstIndex(of: "@") else { return messageID }
        let local = messageID[..<at]
        if let dash = local.firstIndex(of: "-"), let dot = local[..<dash].lastIndex(of: ".") {
            return String(local[..<dot]) + String(messageID[at...])
        }
        return messageID
    }
}
