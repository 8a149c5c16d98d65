import Foundation
import Git
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
}
