import Foundation
public import Git

/// Imports a maildir (what `lei q -o DIR` and most mail programs write: one message per file in
/// `new/` and `cur/`) into the `MailArchive`. It remembers, per maildir, the messages imported,
/// by their unique name (the file name before `:2,FLAGS`, which a mail program changes as it
/// reads or flags a message and moves it from `new/` to `cur/`), and imports only new ones: each
/// batch goes into one mbox file (named by its content, written through a rename) before the
/// names are recorded, so an import killed at any point loses nothing.
public struct MaildirImport {
    public let archive: MailArchive
    /// Messages per mbox file (memory holds one batch at a time).
    public var batchSize: Int
    private let stateFile: String

    public init(repository: Repository, batchSize: Int = 2_000) throws {
        archive = try MailArchive(repository: repository)
        self.batchSize = max(1, batchSize)
        stateFile = try StateDirectory.ensure(for: repository) + "/maildir.json"
    }

    /// What one import did.
    public struct Result: Sendable, Hashable {
        /// Messages imported now (new since the last import).
        public var messages: Int
        /// Messages imported before and still there.
        public var known: Int
        public var files: Int

        public init(messages: Int, known: Int, files: Int) {
            self.messages = messages
            self.known = known
            self.files = files
        }
    }

    /// The unique name of a maildir file: its name before the `:2,` info (or `;2,` where `:` is
    /// not allowed in file names).
    static func uniqueName(_ file: String) -> String {
        for separator in [":2,", ";2,", "!2,"] {
            if let range = file.range(of: separator) { return String(file[..<range.lowerBound]) }
        }
        return file
    }

    /// Imports the messages of `directory` not imported before, oldest name first (maildir
    /// names start with the delivery time); `progress` hears of each batch.
    public func importMaildir(_ directory: String, progress: (String) -> Void = { _ in }) throws -> Result {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        let parts = ["new", "cur"].filter {
            fileManager.fileExists(atPath: directory + "/" + $0, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        guard !parts.isEmpty else {
            throw TributaryError.badInput("\(directory) is not a maildir (it has neither new/ nor cur/)")
        }
        var files: [(name: String, path: String)] = []
        for part in parts {
            for file in try fileManager.contentsOfDirectory(atPath: directory + "/" + part) where !file.hasPrefix(".") {
                files.append((Self.uniqueName(file), directory + "/" + part + "/" + file))
            }
        }
        files.sort { $0.name < $1.name }
        let key = URL(fileURLWithPath: directory).standardizedFileURL.path
        var state = readState()
        var imported = Set(state[key] ?? [])
        let fresh = files.filter { !imported.contains($0.name) }
        var result = Result(messages: 0, known: files.count - fresh.count, files: 0)
        for start in stride(from: 0, to: fresh.count, by: batchSize) {
            let batch = fresh[start..<min(start + batchSize, fresh.count)]
            // A file that went away meanwhile (a mail program moved it to cur/) is not recorded:
            // the next import finds it under its new name.
            let read = batch.compactMap { file in fileManager.contents(atPath: file.path).map { (file.name, Array($0)) }
            }
            let messages = read.map(\.1)
            if !messages.isEmpty {
                let stored = try archive.importMessages(messages)
                if !stored.known { result.files += 1 }
            }
            for (name, _) in read { imported.insert(name) }
            state[key] = imported.sorted()
            try writeState(state)
            result.messages += messages.count
            progress("\(directory): \(start + batch.count) of \(fresh.count) new messages")
        }
        return result
    }

    private func readState() -> [String: [String]] {
        guard let data = FileManager.default.contents(atPath: stateFile),
            let state = try? JSONDecoder().decode([String: [String]].self, from: data)
        else { return [:] }
        return state
    }

    private func writeState(_ state: [String: [String]]) throws {
        try DurableFile.write(try JSONEncoder().encode(state), to: stateFile)
    }
}
