import Foundation
public import Git

#if canImport(Glibc)
    import Glibc
#endif

/// The lock that keeps two mutating commands (`trib pull`, `trib sync`, `trib resolve`) from
/// working on one repository at once: an exclusive `flock` on the file `GIT_DIR/tributary/lock`,
/// which holds the holder's process id, host, command and start time for the message a second
/// command gets. The kernel releases the lock when its holder dies, however it dies; a holder
/// that ends normally empties and removes the file.
///
/// A lock file found with content when the lock is taken was therefore left by a holder that was
/// killed. Taking it over also removes the `.lock` files that holder left while libgit2 wrote a
/// reference or a reflog — only under the references that no command but a holder of this lock
/// writes (`refs/tributary/pulled`, `backup`, `log` and `resolutions`, and their reflogs), and
/// only those created after it started. A `.lock` file of any other reference (the integration
/// branch's own, say) may belong to a running `git` and is left alone: libgit2 then refuses to
/// update that reference, and the error says so.
public final class IntegrationLock {
    public let path: String
    /// The `.lock` files of a killed holder that taking over its lock removed, relative to the git
    /// directory.
    public private(set) var removedLockFiles: [String] = []
    private var descriptor: Int32 = -1

    /// The references only a holder of this lock writes, relative to the git directory.
    static let ownedReferences = [
        "refs/tributary/pulled", "refs/tributary/backup", "refs/tributary/log", "refs/tributary/resolutions",
    ]

    /// Takes the lock for `command` (`open`, `flock(LOCK_EX | LOCK_NB)`); throws
    /// `TributaryError.concurrentWriter` naming the holder while another command holds it.
    public init(repository: Repository, command: String) throws {
        path = try StateDirectory.ensure(for: repository) + "/lock"
        let content = Array(
            "pid \(getpid())\nhost \(ProcessInfo.processInfo.hostName)\ncommand \(command)\nsince \(Int(Date().timeIntervalSince1970))\n"
                .utf8)
        // A few tries: the file may be removed by its holder between our open and our flock.
        for _ in 0..<5 {
            let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard opened >= 0 else {
                throw TributaryError.environment("cannot open \(path): \(String(cString: strerror(errno)))")
            }
            guard flock(opened, LOCK_EX | LOCK_NB) == 0 else {
                let reason = errno
                close(opened)
                guard reason == EWOULDBLOCK else {
                    throw TributaryError.environment("cannot lock \(path): \(String(cString: strerror(reason)))")
                }
                throw TributaryError.concurrentWriter(Self.busyMessage(path))
            }
            // Locked; but is it still the file at `path`, not one its holder has just removed?
            var held = stat()
            var named = stat()
            guard fstat(opened, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino,
                held.st_dev == named.st_dev
            else {
                close(opened)
                continue
            }
            let previous = Self.fields(Self.readAll(opened))
            ftruncate(opened, 0)
            _ = content.withUnsafeBytes { pwrite(opened, $0.baseAddress, $0.count, 0) }
            fsync(opened)
            descriptor = opened
            if !previous.isEmpty {
                // The previous holder was killed (it would have emptied the file).
                removedLockFiles = Self.removeLockFiles(
                    in: repository.gitDirectory,
                    createdSince: previous["since"].flatMap { Int($0) } ?? Int(held.st_mtim.tv_sec))
            }
            return
        }
        throw TributaryError.concurrentWriter("cannot take \(path): it keeps being replaced")
    }

    /// Gives the lock back: empties and removes the file, then lets go of it.
    public func release() {
        guard descriptor >= 0 else { return }
        ftruncate(descriptor, 0)
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    private static func busyMessage(_ path: String) -> String {
        let holder = fields(FileManager.default.contents(atPath: path).map { Array($0) } ?? [])
        var message = "another trib command holds \(path)"
        if let pid = holder["pid"] {
            message += " (pid \(pid)" + (holder["host"].map { " on \($0)" } ?? "")
            message += (holder["command"].map { ", \($0)" } ?? "") + ")"
        }
        if let since = holder["since"].flatMap({ Int($0) }) {
            message += " since \(Date(timeIntervalSince1970: TimeInterval(since)))"
        }
        return message + "; it is released when that command ends"
    }

    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count <= 0 { break }
            bytes += chunk[..<count]
            offset += off_t(count)
        }
        return bytes
    }

    private static func fields(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        return fields
    }

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
}
