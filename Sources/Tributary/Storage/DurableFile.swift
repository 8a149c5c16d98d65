public import Foundation
import Git

#if canImport(Glibc)
    import Glibc
#endif

/// Files written so that a reader, or the next run after a crash, sees either the old content or
/// the whole new one: a temporary file beside the target, fsync, rename.
public enum DurableFile {
    /// Writes `data` to `path` durably; `TributaryError.environment` when it cannot. A signal
    /// (`Interrupts`) waits for the write to end: no temporary file is left behind.
    public static func write(_ data: Data, to path: String) throws(TributaryError) {
        try Interrupts.finishing { () throws(TributaryError) in try writeNow(data, to: path) }
    }

    private static func writeNow(_ data: Data, to path: String) throws(TributaryError) {
        let temporary = path + ".new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .environment("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == data.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .environment("cannot write \(path): \(reason)")
        }
    }
}
