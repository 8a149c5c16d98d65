import Foundation
import Git
import GitFixtures
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM during a fetch that is slow on purpose: its ssh transport is a script
/// that notes each start and then sleeps.
@Suite struct InterruptTests {
    /// A forest whose two trees are fetched over ssh, through `GIT_SSH_COMMAND` pointing at a
    /// script that appends a line to `log` and sleeps for a minute.
    static func slowForest() throws -> (PlanCommandTests.Forest, environment: [String: String], log: String) {
        let forest = try PlanCommandTests.Forest()
        let script = forest.directory + "/slow-ssh"
        let log = forest.directory + "/ssh.log"
        try "#!/bin/sh\necho \"$*\" >> '\(log)'\nexec sleep 60\n".write(
            toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        _ = try forest.trib(["tree", "add", "first", "ssh://example.invalid/first.git#for-next"])
        _ = try forest.trib(["tree", "add", "second", "ssh://example.invalid/second.git#for-next"])
        return (forest, ["GIT_SSH_COMMAND": script], log)
    }

    /// Starts `trib fetch --jobs 1` with standard error to `errors`, waits until the transport
    /// has started, sends `signal` to trib alone, and returns trib's exit status and how long it
    /// took to end after the signal.
    static func interruptFetch(with signal: Int32) throws -> (
        status: Int32, seconds: TimeInterval, errors: String, starts: [String], forest: PlanCommandTests.Forest
    ) {
        let (forest, environment, log) = try slowForest()
        let errors = forest.directory + "/errors"
        let pid = try Subprocess.startDetached(
            "/bin/sh", ["-c", "exec \"$0\" fetch --jobs 1 2>\"$ERRORS\"", TribCommand.executable],
            in: forest.integration.path, environment: environment.merging(["ERRORS": errors]) { $1 })
        let waitUntil = Date().addingTimeInterval(30)
        while (try? String(contentsOfFile: log, encoding: .utf8)) == nil, Date() < waitUntil { usleep(50_000) }
        usleep(200_000)
        let sent = Date()
        kill(pid, signal)
        let status = Subprocess.waitForExit(pid)
        let seconds = Date().timeIntervalSince(sent)
        let starts = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        return (status, seconds, (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "", starts, forest)
    }

    @Test("Ctrl-C during a fetch: git gets the signal, nothing is fetched again, trib says interrupted and exits 130")
    func interruptedFetch() throws {
        let (status, seconds, errors, starts, forest) = try Self.interruptFetch(with: SIGINT)
        #expect(status == 130, "\(errors)")
        #expect(errors.contains("trib: interrupted"), "\(errors)")
        #expect(seconds < 8, "took \(seconds) s to stop")
        // One start: the interrupted fetch is not tried again and the second tree's never begins.
        #expect(starts.count == 1, "\(starts)")
        // Every reference is as it was: no tree tip, no scratch reference.
        let references = try forest.integration.git("for-each-ref", "--format=%(refname)", "refs/tributary/")
        #expect(references == "", "\(references)")
    }

    @Test("SIGTERM during a fetch ends trib with 143, its transport stopped too")
    func terminatedFetch() throws {
        let (status, seconds, errors, starts, _) = try Self.interruptFetch(with: SIGTERM)
        #expect(status == 143, "\(errors)")
        #expect(errors.contains("trib: interrupted"), "\(errors)")
        #expect(seconds < 8, "took \(seconds) s to stop")
        #expect(starts.count == 1, "\(starts)")
    }
}
