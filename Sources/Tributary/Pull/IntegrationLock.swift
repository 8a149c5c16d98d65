import Foundation
public import Git

#if canImport(Glibc)
    import Glibc
#endif

/// The lock that keeps two mutating commands (`trib pull`, `trib resolve`) from working on one
/// repository at once: the file `GIT_DIR/tributary/lock`, created exclusively, holding the
/// holder's process id, host, command and start time. A lock whose process is gone (on this
/// host) is stale and is taken over; any other is reported and refused.
///
/// Taking over a stale lock also removes the `.lock` files its holder left behind when it was
/// killed while libgit2 wrote a reference or a reflog — only under the references that no command
/// but a holder of this lock writes (`refs/tributary/pulled`, `backup`, `log` and `resolutions`,
/// and their reflogs), and only those created after the dead holder started. A `.lock` file of
/// any other reference (the integration branch's own, say) may belong to a running `git` and is
/// left alone: libgit2 then refuses to update that reference, and the error says so.
public final class IntegrationLock {
    /// Another command holds the lock.
    public struct Busy: Error, CustomStringConvertible {
        public var description: String
    }

    public let path: String
    /// The `.lock` files of a killed holder that taking over its lock removed, relative to the git
    /// directory.
    public private(set) var removedLockFiles: [String] = []
    private var held = true

    /// The references only a holder of this lock writes, relative to the git directory.
    static let ownedReferences = [
        "refs/tributary/pulled", "refs/tributary/backup", "refs/tributary/log", "refs/tributary/resolutions",
    ]

    /// Takes the lock for `command`, or throws `Busy`.
    public init(repository: Repository, command: String) throws {
        path = try StateDirectory.ensure(for: repository) + "/lock"
        let host = ProcessInfo.processInfo.hostName
        let content = "pid \(getpid())\nhost \(host)\ncommand \(command)\nsince \(Int(Date().timeIntervalSince1970))\n"
        var deadHolderSince: Int?
        for attempt in 0..<2 {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                _ = content.withCString { write(descriptor, $0, strlen($0)) }
                fsync(descriptor)
                close(descriptor)
                if let deadHolderSince {
                    removedLockFiles = Self.removeLockFiles(
                        in: repository.gitDirectory, createdSince: deadHolderSince)
                }
                return
            }
            guard errno == EEXIST else {
                throw Busy(description: "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            let holder = Self.holder(at: path)
            if attempt == 0, holder.host == host, let pid = holder.pid, kill(pid, 0) != 0, errno == ESRCH {
                // The holder died (killed, or the machine restarted): the lock is stale.
                deadHolderSince = holder.since
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

    /// Removes the `.lock` files under `ownedReferences` (and their reflogs) in `gitDirectory`
    /// whose modification time is not before `since` (seconds since 1970); returns their paths
    /// relative to `gitDirectory`.
    static func removeLockFiles(in gitDirectory: String, createdSince since: Int) -> [String] {
        let root = gitDirectory.hasSuffix("/") ? gitDirectory : gitDirectory + "/"
        let manager = FileManager.default
        var candidates: [String] = []
        for owned in ownedReferences {
            for base in [owned, "logs/" + owned] {
                candidates.append(base + ".lock")
                guard let enumerator = manager.enumerator(atPath: root + base) else { continue }
                while let relative = enumerator.nextObject() as? String {
                    if relative.hasSuffix(".lock") { candidates.append(base + "/" + relative) }
                }
            }
        }
        var removed: [String] = []
        for candidate in candidates {
            var status = stat()
            guard lstat(root + candidate, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
                status.st_mtim.tv_sec >= since
            else { continue }
            if unlink(root + candidate) == 0 { removed.append(candidate) }
        }
        return removed.sorted()
    }

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
