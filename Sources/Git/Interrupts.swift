import CSpawn
public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM for a program that runs `git`: once `watch` is called, either signal is
/// forwarded to every running child (`Subprocess`; to its whole process group when it leads
/// one), so that git removes its temporary packs and lock files as it does on Ctrl-C; no new
/// child is started; and, once the children have ended (after `grace` seconds they are killed),
/// the program exits with status 128 + the signal's number (130, 143) after `announce` has said
/// so. Work that must not be cut in two — a reference update, a work tree checkout, a branch move
/// with its journal — runs in `finishing`: a signal that arrives meanwhile takes effect when it
/// ends. Without `watch`, signals keep their default effect.
public enum Interrupts {
    /// A run refused, or a child's end, because the program was interrupted.
    public struct Interrupted: Error, CustomStringConvertible {
        /// The signal received.
        public var signal: Int32
        /// An interruption by `signal`.
        public init(signal: Int32) { self.signal = signal }
        public var description: String { "interrupted (\(signal == SIGTERM ? "SIGTERM" : "SIGINT"))" }
    }

    private static let state = State()

    /// Starts watching for SIGINT and SIGTERM (`cspawn_watch_interrupts`, with a thread that
    /// acts on them). `announce` is called once, with the signal, just before the program exits.
    public static func watch(grace: TimeInterval = 10, announce: @escaping @Sendable (Int32) -> Void) {
        state.lock.lock()
        defer { state.lock.unlock() }
        guard !state.watching else { return }
        var ends: [Int32] = [0, 0]
        guard cspawn_pipe_cloexec(&ends) == 0 else { return }
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        guard cspawn_watch_interrupts(ends[1]) == 0 else { return }
        // A program started with the signals blocked (by a parent's worker thread) would never
        // see them: they are unblocked on this thread, which threads started later copy.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        state.watching = true
        let readEnd = ends[0]
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 { received(Int32(byte), grace: grace, announce: announce) }
                if count == 0 || (count < 0 && errno != EINTR) { return }
            }
        }
        thread.name = "interrupts"
        thread.start()
    }

    /// Whether `watch` was called: signals are then forwarded to children, and a child may lead
    /// a process group of its own without escaping a Ctrl-C.
    public static var isWatching: Bool {
        state.lock.lock()
        defer { state.lock.unlock() }
        return state.watching
    }

    /// The signal received, when one was.
    public static var signal: Int32? {
        state.lock.lock()
        defer { state.lock.unlock() }
        return state.signal
    }

    /// Throws `Interrupted` when a signal was received.
    public static func check() throws(Interrupted) {
        if let signal { throw Interrupted(signal: signal) }
    }

    /// Ends the program as a received signal does (after the children, with the announcement;
    /// at once when another thread is already doing it); for the thread that got `Interrupted`.
    public static func exit(after interruption: Interrupted) -> Never {
        state.lock.lock()
        if state.signal == nil { state.signal = interruption.signal }
        state.lock.unlock()
        state.exitWhenChildrenEnd()
        while true { sleep(1) }
    }

    /// Runs `body` to its end even when a signal arrives meanwhile: the program exits after it
    /// instead. Refused (`Interrupted`) once a signal has been received.
    @discardableResult
    public static func finishing<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        state.lock.lock()
        let refused = state.signal
        if refused == nil { state.finishing += 1 }
        state.lock.unlock()
        if refused != nil {
            // The exit is under way (a typed body's error cannot carry `Interrupted`): wait for it.
            while true { sleep(1) }
        }
        defer {
            state.lock.lock()
            state.finishing -= 1
            let exit = state.finishing == 0 && state.signal != nil && state.watching
            state.lock.unlock()
            if exit { state.exitWhenChildrenEnd() }
        }
        return try body()
    }

    /// Records a started child (`pid`, and whether it leads its process group); false when a
    /// signal was received, and then the caller must stop it.
    static func register(_ pid: pid_t, ownProcessGroup: Bool) -> Bool {
        state.lock.lock()
        defer { state.lock.unlock() }
        state.children[pid] = ownProcessGroup
        return state.signal == nil
    }

    /// Forgets a child that has been reaped.
    static func unregister(_ pid: pid_t) {
        state.lock.lock()
        state.children[pid] = nil
        state.lock.unlock()
    }

    /// On the watching thread: the first signal is recorded and forwarded; the program exits once
    /// nothing is finishing and the children have ended. A second signal is forwarded too.
    private static func received(_ signal: Int32, grace: TimeInterval, announce: @escaping @Sendable (Int32) -> Void) {
        state.lock.lock()
        let first = state.signal == nil
        if first {
            state.signal = signal
            state.grace = grace
            state.announce = announce
        }
        let children = state.children
        let finishing = state.finishing
        state.lock.unlock()
        for (pid, group) in children { kill(group ? -pid : pid, signal) }
        if first, finishing == 0 { state.exitWhenChildrenEnd() }
    }

    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var watching = false
        var signal: Int32?
        var finishing = 0
        var children: [pid_t: Bool] = [:]
        var grace: TimeInterval = 10
        var announce: (@Sendable (Int32) -> Void)?
        var exiting = false

        /// Waits for the children to be reaped (killing them past the grace period), then exits;
        /// returns at once when another thread is doing it.
        func exitWhenChildrenEnd() {
            lock.lock()
            guard !exiting, let signal else {
                lock.unlock()
                return
            }
            exiting = true
            let deadline = Date().addingTimeInterval(grace)
            lock.unlock()
            while true {
                lock.lock()
                let left = children
                lock.unlock()
                if left.isEmpty { break }
                if Date() >= deadline {
                    for (pid, group) in left { kill(group ? -pid : pid, SIGKILL) }
                    usleep(100_000)
                    break
                }
                usleep(20_000)
            }
            announce?(signal)
            fflush(nil)
            _exit(128 + signal)
        }
    }
}
