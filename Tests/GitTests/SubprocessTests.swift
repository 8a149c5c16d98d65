import Foundation
import Git
import Synchronization
import Testing

@Suite struct SubprocessTests {
    @Test("output, errors, input and exit status are collected; arguments are not shell words")
    func run() throws {
        let result = try Subprocess.run(
            "sh", ["-c", "cat; echo oops >&2; exit 3", "$(touch /nonexistent)"], input: Data("in\n".utf8))
        #expect(result.status == 3)
        #expect(result.text == "in\n")
        #expect(result.errorOutput == "oops\n")
        #expect(!result.timedOut)
        let echo = try Subprocess.run("echo", ["$HOME", "a;b", "`x`"])
        #expect(echo.text == "$HOME a;b `x`\n")
    }

    @Test("a program that outlives its timeout is stopped")
    func timeout() throws {
        let started = Date()
        let result = try Subprocess.run("sleep", ["30"], timeout: 0.5)
        #expect(result.timedOut)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("a large output does not block")
    func largeOutput() throws {
        let result = try Subprocess.run("head", ["-c", "3000000", "/dev/zero"], timeout: 60)
        #expect(result.output.count == 3_000_000)
    }

    @Test("a program that ignores SIGTERM is killed")
    func ignoresTerminate() throws {
        let started = Date()
        let result = try Subprocess.run("sh", ["-c", "trap '' TERM; sleep 30"], timeout: 0.3)
        #expect(result.timedOut)
        #expect(result.status == SIGKILL)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("a program past its timeout gets the teardown's signals in turn")
    func teardownSequence() throws {
        // SIGINT first: the program's handler runs and it exits on its own.
        let interrupted = try Subprocess.run(
            "sh", ["-c", "trap 'echo interrupted; exit 5' INT; sleep 30 & wait"], timeout: 0.3, teardown: .interrupt)
        #expect(interrupted.timedOut)
        #expect(interrupted.status == 5)
        #expect(interrupted.text == "interrupted\n")
        // A program deaf to both gets SIGKILL after the last step's wait.
        let started = Date()
        let deaf = try Subprocess.run(
            "sh", ["-c", "trap '' INT TERM; sleep 30"], timeout: 0.2,
            teardown: .init([.init(signal: SIGINT, wait: 0.2), .init(signal: SIGTERM, wait: 0.2)]))
        #expect(deaf.timedOut && deaf.status == SIGKILL)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("in a process group of its own, the teardown reaches the programs it started")
    func processGroup() throws {
        for own in [true, false] {
            let result = try Subprocess.run(
                "sh", ["-c", "sleep 30 & echo $!; wait"], timeout: 0.3, ownProcessGroup: own)
            #expect(result.timedOut)
            let grandchild = try #require(Int32(result.text.trimmingCharacters(in: .whitespacesAndNewlines)))
            // Give the kernel a moment to deliver the signal; a killed process nobody has reaped
            // yet is a zombie (state Z), not alive.
            func running() -> Bool {
                guard let stat = try? String(contentsOfFile: "/proc/\(grandchild)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return false }
                return !stat[close...].hasPrefix(") Z")
            }
            var alive = true
            for _ in 0..<50 where alive {
                alive = running()
                if alive { usleep(20_000) }
            }
            #expect(alive == !own, "own process group: \(own)")
            if alive { kill(grandchild, SIGKILL) }
        }
    }

    @Test("a program that stops reading its input does not hurt the caller")
    func closedInput() throws {
        let result = try Subprocess.run("head", ["-c", "1"], input: Data(repeating: 65, count: 4_000_000))
        #expect(result.status == 0)
        #expect(result.text == "A")
    }

    @Test("the child gets only standard input, output and error, in the given directory and environment")
    func cleanChild() throws {
        let held = (0..<64).map { _ in open("/dev/null", O_RDONLY) }
        defer { for descriptor in held { close(descriptor) } }
        let result = try Subprocess.run(
            "sh", ["-c", "ls /proc/$$/fd; pwd; echo \"$TRIB_PROBE\""], in: "/tmp",
            environment: ["TRIB_PROBE": "a b"])
        #expect(result.text == "0\n1\n2\n/tmp\na b\n")
    }

    @Test("a program that is not on PATH is a launch error, not an exit status")
    func notFound() {
        #expect(throws: Subprocess.LaunchError.self) {
            try Subprocess.run("trib-no-such-program", [])
        }
    }

    @Test("many threads run programs at once while thousands of descriptors are open")
    func concurrentRuns() throws {
        let held = (0..<2000).map { _ in open("/dev/null", O_RDONLY) }
        defer { for descriptor in held { close(descriptor) } }
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            let result = try? Subprocess.run("sh", ["-c", "echo $0", "\(index)"], input: Data("x".utf8))
            if result?.text != "\(index)\n" { failures.withLock { $0 += 1 } }
        }
        #expect(failures.withLock { $0 } == 0)
    }
}
