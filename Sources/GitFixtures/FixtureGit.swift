public import Foundation
public import Git

/// Runs the `git` program in a fixture, for differential tests and for set-up that libgit2 does
/// not do, with a fixed identity and no user or system configuration, so that results do not
/// depend on the machine.
public struct FixtureGit: Sendable {
    /// The directory git runs in.
    public var directory: String

    public init(directory: String) { self.directory = directory }

    private static let program = GitProgram(environment: [
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Fixture Author",
        "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_COMMITTER_NAME": "Fixture Committer",
        "GIT_COMMITTER_EMAIL": "committer@example.org",
    ])

    /// Runs `git ARGUMENTS` with `input` on standard input; does not throw on a non-zero exit.
    public func run(_ arguments: [String], input: Data? = nil) throws -> Subprocess.Result {
        try Self.program.run(arguments, in: directory, input: input)
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
                "git \(arguments.joined(separator: " ")) failed (\(output.status)): \(output.errorOutput)")
        }
        return output.text
    }
}

/// A failure while building a fixture.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
