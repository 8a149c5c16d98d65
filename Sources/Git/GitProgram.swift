public import Foundation

/// The `git` program, for what it does better than libgit2: fetching (libgit2's fetch was
/// measured 20–50× slower on local remotes and ignores the user's credential helpers).
public struct GitProgram: Sendable {
    /// The executable: a path, or a name looked up on `PATH` (default `git`).
    public var executable: String
    /// Variables added to the environment of every run.
    public var environment: [String: String]

    public init(executable: String = "git", environment: [String: String] = [:]) {
        self.executable = executable
        // Never stop to ask for a password, and print messages untranslated.
        self.environment = ["GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"].merging(environment) { _, new in new }
    }

    /// Runs `git ARGUMENTS` in `directory` (`Subprocess.run`; `teardown` and `ownProcessGroup`
    /// as there).
    public func run(
        _ arguments: [String],
        in directory: String,
        input: Data? = nil,
        timeout: TimeInterval? = nil,
        teardown: Subprocess.Teardown = .terminate,
        ownProcessGroup: Bool = false
    ) throws -> Subprocess.Result {
        try Subprocess.run(
            executable, arguments, in: directory, environment: environment, input: input, timeout: timeout,
            teardown: teardown, ownProcessGroup: ownProcessGroup)
    }
}
