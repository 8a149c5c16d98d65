public import Foundation

/// Runs the `git` program, for differential tests and for set-up that libgit2 does not do.
/// Arguments are passed as an array, never through a shell.
public struct GitProgram: Sendable {
    /// The directory git runs in (`git -C`).
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// The result of one run.
    public struct Output: Sendable {
        public var status: Int32
        public var standardOutput: Data
        public var standardError: String
        public var text: String { String(decoding: standardOutput, as: UTF8.self) }
    }

    /// Runs `git ARGUMENTS` with `input` on standard input; does not throw on a non-zero exit.
    public func run(_ arguments: [String], input: Data? = nil) throws -> Output {
        try Self.run(arguments, in: directory, input: input)
    }

    /// Runs `git ARGUMENTS` and returns its standard output; throws when it exits non-zero.
    @discardableResult
    public func callAsFunction(_ arguments: String...) throws -> String {
        try callAsFunction(arguments)
    }

    /// Runs `git ARGUMENTS` and returns its standard output; throws when it exits non-zero.
    @discardableResult
    public func callAsFunction(_ arguments: [String]) throws -> String {
        let output = try run(arguments)
        guard output.status == 0 else {
            throw FixtureError(
                "git \(arguments.joined(separator: " ")) failed (\(output.status)): \(output.standardError)")
        }
        return output.text
    }

    /// Runs git in `directory` with a fixed identity and no user or system configuration, so that
    /// results do not depend on the machine.
    public static func run(_ arguments: [String], in directory: String, input: Data? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_AUTHOR_NAME"] = "Fixture Author"
        environment["GIT_AUTHOR_EMAIL"] = "author@example.org"
        environment["GIT_COMMITTER_NAME"] = "Fixture Committer"
        environment["GIT_COMMITTER_EMAIL"] = "committer@example.org"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        // Feed and drain concurrently so that large inputs and outputs cannot deadlock.
        let writer = Thread {
            if let input { stdin.fileHandleForWriting.write(input) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errorData = ErrorCollector(handle: stderr.fileHandleForReading)
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, standardOutput: data, standardError: errorData.finish())
    }
}

/// Reads a pipe to its end on another thread.
private final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func finish() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A failure while building a fixture.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
