public import Foundation

/// A command `trib verify` runs on integration results: `[verify] command = …` (named `build`) or
/// `[verify "NAME"] command = …`, each with `timeout = SECONDS` (default 3600) and `log =
/// KILOBYTES` (how much of the end of its output a report quotes; default 16). The command is run
/// by `/bin/sh -c` at the top of a scratch work tree; exit status 0 passes.
public struct VerificationCommand: Sendable, Hashable, Codable {
    public var name: String
    public var command: String
    public var timeout: TimeInterval
    public var logKilobytes: Int

    public static let defaultName = "build"

    public init(name: String = defaultName, command: String, timeout: TimeInterval = 3600, logKilobytes: Int = 16) {
        self.name = name
        self.command = command
        self.timeout = timeout
        self.logKilobytes = logKilobytes
    }

    /// What the cache keys results by besides the tree: the name and the command's text (a
    /// changed command is a new command; the timeout is not part of it).
    public var fingerprint: String { "\(name)\u{0}\(command)" }

    /// Applies `key = value` of its section; `here` names the file and line for errors.
    mutating func apply(key: String, value: String, here: String) throws(TributaryError) {
        switch key {
        case "command":
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .badInput("\(here): verify \"\(name)\": command is empty")
            }
            command = value
        case "timeout":
            guard let seconds = TimeInterval(value), seconds > 0 else {
                throw .badInput("\(here): verify \"\(name)\": timeout '\(value)' is not a number of seconds")
            }
            timeout = seconds
        case "log":
            guard let kilobytes = Int(value), kilobytes >= 0 else {
                throw .badInput("\(here): verify \"\(name)\": log '\(value)' is not a number of kilobytes")
            }
            logKilobytes = kilobytes
        default:
            let keys = ["command", "timeout", "log"]
            throw .badInput(
                "\(here): verify \"\(name)\": unknown key \(key)\(Spelling.suggestion(for: key, among: keys))"
                    + " (keys: \(keys.joined(separator: ", ")))")
        }
    }
}
