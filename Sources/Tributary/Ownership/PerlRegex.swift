import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A regular expression from an N: or K: line, compiled once with the ICU engine, which reads
/// the Perl syntax MAINTAINERS uses (`\b`, `(?:…)`, `(?i:…)`, classes). get_maintainer.pl applies
/// them with Perl's `/x` flag, so whitespace in the pattern is ignored (`allowCommentsAndWhitespace`).
final class PerlRegex: Sendable {
    // Immutable; NSRegularExpression is Sendable (and documented as safe to use from several
    // threads).
    private let regex: NSRegularExpression
    let pattern: String
    /// A string every match must contain, to skip most paths without running the regex.
    private let requiredLiteral: String?

    init(_ pattern: String) throws {
        self.pattern = pattern
        regex = try NSRegularExpression(pattern: pattern, options: [.allowCommentsAndWhitespace])
        requiredLiteral = Self.requiredLiteral(of: pattern)
        requiredBytes = requiredLiteral.map { Array($0.utf8) }
    }

    private let requiredBytes: [UInt8]?

    /// False when `text` lacks the literal every match must contain (so the regex cannot
    /// match); true when the regex has to be run to know.
    func mightMatch(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let requiredBytes, let first = requiredBytes.first else { return true }
        let count = requiredBytes.count
        guard text.count >= count else { return false }
        return requiredBytes.withUnsafeBufferPointer { needle in
            for start in 0...(text.count - count) where text[start] == first {
                if memcmp(text.baseAddress! + start, needle.baseAddress!, count) == 0 { return true }
            }
            return false
        }
    }

    /// Whether the regex matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        var bytes = text
        guard bytes.withUTF8({ mightMatch($0) }) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The longest run of plain characters that any match must contain; nil when the pattern
    /// has alternation, options, escapes or classes that make such a run uncertain.
    static func requiredLiteral(of pattern: String) -> String? {
        // Alternation, inline options, /x whitespace and comments make any run uncertain.
        if pattern.contains("|") || pattern.contains("(?") || pattern.contains(" ") || pattern.contains("#") {
            return nil
        }
        var best = ""
        var run = ""
        var depth = 0
        let characters = Array(pattern)
        var index = 0
        func endRun() {
            if run.count > best.count { best = run }
            run = ""
        }
        while index < characters.count {
            let character = characters[index]
            if character == "\\" && index + 1 < characters.count {
                let escaped = characters[index + 1]
                let next = index + 2 < characters.count ? characters[index + 2] : nil
                let quantified = next == "*" || next == "?" || next == "{" || next == "+"
                if depth == 0 && (escaped == "." || escaped == "-" || escaped == "/" || escaped == "_") && !quantified {
                    run.append(escaped)
                } else if escaped == "b" || escaped == "B" {
                    // A zero-width boundary: the runs on both sides still occur, but not joined.
                    endRun()
                } else {
                    endRun()
                }
                index += 2
                continue
            }
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
                endRun()
            }
            index += 1
        }
        endRun()
        return best.count >= 2 ? best : nil
    }
}
