/// Escaping for HTML and SVG. Every piece of text that comes from a repository, a manifest or
/// mail — subjects, names, paths, tree names — goes through `escape` before it is written into
/// a page, in element content and in attribute values alike (all five characters that can
/// change the meaning of markup are replaced, so a value cannot leave its quotes).
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in HTML text.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" || scalar.value == 0x7F {
                    result += " "
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
