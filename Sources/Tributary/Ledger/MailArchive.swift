import Foundation
public import Git

/// The imported mail: each imported mbox is kept as it was, under `GIT_DIR/tributary/mail/`,
/// named by the SHA-1 of its content (importing it twice keeps one copy). It is the ledger's
/// source of truth for what was posted; everything else is derived from it and the repository.
public struct MailArchive {
    public let directory: String

    public init(repository: Repository) throws {
        directory = try StateDirectory.ensure(for: repository) + "/mail"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// What importing one file found.
    public struct ImportResult: Sendable {
        public var file: String
        public var messages: Int
        /// Whether the same content was imported before.
        public var known: Bool
        /// `offset: problem` for each message read with problems.
        public var warnings: [String]
    }

    /// Imports an mbox file (written through a temporary file and a rename).
    public func importFile(_ path: String) throws -> ImportResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TributaryError.badInput("cannot read \(path)")
        }
        let bytes = Array(data)
        let raw = Mbox.messages(in: bytes)
        var warnings: [String] = []
        for message in raw {
            let parsed = MailMessage(message.bytes)
            for warning in parsed.warnings { warnings.append("\(path): message at byte \(message.offset): \(warning)") }
        }
        let known = try store(bytes).known
        return ImportResult(file: path, messages: raw.count, known: known, warnings: warnings)
    }

    /// Imports `messages` (each an RFC 5322 message, as a public-inbox archive keeps them) as one
    /// mboxrd file, named by its content like an imported mbox: `>From ` lines quoted once more,
    /// each message after a `From ` line and followed by a blank line.
    public func importMessages(_ messages: [[UInt8]]) throws -> ImportResult {
        var mbox: [UInt8] = []
        mbox.reserveCapacity(messages.reduce(0) { $0 + $1.count + 64 })
        let separator = Array("From mboxrd@z Thu Jan  1 00:00:00 1970\n".utf8)
        for message in messages {
            mbox += separator
            var lineStart = true
            var index = 0
            while index < message.count {
                if lineStart {
                    // `From ` after any number of `>`: one more `>`.
                    var probe = index
                    while probe < message.count && message[probe] == UInt8(ascii: ">") { probe += 1 }
                    if message[probe...].starts(with: "From ".utf8) { mbox.append(UInt8(ascii: ">")) }
                }
                let byte = message[index]
                mbox.append(byte)
                lineStart = byte == 0x0A
                index += 1
            }
            if message.last != 0x0A { mbox.append(0x0A) }
            mbox.append(0x0A)
        }
        let (target, known) = try store(mbox)
        return ImportResult(file: target, messages: messages.count, known: known, warnings: [])
    }

    /// Keeps `mbox` under the name of its content (`DurableFile`: synced before it is renamed into
    /// place, so a file of that name is never a half-written one after a crash); `known` when that
    /// content was there already.
    private func store(_ mbox: [UInt8]) throws -> (target: String, known: Bool) {
        let target = directory + "/" + ObjectID(hashingBytes: mbox).hex + ".mbox"
        if FileManager.default.fileExists(atPath: target) { return (target, true) }
        try DurableFile.write(Data(mbox), to: target)
        return (target, false)
    }

    /// Every imported message, each Message-ID once (the first copy read).
    public func messages() throws -> [MailMessage] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mbox") }
            .sorted()
        var seen = Set<String>()
        var messages: [MailMessage] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            for raw in Mbox.messages(in: Array(data)) {
                let message = MailMessage(raw.bytes)
                if let id = message.messageID, !seen.insert(id).inserted { continue }
                messages.append(message)
            }
        }
        return messages
    }
}
