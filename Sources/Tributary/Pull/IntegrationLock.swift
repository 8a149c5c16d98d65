import Foundation
public import Git

#if canImport(Glibc)
    import Glibc
#endif

/// The lock that keeps two mutating commands (`trib pull`, `trib resolve`) from working on one
/// repository at once: the file `GIT_DIR/tributary/lock`, created exclusively, holding the
/// holder's process id, host, command and start time. A lock whose process is gone (on this
/// host) is stale and is taken over; any other is reported and refused.
public final class IntegrationLock {
    /// Another command holds the lock.
    public struct Busy: Error, CustomStringConvertible {
        public var description: String
    }

    public let path: String
    private var held = true

    /// Takes the lock for `command`, or throws `Busy`.
    public init(repository: Repository, command: String) throws {
        path = try StateDirectory.ensure(for: repository) + "/lock"
        let host = ProcessInfo.processInfo.hostName
        let content = "pid \(getpid())\nhost \(host)\ncommand \(command)\nsince \(Int(Date().timeIntervalSince1970))\n"
        for attempt in 0..<2 {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                _ = content.withCString { write(descriptor, $0, strlen($0)) }
                fsync(descriptor)
                close(descriptor)
                return
            }
            guard errno == EEXIST else {
                throw Busy(description: "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            let holder = Self.holder(at: path)
            if attempt == 0, holder.host == host, let pid = holder.pid, kill(pid, 0) != 0, errno == ESRCH {
                // The holder died (killed, or the machine restarted): the lock is stale.
                unlink(path)
                continue
            }
            var message = "another trib command holds \(path)"
            if let pid = holder.pid { message += " (pid \(pid)" + (holder.command.map { ", \($0)" } ?? "") + ")" }
            if let since = holder.since {
                message += " since \(Date(timeIntervalSince1970: TimeInterval(since)))"
            }
            message += "; if no such command runs, remove the file"
            throw Busy(description: message)
        }
        throw Busy(description: "cannot take \(path)")
    }

    /// Gives the lock back.
    public func release() {
        guard held else { return }
        held = false
        unlink(path)
    }

    deinit { release() }

    private static func holder(at path: String) -> (pid: pid_t?, host: String?, command: String?, since: Int?) {
        guard let data = FileManager.default.contents(atPath: path) else { return (nil, nil, nil, nil) }
        var fields: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        return (
            fields["pid"].flatMap { pid_t($0) }, fields["host"], fields["command"], fields["since"].flatMap { Int($0) }
        )
    }
}
