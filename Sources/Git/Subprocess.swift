import CSpawn
public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program and collects what it prints: the `git` program (see `GitProgram`), and in tests
/// `trib` itself. Arguments are always an array, never a shell string, so untrusted text cannot
/// become a command.
///
/// Built on `posix_spawn` rather than Foundation's `Process`, whose Linux implementation reads
/// `/proc/self/fd` with a `dirent` over-read that crashes intermittently in processes with many
/// open descriptors (swift-corelibs-foundation #5472). The child gets a clean signal state, only
/// descriptors 0–2, and the pipes are close-on-exec so that concurrent runs never inherit each
/// other's pipes.
public enum Subprocess {
    /// What a run produced.
    public struct Result: Sendable {
        /// The exit status, or the number of the signal that ended the program.
        public var status: Int32
        /// The signal that ended the program, when one did (then `status` is its number).
        public var signal: Int32?
        public var output: Data
        public var errorOutput: String
        /// Whether the run was stopped because it outlived its timeout.
        public var timedOut: Bool

        /// Standard output as UTF-8 text (invalid bytes replaced).
        public var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// A failure to start the program at all.
    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
    }

    /// How a program that outlived its timeout is stopped: each step's signal in turn, each
    /// followed by a wait for the program to end, then SIGKILL.
    public struct Teardown: Sendable, Hashable {
        public struct Step: Sendable, Hashable {
            public var signal: Int32
            /// Seconds to wait for the program to end before the next step.
            public var wait: TimeInterval

            public init(signal: Int32, wait: TimeInterval) {
                self.signal = signal
                self.wait = wait
            }
        }

        public var steps: [Step]

        public init(_ steps: [Step]) { self.steps = steps }

        /// SIGTERM, two seconds, SIGKILL.
        public static let terminate = Teardown([Step(signal: SIGTERM, wait: 2)])
        /// SIGINT (what Ctrl-C sends: git removes its temporary packs), two seconds, SIGTERM, two
        /// seconds, SIGKILL.
        public static let interrupt = Teardown([Step(signal: SIGINT, wait: 2), Step(signal: SIGTERM, wait: 2)])
    }

