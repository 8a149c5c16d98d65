import Foundation
import Git

/// Every verify run kept, by command (name and text) and tree: `GIT_DIR/tributary/verify/results.json`.
/// A tree's result is the same whatever commit or plan it came from, so a rerun with nothing new
/// runs nothing. Written whole after each run (`DurableFile`), so a killed verify keeps what ran.
final class VerifyResults: @unchecked Sendable {
    struct Stored: Codable {
        var schema = "tributary.verify-results/1"
        /// Command fingerprint → tree id → run.
        var results: [String: [String: VerifyRun]] = [:]
    }

    let path: String
    private var stored: Stored
    private let lock = NSLock()

    init(repository: Repository) throws {
        path = ScratchWorkTree.root(for: repository) + "/results.json"
        if let data = FileManager.default.contents(atPath: path) {
            do {
                stored = try JSONDecoder().decode(Stored.self, from: data)
            } catch {
                throw TributaryError.environment("\(path): unreadable (\(error)); remove it to start afresh")
            }
        } else {
            stored = Stored()
        }
    }

    func result(of command: VerificationCommand, on tree: ObjectID) -> VerifyRun? {
        lock.withLock { stored.results[command.fingerprint]?[tree.hex] }
    }

    func record(_ run: VerifyRun, of command: VerificationCommand) throws {
        let data: Data = try lock.withLock {
            stored.results[command.fingerprint, default: [:]][run.tree.hex] = run
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return try encoder.encode(stored)
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try DurableFile.write(data, to: path)
    }
}
