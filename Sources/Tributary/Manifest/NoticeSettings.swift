import Foundation

/// `[notices]`: who `trib notices` writes as and to. `from = NAME <ADDRESS>` (required to write
/// any), `to = LIST` and `cc = ADDRESS` (each may repeat: the list the digest and conflict notes
/// go to), `review-wait = DAYS` (a series waiting longer gets a nudge; default 14). Each tree's
/// contacts are its `contact = ADDRESS` lines.
public struct NoticeSettings: Sendable, Hashable {
    public var from: String?
    public var to: [String] = []
    public var cc: [String] = []
    public var reviewWaitDays = 14

    public init() {}

    /// Whether `value` holds one address (`NAME <ADDRESS>` or a bare `ADDRESS`); a name may hold
    /// anything, the message writer quotes or encodes it.
    static func isMailbox(_ value: String) -> Bool {
        let address: Substring
        if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
            address = value[value.index(after: open)..<close]
        } else {
            address = Substring(value.trimmingCharacters(in: .whitespaces))
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !address.contains { $0.isWhitespace || $0 == "," || $0 == "<" || $0 == ">" }
    }

    /// Applies `key = value`; `here` names the file and line for errors.
    mutating func apply(key: String, value: String, here: String) throws(TributaryError) {
        if ["from", "to", "cc"].contains(key), !Self.isMailbox(value) {
            throw .badInput("\(here): notices.\(key) '\(TreeSource.escaped(value))' is not an address (NAME <ADDRESS>)")
        }
        switch key {
        case "from": from = value
        case "to": to.append(value)
        case "cc": cc.append(value)
        case "review-wait", "reviewwait":
            let words = value.split(separator: " ")
            guard let days = words.first.flatMap({ Int($0) }), days > 0,
                words.count == 1 || (words.count == 2 && ["day", "days"].contains(words[1].lowercased()))
            else {
                throw .badInput("\(here): notices.review-wait '\(value)' is not a number of days (14, or 14 days)")
            }
            reviewWaitDays = days
        default:
            let keys = ["from", "to", "cc", "review-wait"]
            throw .badInput(
                "\(here): unknown key notices.\(key)\(Spelling.suggestion(for: key, among: keys))"
                    + " (keys: \(keys.joined(separator: ", ")))")
        }
    }
}
