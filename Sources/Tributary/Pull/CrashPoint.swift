import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Named moments of a mutating command where the crash tests stop it, as git's own test suite
/// does with `GIT_TEST_*` variables: when `TRIB_TEST_CRASH_AT` names the moment reached, the
/// process kills itself with SIGKILL, leaving what a power cut or `kill -9` would.
enum CrashPoint {
    static let variable = "TRIB_TEST_CRASH_AT"

    static func reached(_ name: String) {
        guard let wanted = getenv(variable), String(cString: wanted) == name else { return }
        kill(getpid(), SIGKILL)
    }
}
