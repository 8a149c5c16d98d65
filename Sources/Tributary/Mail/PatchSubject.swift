/// A patch mail's subject taken apart as b4 and patchwork read it: `Re:`, then bracketed
/// prefixes such as `[PATCH v3 02/07]`, `[RFC PATCH net-next v2 1/3]` or `[PATCH RESEND]`.
public struct PatchSubject: Sendable, Hashable {
    /// Whether it is a reply (`Re:`, `Aw:`, `Fwd:`).
    public var isReply: Bool
    /// Whether a prefix says PATCH (or RFC, which posts patches too).
    public var isPatch: Bool
    /// The version (`v3`), 1 when none is given.
    public var version: Int
    /// Whether the subject gives a version.
    public var hasVersion: Bool
    /// The position in the series (`2` of `2/7`); nil for a single patch.
    public var counter: Int?
    /// The number of patches (`7` of `2/7`); nil for a single patch.
    public var total: Int?
    public var isRFC: Bool
    public var isResend: Bool
    /// The subject without replies and prefixes.
    public var text: String

    public init(_ subject: String) {
        var rest = Substring(subject).trimmingCharacters(in: .whitespaces)[...]
        isReply = false
        while true {
            let lower = rest.lowercased()
            if let prefix = ["re:", "aw:", "fwd:", "fw:", "sv:"].first(where: { lower.hasPrefix($0) }) {
                isReply = true
                rest = rest.dropFirst(prefix.count).drop { $0 == " " }
                continue
            }
            break
        }
        isPatch = false
        version = 1
        hasVersion = false
        counter = nil
        total = nil
        isRFC = false
        isResend = false
        while rest.first == "[", let close = rest.firstIndex(of: "]") {
            let inside = rest[rest.index(after: rest.startIndex)..<close]
            let words = inside.split(whereSeparator: { $0 == " " || $0 == "," })
            for (position, word) in words.enumerated() {
                let upper = word.uppercased()
                if upper == "PATCH" || upper.hasSuffix("PATCH") { isPatch = true }
                if upper == "RFC" {
                    isRFC = true
                    isPatch = true
                }
                if upper == "RESEND" { isResend = true }
                if upper.first == "V", let number = Int(upper.dropFirst()) {
                    version = number
                    hasVersion = true
                }
                // `2/7`, and `3/n` (a count not known yet).
                let fraction = word.split(separator: "/")
                if fraction.count == 2, let number = Int(fraction[0]) {
                    counter = number
                    total = Int(fraction[1])
                }
                // Mercurial's `2 of 7`.
                if upper == "OF", position > 0, position + 1 < words.count, let number = Int(words[position - 1]),
                    let count = Int(words[position + 1])
                {
                    counter = number
                    total = count
                }
            }
            rest = rest[rest.index(after: close)...].drop { $0 == " " }
            while rest.lowercased().hasPrefix("re:") {
                isReply = true
                rest = rest.dropFirst(3).drop { $0 == " " }
            }
        }
        text = String(rest).trimmingCharacters(in: .whitespaces)
    }

    /// Whether it is a cover letter (`0/N`).
    public var isCover: Bool { counter == 0 }
}
