import ArgumentParser
import Foundation
import Git
import Tributary

@main
struct Trib: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trib",
        abstract: "Manage an integration git tree that pulls from many sub-trees.",
        discussion: """
            Tributary predicts merge conflicts between sub-trees before a pull, checks that every
            commit carries the tags the project requires, and keeps a ledger of which patch series
            landed in which tree. Start with `trib demo`, which builds a small forest and runs what
            Tributary can do on it.

            Exit status: 0 clean, 1 findings, 2 bad input or usage, 3 repository or environment error.
            """,
        version: versionLine,
        subcommands: [
            DemoCommand.self, InitCommand.self, TreeCommand.self, FetchCommand.self, PlanCommand.self,
            ConflictsCommand.self, TrialMergeCommand.self, PullCommand.self,
            ResolveCommand.self, LogCommand.self, SeriesCommand.self, WhereCommand.self,
            IndexCommand.self, RequestPullCommand.self, SyncCommand.self, CheckCommand.self,
            WhoCommand.self, ReportCommand.self,
            VerifyCommand.self, NoticesCommand.self, PatchIDCommand.self,
        ]
    )

    /// What `trib --version` prints: the version (stamped by `Scripts/package`, else the sources'
    /// with "development build"), and the libgit2 this process runs with.
    static var versionLine: String {
        let build = Tributary.isPackaged ? "" : "development build, "
        return "trib \(Tributary.version) (\(build)libgit2 \(libgit2Version))"
    }

    /// Runs the command line, with usage errors exiting 2 (the project's "bad input") rather
    /// than ArgumentParser's 64.
    static func main() {
        // Ctrl-C and SIGTERM: git's children get the signal, references are left old or new,
        // and the command ends with "interrupted", status 130 (143).
        Interrupts.watch { _ in printError("interrupted") }
        // The heap grows by 64 MiB at a time rather than by what each allocation needs: a check
        // of 10,000 commits grows it hundreds of times otherwise, each time a system call
        // (measured: 7% of its time).
        ProcessHeap.growInSteps(ofAtLeast: 64 << 20)
        do {
            var command = try parseAsRoot()
            try command.run()
            exitIfInterrupted()
        } catch {
            exitIfInterrupted()
            if exitCode(for: error) == .validationFailure {
                let message = fullMessage(for: error)
                FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
                Foundation.exit(ExitStatus.badInput.rawValue)
            }
            exit(withError: error)
        }
    }

    /// A command that ended on its own after a signal (its child stopped, the error reported as
    /// a failure) still ends as the signal does: "interrupted", 130 (143).
    private static func exitIfInterrupted() {
        if let signal = Interrupts.signal { Interrupts.exit(after: Interrupts.Interrupted(signal: signal)) }
    }
}
