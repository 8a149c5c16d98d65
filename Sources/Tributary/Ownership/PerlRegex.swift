import Foundation

/// A regular expression from an N: or K: line, compiled once with the ICU engine, which reads
/// the Perl syntax MAINTAINERS uses (`\b`, `(?:…)`, `(?i:…)`, classes). get_maintainer.pl applies
/// them with Perl's `/x` flag, so whitespace in the pattern is ignored (`allowCommentsAndWhitespace`).
final class PerlRegex: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as safe to use from several threads.
    private let regex: NSRegularExpression
    let pattern: String
    /// A string every match must contain, to skip most paths without running the regex.
    private let requiredLiteral: String?

    init(_ pattern: String) throws {
        self.pattern = pattern
        regex = try NSRegularExpression(pattern: pattern, options: [.allowCommentsAndWhitespace])
        requiredLiteral = Self.requiredLiteral(of: pattern)
    }

    /// Whether the regex matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        if let requiredLiteral, !text.contains(requiredLiteral) { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The longest run of plain characters that any match must contain; nil when the pattern
    /// has alternation, options, escapes or classes that make such a run uncertain.
    static func requiredLiteral(of pattern: String) -> String? {
        if pattern.contains("|") || pattern.contains("(?") || pattern.contains("\\") || pattern.contains(" ")
            || pattern.contains("#")
        {
            return nil
        }
        var best = ""
        var run = ""
        var depth = 0
        let characters = Array(pattern)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if character == "[" { depth += 1 }
            if character == "]" { depth -= 1 }
            let plain =
                depth == 0
                && (character.isLetter || character.isNumber || character == "_" || character == "/" || character == "-"
                    || character == ",")
            if plain && !(next == "*" || next == "?" || next == "{" || next == "+") {
                run.append(character)
            } else {
                if run.count > best.count { best = run }
                run = ""
            }
            index += 1
        }
        if run.count > best.count { best = run }
        return best.count >= 2 ? best : nil
    }
}
