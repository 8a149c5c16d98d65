public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program and collects what it prints: the `git` program (see `GitProgram`), and in tests
/// `trib` itself. Arguments are always an array, never a shell string, so untrusted text cannot
/// become a command.
public enum Subprocess {
    /// What a run produced.
    public struct Result: Sendable {
        /// The exit status (or the signal that ended it).
        public var status: Int32
        public var output: Data
        public var errorOutput: String
        /// Whether the run was stopped because it outlived its timeout.
        public var timedOut: Bool

        /// Standard output as UTF-8 text (invalid bytes replaced).
        public var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// A failure to start the program at all.
    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments` in `directory`,
    /// with `environment` added to this process's environment, feeding `input` on standard input.
    /// After `timeout` seconds the program is terminated (SIGTERM, then SIGKILL two seconds later)
    /// and `timedOut` is set.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        in directory: String? = nil,
        environment: [String: String] = [:],
        input: Data? = nil,
        timeout: TimeInterval? = nil
    ) throws -> Result {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let standardOutput = Pipe()
        let standardError = Pipe()
        let standardInput = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = input == nil ? FileHandle.nullDevice : standardInput
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            // Foundation's Process.run() on Linux has crashed (in memcpy) when several threads
            // launch at once; launches are serialized, the programs still run in parallel.
            launchLock.lock()
            defer { launchLock.unlock() }
            try process.run()
        } catch {
            throw LaunchError(description: "cannot run \(executable): \(error.localizedDescription)")
        }
        // Write and read on threads of their own, so that no pipe can fill up and block.
        if let input {
            Thread {
                standardInput.fileHandleForWriting.write(input)
                try? standardInput.fileHandleForWriting.close()
            }.start()
        }
        let output = PipeReader(standardOutput.fileHandleForReading)
        let errors = PipeReader(standardError.fileHandleForReading)
        var timedOut = false
        if let timeout {
            if finished.wait(timeout: .now() + timeout) == .timedOut {
                timedOut = true
                process.terminate()
                // A child started from a thread that blocks signals (as dispatch's threads do)
                // inherits the block and ignores SIGTERM; SIGKILL cannot be blocked.
                if finished.wait(timeout: .now() + 2) == .timedOut {
                    kill(process.processIdentifier, SIGKILL)
                    finished.wait()
                }
            }
        } else {
            finished.wait()
        }
        return Result(
            status: process.terminationStatus, output: output.data(),
            errorOutput: String(decoding: errors.data(), as: UTF8.self), timedOut: timedOut)
    }
}

/// Serializes `Process.run()` calls (see `Subprocess.run`).
private let launchLock = NSLock()

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: @unchecked Sendable {
    private var collected = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.collected = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func data() -> Data {
        done.wait()
        return collected
    }
}
