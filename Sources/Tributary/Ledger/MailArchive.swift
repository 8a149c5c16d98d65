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
        let name = ObjectID(hashingBytes: bytes).hex + ".mbox"
        let target = directory + "/" + name
        let known = FileManager.default.fileExists(atPath: target)
        if !known {
            let temporary = target + ".tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw TributaryError.environment("cannot write \(temporary)")
            }
            guard rename(temporary, target) == 0 else { throw TributaryError.environment("cannot store \(target)") }
        }
        return ImportResult(file: path, messages: raw.count, known: known, warnings: warnings)
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

#if canImport(Glibc)
    import Glibc
#endif
