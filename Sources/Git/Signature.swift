import CLibgit2
public import Foundation

/// Who made a commit and when (`git_signature`): a name, an address, a time and the time zone
/// offset the person was in.
public struct Signature: Hashable, Sendable, Codable, CustomStringConvertible {
    public var name: String
    public var email: String
    /// The moment, in seconds since the Unix epoch.
    public var time: Int64
    /// The time zone offset from UTC, in minutes (`+0100` is 60).
    public var timeZoneOffset: Int

    public init(name: String, email: String, time: Int64, timeZoneOffset: Int = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.timeZoneOffset = timeZoneOffset
    }

    public init(name: String, email: String, date: Date, timeZoneOffset: Int = 0) {
        self.init(
            name: name, email: email, time: Int64(date.timeIntervalSince1970.rounded(.down)),
            timeZoneOffset: timeZoneOffset)
    }

    /// Copies a libgit2 signature.
    init(_ signature: UnsafePointer<git_signature>) {
        name = String(cString: signature.pointee.name)
        email = String(cString: signature.pointee.email)
        time = signature.pointee.when.time
        timeZoneOffset = Int(signature.pointee.when.offset)
    }

    /// The moment as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(time)) }

    /// `Name <email>`.
    public var description: String { "\(name) <\(email)>" }

    /// The offset as git prints it: `+0100`, `-0530`.
    public var formattedOffset: String {
        let sign = timeZoneOffset < 0 ? "-" : "+"
        let minutes = abs(timeZoneOffset)
        let hours = minutes / 60
        let rest = minutes % 60
        return sign + (hours < 10 ? "0" : "") + String(hours) + (rest < 10 ? "0" : "") + String(rest)
    }

    /// Calls `body` with a libgit2 signature made by `git_signature_new`, freed afterwards.
    func withGitSignature<T>(_ body: (UnsafePointer<git_signature>) throws(GitError) -> T) throws(GitError) -> T {
        var pointer: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&pointer, name, email, time, Int32(timeZoneOffset)), "git_signature_new")
        defer { git_signature_free(pointer) }
        return try body(pointer!)
    }
}
