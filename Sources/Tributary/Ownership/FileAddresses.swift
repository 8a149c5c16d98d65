/// The people a file names itself, as get_maintainer.pl finds them in YAML files (a
/// devicetree binding's `maintainers:` list) and, with `--file-emails`, in any file: its
/// `maintainers_in_file` and `clean_file_emails`, on the file's bytes as the script reads them.
///
/// The script's address regex is
/// `[A-Za-zÀ-ÿ"' ,.+-]*\s*,*\s*[(<{]?[A-Za-z0-9_.+-]+@[A-Za-z0-9.-]+\.[A-Za-z0-9]+[)>}]?`, which
/// Perl, reading the script as bytes, takes with `À-ÿ` as the bytes 0x80–0xC3; each match is
/// then cut to a name of two or three words.
public enum FileAddresses {
    /// The people named in `text`, in order, as `Name <address>` would be formatted.
    public static func people(in text: [UInt8]) -> [MaintainerAddress] {
        matches(in: text).compactMap { cleaned(Array(text[$0])) }
    }

    /// Whether the script reads `path` for addresses: a `.yaml` file, or any file with
    /// `--file-emails`; never a MAINTAINERS file.
    static func isRead(_ path: String, fileEmails: Bool) -> Bool {
        if path == "MAINTAINERS" || path.hasSuffix("/MAINTAINERS") { return false }
        return fileEmails || path.hasSuffix(".yaml")
    }

    // MARK: The regex, leftmost-first and greedy, as m//g finds its matches.

