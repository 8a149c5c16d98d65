import Foundation
import Git

/// The real data beside the project (`../shared/data`) and the kernel's reference scripts.
/// Tests that need them are skipped, with the reason shown, when they are absent.
enum SharedData {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `../shared/data`, when present.
    static var dataDirectory: URL? {
        let candidates = [
            ProcessInfo.processInfo.environment["TRIB_SHARED_DATA"].map { URL(fileURLWithPath: $0) },
            projectRoot.deletingLastPathComponent().appendingPathComponent("shared/data"),
        ]
        return candidates.compactMap { $0 }.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("linux-maintainers/MAINTAINERS").path)
        }
    }

    static var isAvailable: Bool { dataDirectory != nil }

    static var maintainersDirectory: URL? { dataDirectory?.appendingPathComponent("linux-maintainers") }

    /// The folder with get_maintainer.pl and checkpatch.pl, fetched by `../shared/tools/kernel-scripts`
    /// (from Debian's linux-source package) on first use; nil when that fails.
    static let kernelScripts: URL? = {
        guard let data = dataDirectory else { return nil }
        let tool = data.deletingLastPathComponent().appendingPathComponent("tools/kernel-scripts").path
        var arguments: [String] = []
        if let cache = ProcessInfo.processInfo.environment["TRIB_KERNEL_SCRIPTS"] { arguments.append(cache) }
        guard let result = try? Subprocess.run("bash", [tool] + arguments, timeout: 600), result.status == 0 else {
            return nil
        }
        let path = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.fileExists(atPath: path + "/get_maintainer.pl") ? URL(fileURLWithPath: path) : nil
    }()

    static var kernelScriptsAvailable: Bool { kernelScripts != nil }

    /// The messages of an mbox file, split at its `From ` separator lines.
    static func messages(inMbox url: URL) throws -> [String] {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        var messages: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("From "), current.isEmpty || current.last?.isEmpty == true {
                if !current.isEmpty { messages.append(current.joined(separator: "\n")) }
                current = [line]
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { messages.append(current.joined(separator: "\n")) }
        return messages
    }
}

/// get_maintainer.pl run through `ReferenceTools/get_maintainer_batch.pl`: MAINTAINERS is read
/// once and each query runs in a forked child, so thousands of queries take seconds.
struct GetMaintainerBatch {
    let directory: String
    var options: [String]
    /// The script to run; nil for the kernel's (../shared/tools/kernel-scripts).
    var script: String? = nil
    /// Variables set for the script (HOME, to keep a developer's own configuration out).
    var environment: [String: String] = [:]

    /// Runs every query (each a list of file arguments) and returns the output lines of each.
    /// The queries are shared among one harness process per core.
    func run(_ queries: [[String]]) throws -> [[String]] {
        guard script != nil || SharedData.kernelScripts != nil else { return [] }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
        let chunkSize = (queries.count + workers - 1) / max(workers, 1)
        let chunks = stride(from: 0, to: queries.count, by: max(chunkSize, 1)).map {
            Array(queries[$0..<min($0 + chunkSize, queries.count)])
        }
        let results = ResultBox(count: chunks.count)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
            results.set(index, Result { try runChunk(chunks[index]) })
        }
        return try results.values.flatMap { try $0!.get() }
    }

    private func runChunk(_ queries: [[String]]) throws -> [[String]] {
        let script = script ?? SharedData.kernelScripts!.appendingPathComponent("get_maintainer.pl").path
        let harness = SharedData.projectRoot.appendingPathComponent(
            "Tests/TributaryTests/ReferenceTools/get_maintainer_batch.pl"
        ).path
        let input = queries.map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"
        let result = try Subprocess.run(
            "perl", [harness, script] + options, in: directory, environment: environment,
            input: Data(input.utf8), timeout: 1200)
        guard result.status == 0 else { throw FixtureFailure("get_maintainer_batch.pl failed: \(result.errorOutput)") }
        var answers: [[String]] = [[]]
        for line in result.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "\u{1e}" {
                answers.append([])
            } else if !line.isEmpty {
                answers[answers.count - 1].append(String(line))
            }
        }
        answers.removeLast()
        return answers
    }
}

/// Results filled in by concurrent workers.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<[[String]], any Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<[[String]], any Error>) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
