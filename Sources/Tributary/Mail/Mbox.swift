/// An mbox file split into its messages: each starts at a line beginning `From ` (at the start
/// of the file or after a line break). In the mboxrd variant (what public-inbox and b4 write),
/// a body line that began with one or more `>` and then `From ` had one `>` added, which is taken
/// off again; in the older mboxo variant only `>From ` lines were quoted, and they are ambiguous,
/// so they are left as they are.
public enum Mbox {
    public enum Format: Sendable {
        case mboxrd
        case mboxo
    }

    /// One message as it sits in the file.
    public struct RawMessage: Sendable {
        /// The byte offset of its `From ` line in the file.
        public var offset: Int
        /// The message (headers and body), without the `From ` line, unquoted.
        public var bytes: [UInt8]
    }

    /// The messages of `file`. Text before the first `From ` line is not a message and is
    /// skipped; a file with no `From ` line at all is taken as one message (a single `.eml`).
    public static func messages(in file: [UInt8], format: Format = .mboxrd) -> [RawMessage] {
        var starts: [Int] = []
        var lineStart = 0
        while lineStart < file.count {
            if isFromLine(file, at: lineStart) { starts.append(lineStart) }
            guard let newline = file[lineStart...].firstIndex(of: 0x0A) else { break }
            lineStart = newline + 1
        }
        if starts.isEmpty { return file.isEmpty ? [] : [RawMessage(offset: 0, bytes: file)] }
        var messages: [RawMessage] = []
        for (position, start) in starts.enumerated() {
            let end = position + 1 < starts.count ? starts[position + 1] : file.count
            let bodyStart = file[start..<end].firstIndex(of: 0x0A).map { $0 + 1 } ?? end
            var bytes = Array(file[bodyStart..<end])
            if format == .mboxrd { bytes = unquote(bytes) }
            messages.append(RawMessage(offset: start, bytes: bytes))
        }
        return messages
    }

    static func isFromLine(_ bytes: [UInt8], at index: Int) -> Bool {
        index + 5 <= bytes.count && bytes[index] == 0x46 && bytes[index + 1] == 0x72 && bytes[index + 2] == 0x6F
            && bytes[index + 3] == 0x6D && bytes[index + 4] == 0x20
    }

    /// mboxrd: `>From `, `>>From `, … lose one `>`.
    static func unquote(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var atLineStart = true
        var index = 0
        while index < bytes.count {
            if atLineStart && bytes[index] == 0x3E {
                var probe = index
                while probe < bytes.count && bytes[probe] == 0x3E { probe += 1 }
                if isFromLine(bytes, at: probe) { index += 1 }
            }
            let byte = bytes[index]
            output.append(byte)
            atLineStart = byte == 0x0A
            index += 1
        }
        return output
    }
}
