import Foundation
import Git

/// Runs the built `trib` executable, as a user would.
enum TribCommand {
    struct Result {
        var status: Int32
        var output: String
        var errorOutput: String
    }

    /// The `trib` binary next to the test bundle, or `$TRIB_BINARY`.
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["TRIB_BINARY"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("trib").path
    }

    static func run(
        _ arguments: [String], in directory: String? = nil, input: String? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let result = try Subprocess.run(
            executable, arguments, in: directory, environment: environment, input: input.map { Data($0.utf8) },
            timeout: 300)
        return Result(status: result.status, output: result.text, errorOutput: result.errorOutput)
    }
}