    private static func isName(_ byte: UInt8) -> Bool {
        isLetter(byte) || (0x80...0xC3).contains(byte) || byte == 0x22 || byte == 0x27 || byte == 0x20
            || byte == 0x2C || byte == 0x2E || byte == 0x2B || byte == 0x2D
    }
    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || (0x30...0x39).contains(byte) }
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
    private static func isOpening(_ byte: UInt8) -> Bool { byte == 0x28 || byte == 0x3C || byte == 0x7B }
    private static func isClosing(_ byte: UInt8) -> Bool { byte == 0x29 || byte == 0x3E || byte == 0x7D }
    private static func isLocal(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == 0x5F || byte == 0x2E || byte == 0x2B || byte == 0x2D
    }
    private static func isDomain(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == 0x2E || byte == 0x2D }

    /// The ranges of the successive matches.
    static func matches(in text: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var position = 0
        var at = text.firstIndex(of: 0x40) ?? text.endIndex
        while at < text.count {
            if at > position, let end = domainEnd(text, after: at), let start = start(text, from: position, at: at) {
                found.append(start..<end)
                position = end
                at = text[position...].firstIndex(of: 0x40) ?? text.endIndex
                continue
            }
            at = text[(at + 1)...].firstIndex(of: 0x40) ?? text.endIndex
        }
        return found
    }

    /// `[A-Za-z0-9.-]+\.[A-Za-z0-9]+[)>}]?` after the `@` at `at`: where it ends, or nil.
    private static func domainEnd(_ text: [UInt8], after at: Int) -> Int? {
        var runEnd = at + 1
        while runEnd < text.count, isDomain(text[runEnd]) { runEnd += 1 }
        // The longest run that leaves a `.` followed by a letter or digit.
        var dot = runEnd - 1
        while dot > at + 1 {
            if text[dot] == 0x2E, dot + 1 < text.count, isAlphanumeric(text[dot + 1]) {
                var end = dot + 1
                while end < text.count, isAlphanumeric(text[end]) { end += 1 }
                if end < text.count, isClosing(text[end]) { end += 1 }
                return end
            }
            dot -= 1
        }
        return nil
    }

    /// The first position from `position` where `[name]* \s* ,* \s* [(<{]? [local]+` ends at `at`.
    private static func start(_ text: [UInt8], from position: Int, at: Int) -> Int? {
        var runStart = at
        while runStart > position,
            case let byte = text[runStart - 1],
            isName(byte) || isSpace(byte) || isOpening(byte) || isLocal(byte)
        {
            runStart -= 1
        }
        for candidate in runStart..<at where prefixMatches(text, candidate..<at) { return candidate }
        return nil
    }

    /// Runs the prefix part of the regex as a set of states: 0 name run, 1 first spaces,
    /// 2 commas, 3 second spaces, 4 after the opening bracket, 5 in the local part.
    private static func prefixMatches(_ text: [UInt8], _ range: Range<Int>) -> Bool {
        var states: UInt8 = 0b1111  // 0, and what it reaches without a byte: 1, 2, 3
        for index in range {
            let byte = text[index]
            var next: UInt8 = 0
            if states & 0b1 != 0, isName(byte) { next |= 0b1111 }
            if states & 0b10 != 0, isSpace(byte) { next |= 0b1110 }
            if states & 0b100 != 0, byte == 0x2C { next |= 0b1100 }
            if states & 0b1000 != 0, isSpace(byte) { next |= 0b1000 }
            if states & 0b1111 != 0, isOpening(byte) { next |= 0b10000 }
            if states & 0b111111 != 0, isLocal(byte) { next |= 0b100000 }
            states = next
            if states == 0 { return false }
        }
        return states & 0b100000 != 0
    }

    // MARK: clean_file_emails

    /// One match cut down as the script does: the address put in `<>`, the name parsed, cut to
    /// its last two or three words, and stripped of a leading or trailing `,` or `.`.
    static func cleaned(_ match: [UInt8]) -> MaintainerAddress? {
        guard let at = match.firstIndex(of: 0x40) else { return nil }
        var localStart = at
        while localStart > 0, isLocal(match[localStart - 1]) { localStart -= 1 }
        var domainEnd = at + 1
        while domainEnd < match.count, isDomain(match[domainEnd]) { domainEnd += 1 }
        guard localStart < at, domainEnd > at + 1 else { return nil }
        let start = localStart > 0 && isOpening(match[localStart - 1]) ? localStart - 1 : localStart
        // parse_email on the rewritten text, on bytes: a name cut inside a UTF-8 character stays
        // as the script has it until the very end.
        var name = trimmedBytes(Array(match[..<start]))
        if name.first == 0x22 { name.removeFirst() }
        if name.last == 0x22 { name.removeLast() }
        name = quotedIfNeeded(name)
        let address = String(decoding: match[localStart..<domainEnd], as: UTF8.self)
        if name == Array("\"[,\\.]\"".utf8) { name = [] }
        let words = splitWords(name)
        if words.count > 2 {
            let (first, middle, last) = (words[words.count - 3], words[words.count - 2], words[words.count - 1])
            let initial: ([UInt8]) -> Bool = { word in
                word.count == 1 && isLetter(word[0]) || word.count == 2 && word[1] == 0x2E
            }
            let middleInitial = middle.count == 1 || middle.count == 2 && middle[1] == 0x2E
            name = initial(first) || middleInitial ? first + [0x20] + middle + [0x20] + last : middle + [0x20] + last
        }
        let isComma: (UInt8) -> Bool = { $0 == 0x2C || $0 == 0x2E }
        if let last = name.last, isComma(last) {
            name.removeLast()
        } else if name.count >= 2, name[name.count - 1] == 0x22, isComma(name[name.count - 2]) {
            name.removeLast(2)
            name.append(0x22)
        }
        if let first = name.first, isComma(first) {
            name.removeFirst()
        } else if name.count >= 2, name[0] == 0x22, isComma(name[1]) {
            name.removeFirst(2)
            name.insert(0x22, at: 0)
        }
        return MaintainerAddress(name: String(decoding: name, as: UTF8.self), address: address)
    }

    private static func trimmedBytes(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return Array(bytes[first...last])
    }

    /// `format_email`'s quoting: a name with a byte other than `[A-Za-z0-9_ -]` is put in quotes,
    /// its unescaped quotes escaped.
    private static func quotedIfNeeded(_ name: [UInt8]) -> [UInt8] {
        guard name.contains(where: { !(isAlphanumeric($0) || $0 == 0x5F || $0 == 0x20 || $0 == 0x2D) }) else {
            return name
        }
        var quoted: [UInt8] = [0x22]
        for (index, byte) in name.enumerated() {
            if byte == 0x22 && (index == 0 || name[index - 1] != 0x5C) { quoted.append(0x5C) }
            quoted.append(byte)
        }
        return quoted + [0x22]
    }

    /// Perl's `split(/[^A-Za-zÀ-ÿ\'\,\.\+-]/, $name)`: empty fields kept but trailing ones.
    private static func splitWords(_ name: [UInt8]) -> [[UInt8]] {
        let isWordByte: (UInt8) -> Bool = { byte in
            isLetter(byte) || (0x80...0xC3).contains(byte) || byte == 0x27 || byte == 0x2C || byte == 0x2E
                || byte == 0x2B || byte == 0x2D
        }
        var words = name.split(omittingEmptySubsequences: false) { !isWordByte($0) }.map(Array.init)
        while let last = words.last, last.isEmpty { words.removeLast() }
        return words
    }
}
