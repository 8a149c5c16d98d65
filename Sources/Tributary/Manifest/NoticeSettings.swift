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

    /// Applies `key = value`; `here` names the file and line for errors.
    mutating func apply(key: String, value: String, here: String) throws(TributaryError) {
        switch key {
        case "from": from = value
        case "to": to.append(value)
        case "cc": cc.append(value)
        case "review-wait", "reviewwait":
            let number = value.split(separator: " ").first.flatMap { Int($0) }
            guard let days = number, days > 0, value.split(separator: " ").count <= 2 else {
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
