import Foundation
public import Git

/// Imports a public-inbox v2 archive (what lore publishes: `INBOX/git/0.git`, `1.git`, … — each
/// epoch a git repository whose every commit holds one message as the file `m`, or removes one),
/// or a single epoch repository, into the `MailArchive`. It remembers, per epoch, the last commit
/// imported, and imports only what came after: the messages of each batch go into one mbox file
/// (named by its content, written through a rename) before the epoch's position moves past
/// them, so an import killed at any point loses nothing, and the next one imports the batch
/// again as the same file — which is already there.
public struct PublicInboxImport {
    public let archive: MailArchive
    public let git: GitProgram
    /// Messages per mbox file (memory holds one batch at a time).
    public var batchSize: Int
    private let stateFile: String

    public init(repository: Repository, git: GitProgram = GitProgram(), batchSize: Int = 2_000) throws {
        archive = try MailArchive(repository: repository)
        self.git = git
        self.batchSize = max(1, batchSize)
        stateFile = try StateDirectory.ensure(for: repository) + "/public-inbox.json"
    }

    /// What one import did.
    public struct Result: Sendable {
        /// The epochs read, in order.
        public var epochs: [String]
        /// Messages imported now (new since the last import).
        public var messages: Int
        /// Commits that hold no message now: removals (public-inbox's deletions), and the
        /// messages they removed, which are not imported (one imported before it was removed
        /// stays).
        public var removed: Int
        public var files: Int
    }

    /// The epoch repositories of `directory`: its `git/N.git` in numeric order, or the directory
    /// itself when it is a git repository.
    public static func epochs(of directory: String) throws -> [String] {
        let inbox = directory + "/git"
        if let names = try? FileManager.default.contentsOfDirectory(atPath: inbox) {
            let epochs = names.compactMap { name -> (Int, String)? in
                guard name.hasSuffix(".git"), let number = Int(name.dropLast(4)) else { return nil }
                return (number, inbox + "/" + name)
            }
            if !epochs.isEmpty { return epochs.sorted { $0.0 < $1.0 }.map(\.1) }
        }
        guard (try? Repository(at: directory)) != nil else {
            throw TributaryError.badInput(
                "\(directory) is neither a public-inbox v2 archive (git/0.git, …) nor a git repository")
        }
        return [directory]
    }

    /// Imports what is new in every epoch of `directory`; `progress` hears of each batch.
    public func importArchive(_ directory: String, progress: (String) -> Void = { _ in }) throws -> Result {
        let epochs = try Self.epochs(of: directory)
        var state = readState()
        var result = Result(epochs: epochs, messages: 0, removed: 0, files: 0)
        for epoch in epochs {
            let root = try output(["rev-list", "--max-parents=0", "HEAD"], in: epoch).split(separator: "\n").last
                .map(String.init)
            guard let root else { continue }
            let last = state[root]
            let range = last.map { ["\($0)..HEAD"] } ?? ["HEAD"]
            // Each commit and the blob it leaves at `m` (none when it removes the message).
            let log = try output(
                [
                    "log", "--reverse", "--first-parent", "--root", "--no-renames", "--format=%x01%H", "--raw",
                    "--no-abbrev",
                ]
                    + range, in: epoch)
            var commits: [(commit: String, blob: String?)] = []
            // A removal leaves the removed message at `d`: one removed later is not imported.
            var removed = Set<String>()
            for record in log.split(separator: "\u{1}") {
                let lines = record.split(separator: "\n")
                guard let commit = lines.first.map(String.init) else { continue }
                var blob: String?
                for line in lines.dropFirst() where line.hasSuffix("\tm") || line.hasSuffix("\td") {
                    let fields = line.split(separator: " ")
                    guard fields.count >= 5, !fields[4].hasPrefix("D") else { continue }
                    if line.hasSuffix("\tm") { blob = String(fields[3]) } else { removed.insert(String(fields[3])) }
                }
                commits.append((commit, blob))
            }
            commits = commits.map { ($0.commit, $0.blob.flatMap { removed.contains($0) ? nil : $0 }) }
            for start in stride(from: 0, to: commits.count, by: batchSize) {
                let batch = Array(commits[start..<min(start + batchSize, commits.count)])
                let blobs = batch.compactMap(\.blob)
                result.removed += batch.count - blobs.count
                if !blobs.isEmpty {
                    let messages = try contents(of: blobs, in: epoch)
                    _ = try archive.importMessages(messages)
                    result.messages += messages.count
                    result.files += 1
                }
                state[root] = batch.last!.commit
                try writeState(state)
                progress("\(epoch): \(min(start + batchSize, commits.count)) of \(commits.count) new commits")
            }
        }
        return result
    }

    /// The blobs' contents, read by one `git cat-file --batch`.
    private func contents(of blobs: [String], in epoch: String) throws -> [[UInt8]] {
        let run = try git.run(
            ["--git-dir=\(epoch)", "cat-file", "--batch"], in: epoch,
            input: Data((blobs.joined(separator: "\n") + "\n").utf8))
        guard run.status == 0 else {
            throw TributaryError.environment("git cat-file in \(epoch) exited with \(run.status): \(run.errorOutput)")
        }
        var messages: [[UInt8]] = []
        messages.reserveCapacity(blobs.count)
        try run.output.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var position = 0
            while position < bytes.count {
                // `<id> blob <size>\n<content>\n`
                guard let newline = bytes[position...].firstIndex(of: 0x0A) else { break }
                let header = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<newline]), as: UTF8.self)
                let fields = header.split(separator: " ")
                guard fields.count == 3, fields[1] == "blob", let size = Int(fields[2]),
                    newline + 1 + size <= bytes.count
                else {
                    throw TributaryError.environment("git cat-file in \(epoch): unexpected '\(header)'")
                }
                messages.append(Array(UnsafeBufferPointer(rebasing: bytes[(newline + 1)..<(newline + 1 + size)])))
                position = newline + 1 + size + 1
            }
        }
        guard messages.count == blobs.count else {
            throw TributaryError.environment(
                "git cat-file in \(epoch) gave \(messages.count) of \(blobs.count) messages")
        }
        return messages
    }

    private func output(_ arguments: [String], in epoch: String) throws -> String {
        let run = try git.run(["--git-dir=\(epoch)"] + arguments, in: epoch)
        guard run.status == 0 else {
            throw TributaryError.environment(
                "git \(arguments.first ?? "") in \(epoch) exited with \(run.status): \(run.errorOutput)")
        }
        return String(decoding: run.output, as: UTF8.self)
    }

    /// Each epoch's last imported commit, by the epoch's root commit (its identity wherever the
    /// archive lives).
    private func readState() -> [String: String] {
        guard let data = FileManager.default.contents(atPath: stateFile),
            let state = try? JSONDecoder().decode([String: String].self, from: data)
        else { return [:] }
        return state
    }

    private func writeState(_ state: [String: String]) throws {
        try DurableFile.write(try JSONEncoder().encode(state), to: stateFile)
    }
}
