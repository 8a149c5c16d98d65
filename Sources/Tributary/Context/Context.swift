public import Git

/// What a library user decides about the work the library does: which `git` program it runs,
/// whether it times its phases, where a crash test stops it, and where its progress and warnings
/// go. The library reads no environment variable and prints nothing itself; `trib` makes its
/// context from the environment (`TRIB_GIT`, `TRIB_PROFILE`, `TRIB_TEST_CRASH_AT`) and prints the
/// events on standard error, as git-branchless passes its `Effects`.
public struct Context: Sendable {
    /// Something to tell the user while the work goes on.
    public enum Event: Sendable, Hashable {
        /// What is being worked on now (a tree being pulled); the next progress event replaces it,
        /// and `nil` ends it.
        case progress(String?)
        /// Something the user should know that does not stop the work.
        case warning(String)
        /// The time one phase of a piece of work took, when `timesPhases` is set.
        case phase(work: String, phase: String, seconds: Double)
    }

    /// The `git` program, for fetching and bulk reading (`GitProgram`).
    public var git: GitProgram
    /// Whether work measures the time of its phases (`PhaseClock`) and reports it as events.
    public var timesPhases: Bool
    /// Called when a mutating command reaches one of its crash points; the crash tests kill the
    /// process there.
    public var crashHook: @Sendable (CrashPoint) -> Void
    /// Receives progress, warnings and phase times, from any thread.
    public var events: @Sendable (Event) -> Void

    /// A context that runs `git` from `PATH`, times nothing, and drops every event.
    public init(
        git: GitProgram = GitProgram(), timesPhases: Bool = false,
        crashHook: @escaping @Sendable (CrashPoint) -> Void = { _ in },
        events: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.git = git
        self.timesPhases = timesPhases
        self.crashHook = crashHook
        self.events = events
    }

    /// A clock for the phases of `work` (it measures only when `timesPhases` is set).
    func clock(_ work: String) -> PhaseClock { PhaseClock(work, context: self) }

    func warn(_ message: String) { events(.warning(message)) }

    func progress(_ message: String?) { events(.progress(message)) }

    func reached(_ point: CrashPoint) { crashHook(point) }
}
