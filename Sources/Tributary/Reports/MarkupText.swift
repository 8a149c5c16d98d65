/// Escaping for HTML, SVG and XML. Every piece of text that comes from a repository, a manifest
/// or mail — subjects, names, paths, tree names — goes through `escape` before it is written into
/// a page or a JUnit file, in element content and in attribute values alike (all five characters
/// that can change the meaning of markup are replaced, so a value cannot leave its quotes).
public enum MarkupText {
    /// `text` with `& < > " '` as references, tab, newline and carriage return kept, and the other
    /// control characters (which XML 1.0 forbids and HTML does not allow) and U+FFFE/U+FFFF
    /// replaced by `replacement`.
    public static func escape(_ text: String, replacingControlsWith replacement: String = " ") -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value) {
                    result += replacement
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
