public import Foundation

/// Runs the `git` program: used where git is measurably better than libgit2 (fetching, which
/// also uses the user's credential helpers and transports). Arguments are always passed as an
/// array, never through a shell, so untrusted text cannot become a command.
public struct GitProcess: Sendable {
    /// The outcome of one run.
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var errorOutput: String
        /// Whether the run was stopped because it took longer than its timeout.
        public var timedOut: Bool
    }

    /// An error starting git at all.
    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The `git` executable: `$TRIB_GIT` when set, otherwise `git` found on `PATH`.
    public var executable: String

    public init(executable: String? = nil) {
        self.executable = executable ?? ProcessInfo.processInfo.environment["TRIB_GIT"] ?? "git"
    }

    /// Runs `git ARGUMENTS` in `directory`, waiting at most `timeout` seconds (then it is
    /// terminated and `timedOut` is set).
    public func run(_ arguments: [String], in directory: String, timeout: TimeInterval = 600) throws -> Result {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw LaunchError(description: "cannot run \(executable): \(error.localizedDescription)")
        }
        let output = PipeReader(standardOutput.fileHandleForReading)
        let errors = PipeReader(standardError.fileHandleForReading)
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            finished.wait()
        }
        return Result(
            status: process.terminationStatus, output: output.text(), errorOutput: errors.text(), timedOut: timedOut)
    }
}

/// Reads a pipe to its end on a thread of its own, so that neither pipe can fill up and block.
private final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
