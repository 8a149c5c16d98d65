import Foundation
public import Git

/// One run of a verify command on a tree: how it ended, how long it took, where its whole output
/// is, and the end of that output.
public struct VerifyRun: Sendable, Codable, Hashable {
    public enum Outcome: String, Sendable, Codable, Hashable {
        case passed
        /// Exited non-zero, or was killed by a signal it did not get from trib.
        case failed
        /// Outlived the command's timeout and was stopped.
        case timedOut = "timed-out"
    }

    /// The tree (object id) the command ran on.
    public var tree: ObjectID
    public var command: String
    public var outcome: Outcome
    /// Exit status (or 128 + the signal's number).
    public var status: Int32
    public var seconds: Double
    /// The whole output (standard output and error, interleaved) in a file under
    /// `GIT_DIR/tributary/verify/logs/`.
    public var log: String
    /// The last `log` kilobytes of the output of a run that did not pass (empty for a pass).
    public var excerpt: String
    /// When it ran (seconds since 1970).
    public var when: Int64

    public var passed: Bool { outcome == .passed }
}