    /// Runs `executable` (a path, or a name looked up on the `PATH` of the child's environment)
    /// with `arguments` in `directory`, with `environment` added to this process's environment,
    /// feeding `input` on standard input (or `/dev/null`). After `timeout` seconds the program is
    /// stopped by `teardown` (default: SIGTERM, then SIGKILL two seconds later) and `timedOut` is
    /// set. With `ownProcessGroup` the program leads a process group of its own (POSIX_SPAWN_SETPGROUP)
    /// and the teardown's signals go to the whole group, so the programs it started stop too;
    /// a terminal's Ctrl-C then no longer reaches it directly.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        in directory: String? = nil,
        environment: [String: String] = [:],
        input: Data? = nil,
        timeout: TimeInterval? = nil,
        teardown: Teardown = .terminate,
        ownProcessGroup: Bool = false
    ) throws -> Result {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let path = try resolve(executable, searchPath: merged["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        // Once interrupted (`Interrupts`), nothing new starts, and a run cut short is an error.
        try Interrupts.check()
        let child = try Child(
            path: path, arguments: [executable] + arguments,
            environment: merged.map { "\($0.key)=\($0.value)" }, directory: directory, hasInput: input != nil,
            ownProcessGroup: ownProcessGroup)
        let result = child.communicate(input: input ?? Data(), timeout: timeout, teardown: teardown)
        try Interrupts.check()
        return result
    }

    /// Starts `executable` in the background with no input and its output discarded, and returns
    /// its process id; for tests that must stop a program at an arbitrary moment. Reap it with
    /// `waitForExit`.
    public static func startDetached(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
    ) throws -> Int32 {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let path = try resolve(executable, searchPath: merged["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory { cspawn_file_actions_addchdir(&actions, directory) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        cspawn_file_actions_addclosefrom(&actions, 3)
        var attributes = Child.cleanSignals()
        defer { posix_spawnattr_destroy(&attributes) }
        var pid: pid_t = 0
        let environmentLines = merged.map { "\($0.key)=\($0.value)" }
        let status = withCStrings([executable] + arguments) { argv in
            withCStrings(environmentLines) { envp in posix_spawn(&pid, path, &actions, &attributes, argv, envp) }
        }
        guard status == 0 else {
            throw LaunchError(description: "cannot run \(path): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Waits for a process started with `startDetached`: its exit status, or the number of the
    /// signal that ended it.
    public static func waitForExit(_ pid: Int32) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }

    /// The file to execute: `executable` itself when it names a path, else the first executable
    /// file of that name on `searchPath`.
    static func resolve(_ executable: String, searchPath: String) throws -> String {
        if executable.contains("/") { return executable }
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + executable
            var info = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                return candidate
            }
        }
        throw LaunchError(description: "cannot run \(executable): not found on PATH")
    }
}

/// One started child process and the parent's ends of its pipes.
private struct Child {
    let pid: pid_t
    let input: Int32?
    let output: Int32
    let errors: Int32
    /// Whether the child leads a process group of its own (signals then go to the group).
    let ownProcessGroup: Bool

    /// Starts the program (`posix_spawn`).
    init(
        path: String, arguments: [String], environment: [String], directory: String?, hasInput: Bool,
        ownProcessGroup: Bool
    ) throws {
        self.ownProcessGroup = ownProcessGroup
        func pipePair() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [0, 0]
            guard cspawn_pipe_cloexec(&ends) == 0 else {
                throw Subprocess.LaunchError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
            }
            return (ends[0], ends[1])
        }
        let stdinPipe = hasInput ? try pipePair() : nil
        let stdoutPipe = try pipePair()
        let stderrPipe = try pipePair()
        var childEnds = [stdoutPipe.write, stderrPipe.write]
        var parentEnds = [stdoutPipe.read, stderrPipe.read]
        if let stdinPipe {
            childEnds.append(stdinPipe.read)
            parentEnds.append(stdinPipe.write)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory { cspawn_file_actions_addchdir(&actions, directory) }
        if let stdinPipe {
            posix_spawn_file_actions_adddup2(&actions, stdinPipe.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2)
        cspawn_file_actions_addclosefrom(&actions, 3)

        var attributes = Self.cleanSignals()
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            }
        }
        for end in childEnds { close(end) }
        guard status == 0 else {
            for end in parentEnds { close(end) }
            throw Subprocess.LaunchError(description: "cannot run \(path): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        self.input = stdinPipe?.write
        self.output = stdoutPipe.read
        self.errors = stderrPipe.read
        // Started just as a signal came: it gets the signal too.
        if !Interrupts.register(pid, ownProcessGroup: ownProcessGroup), let signal = Interrupts.signal {
            kill(ownProcessGroup ? -pid : pid, signal)
        }
    }

    /// Spawn attributes under which the child starts with no blocked signals and default
    /// dispositions, whatever thread (dispatch's block signals) or process settings (ignored
    /// SIGPIPE, a handled SIGINT) the parent has. The caller destroys them.
    static func cleanSignals() -> posix_spawnattr_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return attributes
    }

    /// Sends `signal` to the child, or to its process group.
    private func send(_ signal: Int32) {
        kill(ownProcessGroup ? -pid : pid, signal)
    }

    /// Feeds `input`, collects both outputs and waits for the exit, all on the calling thread
    /// with `poll`, so no pipe can fill up and block the child. Past `timeout`, `teardown`'s
    /// signals are sent in turn, then SIGKILL.
    func communicate(input data: Data, timeout: TimeInterval?, teardown: Subprocess.Teardown) -> Subprocess.Result {
        // A write to a pipe whose reader has gone raises SIGPIPE: block it on this thread and
        // take any pending one back before unblocking, so the caller's process is unaffected.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1, sigismember(&previousMask, SIGPIPE) == 0 {
                var zero = timespec(tv_sec: 0, tv_nsec: 0)
                sigtimedwait(&pipeSignal, nil, &zero)
            }
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }

        var stdinEnd = input
        if let stdinEnd { _ = fcntl(stdinEnd, F_SETFL, fcntl(stdinEnd, F_GETFL) | O_NONBLOCK) }
        var written = 0
        var outputEnd: Int32? = output
        var errorsEnd: Int32? = errors
        var collectedOutput = [UInt8]()
        var collectedErrors = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var killDeadline: Date?
        var nextStep = 0
        var timedOut = false
        var exitStatus: Ending?

        if let end = stdinEnd, data.isEmpty {
            close(end)
            stdinEnd = nil
        }
        while outputEnd != nil || errorsEnd != nil || stdinEnd != nil {
            // Stopped (timed out, or interrupted and given the signal) and reaped: what still
            // holds the pipes (a grandchild) is not waited for.
            let stopping = timedOut || Interrupts.signal != nil
            if stopping, exitStatus == nil { exitStatus = reap(blocking: false) }
            if stopping, exitStatus != nil {
                // What the child wrote before it ended is kept: read what is there, without waiting.
                for (end, isOutput) in [(outputEnd, true), (errorsEnd, false)] {
                    guard let end else { continue }
                    _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                    while true {
                        let count = read(end, &buffer, buffer.count)
                        if count <= 0 { break }
                        if isOutput {
                            collectedOutput.append(contentsOf: buffer[0..<count])
                        } else {
                            collectedErrors.append(contentsOf: buffer[0..<count])
                        }
                    }
                }
                break
            }
            var fds = [pollfd]()
            if let end = outputEnd { fds.append(pollfd(fd: end, events: Int16(POLLIN), revents: 0)) }
            if let end = errorsEnd { fds.append(pollfd(fd: end, events: Int16(POLLIN), revents: 0)) }
            if let end = stdinEnd { fds.append(pollfd(fd: end, events: Int16(POLLOUT), revents: 0)) }
            // Woken at least four times a second, to notice an interruption.
            var waitMilliseconds: Int32 = 250
            if let limit = killDeadline ?? deadline {
                waitMilliseconds = Int32(max(0, min(limit.timeIntervalSinceNow * 1000, 250)).rounded(.up))
            }
            if timedOut { waitMilliseconds = min(max(waitMilliseconds, 0), 50) }
            let ready = poll(&fds, nfds_t(fds.count), waitMilliseconds)
            if ready < 0, errno != EINTR { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdinEnd {
                    let count = data.withUnsafeBytes { bytes in
                        write(entry.fd, bytes.baseAddress! + written, min(bytes.count - written, 65536))
                    }
                    if count > 0 { written += count }
                    if (count < 0 && errno != EAGAIN && errno != EINTR) || written == data.count {
                        close(entry.fd)
                        stdinEnd = nil
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if entry.fd == outputEnd {
                        collectedOutput.append(contentsOf: buffer[0..<count])
                    } else {
                        collectedErrors.append(contentsOf: buffer[0..<count])
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    if entry.fd == outputEnd { outputEnd = nil } else { errorsEnd = nil }
                }
            }
            if !timedOut, let deadline, Date() >= deadline { timedOut = true }
            if timedOut, exitStatus == nil, killDeadline.map({ Date() >= $0 }) ?? true {
                if nextStep < teardown.steps.count {
                    send(teardown.steps[nextStep].signal)
                    killDeadline = Date().addingTimeInterval(teardown.steps[nextStep].wait)
                    nextStep += 1
                } else if nextStep == teardown.steps.count {
                    send(SIGKILL)
                    killDeadline = .distantFuture
                    nextStep += 1
                }
            }
        }
        for end in [outputEnd, errorsEnd, stdinEnd].compactMap({ $0 }) { close(end) }
        if exitStatus == nil {
            if timedOut {
                send(SIGKILL)
            } else if let deadline {
                // The outputs are closed but the program still runs: wait out the timeout.
                while exitStatus == nil, Date() < deadline {
                    exitStatus = reap(blocking: false)
                    if exitStatus == nil { usleep(5000) }
                }
                if exitStatus == nil {
                    timedOut = true
                    send(SIGKILL)
                }
            }
        }
        let ended = exitStatus ?? reap(blocking: true) ?? Ending(status: -1, signal: nil)
        if ownProcessGroup, timedOut || Interrupts.signal != nil { stopGroupRemnants() }
        Interrupts.unregister(pid)
        return Subprocess.Result(
            status: ended.status, signal: ended.signal, output: Data(collectedOutput),
            errorOutput: String(decoding: collectedErrors, as: UTF8.self), timedOut: timedOut)
    }

    /// After a stop (timeout or interruption) of a program leading its own group: what it started
    /// and left running — a shell's background job, which starts with SIGINT ignored — is stopped
    /// too, SIGTERM then, a second later, SIGKILL. The group's id cannot be another's while any
    /// member lives; with none left, `kill` finds nothing.
    private func stopGroupRemnants() {
        guard kill(-pid, SIGTERM) == 0 else { return }
        for _ in 0..<20 {
            usleep(50_000)
            if kill(-pid, 0) != 0 { return }
        }
        kill(-pid, SIGKILL)
    }

    /// How the child ended: its exit status, or the signal that ended it (then also the status).
    struct Ending {
        var status: Int32
        var signal: Int32?
    }

    /// How the child ended, once it has (`waitpid`).
    private func reap(blocking: Bool) -> Ending? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid { break }
            if result == 0 { return nil }
            if errno != EINTR { return Ending(status: -1, signal: nil) }
        }
        let signal = status & 0x7f
        return signal == 0 ? Ending(status: (status >> 8) & 0xff, signal: nil) : Ending(status: signal, signal: signal)
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
