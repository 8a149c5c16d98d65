import Foundation
import Git
import Tributary

#if canImport(Glibc)
    import Glibc
#endif

/// The library's `Context` for one run of `trib`, made from the environment: the `git` program
/// (`TRIB_GIT`, default `git` on `PATH`), phase times (`TRIB_PROFILE`), the crash point of the
/// crash tests (`TRIB_TEST_CRASH_AT`: the process kills itself with SIGKILL there). Progress is
/// shown on standard error when it is a terminal and `progress` is set (commands printing JSON
/// clear it), one line rewritten in place with the time since the command started; warnings and
/// phase times always go there.
enum CommandContext {
    static func make(progress: Bool = true) -> Context {
        let environment = ProcessInfo.processInfo.environment
        let crashAt = environment["TRIB_TEST_CRASH_AT"].flatMap(CrashPoint.init(rawValue:))
        let showsProgress = progress && isatty(2) == 1
        let started = Date()
        return Context(
            git: GitProgram(executable: environment["TRIB_GIT"] ?? "git"),
            timesPhases: environment["TRIB_PROFILE"] != nil,
            crashHook: { point in if point == crashAt { kill(getpid(), SIGKILL) } },
            events: { event in
                switch event {
                case .progress(let text?):
                    guard showsProgress else { break }
                    let elapsed = Int(Date().timeIntervalSince(started))
                    let clock = elapsed < 60 ? "\(elapsed) s" : "\(elapsed / 60) min \(elapsed % 60) s"
                    FileHandle.standardError.write(Data("\r\(text), \(clock)\u{1b}[K".utf8))
                case .progress(nil):
                    if showsProgress { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
                case .warning(let message): printError("warning: \(message)")
                case .phase(let work, let phase, let seconds):
                    FileHandle.standardError.write(
                        Data("\(work): \(phase) \(String(format: "%.3f", seconds)) s\n".utf8))
                }
            })
    }
}
