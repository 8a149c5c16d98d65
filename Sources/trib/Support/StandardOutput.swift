import Foundation

/// Buffered writing to standard output, for commands that print many lines.
struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func line(_ text: String) { write(text + "\n") }

    /// Writes `bytes`; a large piece goes out as it is, without a copy into the buffer.
    mutating func write(bytes: [UInt8]) {
        guard bytes.count >= 1 << 16 else {
            buffer += bytes
            if buffer.count >= 1 << 16 { flush() }
            return
        }
        flush()
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(1, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
