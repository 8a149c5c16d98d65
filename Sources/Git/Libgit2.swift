import CLibgit2
import Foundation

/// Process-wide libgit2 state.
///
/// libgit2 must be initialised once before any other call (`git_libgit2_init`); the library never
/// calls `git_libgit2_shutdown`, because other code in the process may still hold handles.
enum Libgit2 {
    /// Calls `git_libgit2_init` once, then turns off strict hash verification of objects read
    /// (`GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION`), which git itself does not do on reads either.
    static let initialized: Void = {
        git_libgit2_init()
        _ = tributary_git_set_strict_hash_verification(0)
        // libgit2 keeps in its object cache only trees and commits up to 4 KiB by default: a
        // directory of a hundred files is inflated again for every commit that walks it. Trees
        // up to 1 MiB and commits up to 64 KiB are kept (within the cache's 256 MiB).
        _ = tributary_git_set_cache_object_limit(GIT_OBJECT_TREE, 1 << 20)
        _ = tributary_git_set_cache_object_limit(GIT_OBJECT_COMMIT, 1 << 16)
    }()

    /// Makes sure libgit2 is initialised; cheap after the first call.
    @inline(__always)
    static func ensureInitialized() {
        _ = initialized
    }

    /// Runs `body` with libgit2's existence checks on object creation turned off
    /// (`GIT_OPT_ENABLE_STRICT_OBJECT_CREATION`), for writes whose objects are known to exist.
    /// The option is process-wide: calls are counted so that overlapping ones from several
    /// threads turn it back on only when the last one ends.
    static func withoutStrictObjectCreation<T>(_ body: () -> T) -> T {
        ensureInitialized()
        strictObjectCreationLock.lock()
        if relaxedWriters == 0 { _ = tributary_git_set_strict_object_creation(0) }
        relaxedWriters += 1
        strictObjectCreationLock.unlock()
        defer {
            strictObjectCreationLock.lock()
            relaxedWriters -= 1
            if relaxedWriters == 0 { _ = tributary_git_set_strict_object_creation(1) }
            strictObjectCreationLock.unlock()
        }
        return body()
    }

    /// The version of the linked libgit2, from `git_libgit2_version`.
    static var version: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }
}

/// The version of the libgit2 library this process is linked against (`git_libgit2_version`).
public var libgit2Version: String { Libgit2.version }

/// Guards `relaxedWriters`.
private let strictObjectCreationLock = NSLock()
/// How many `withoutStrictObjectCreation` calls are running.
nonisolated(unsafe) private var relaxedWriters = 0
