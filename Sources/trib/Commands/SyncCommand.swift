import ArgumentParser
import Foundation
import Git
import Tributary

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Move a sub-tree branch onto a new base, dropping what already landed upstream.",
        discussion: """
            Replays BRANCH's commits onto ONTO in memory. Commits already upstream — the same \
            patch-id, a Link:/Message-ID: naming the same posting, or the same author and subject \
            with the same files and half of the changed lines, so edited copies count — are \
            dropped; recorded resolutions settle the conflicts they \
            match. If any commit conflicts, every conflict is reported and nothing moves. \
            Otherwise the old tip is kept as refs/tributary/backup/BRANCH/TIME and the branch moves \
            by compare-and-swap with a reflog entry; a checked-out branch needs a clean work tree \
            and moves with it. A branch already on ONTO is up to date and left as it is. Another \
            mutating trib command running on the repository makes this one fail \
            (GIT_DIR/tributary/lock); a sync or pull killed after moving its branch is finished by \
            the next one (GIT_DIR/tributary/move-journal.json). ONTO: --onto, else the manifest's \
            base, else the upstream.

            Exit status: 0 synced, up to date (or --dry-run clean), 1 conflicts, 2 refused (dirty \
            work tree, merges in the branch) or bad input, 3 another writer (a trib command holding \
            the lock, the branch moved meanwhile) or a repository error.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Option(name: .long, help: ArgumentHelp("The new base.", valueName: "ref"))
    var onto: String?

    @Flag(name: .long, help: "Report what would happen; move nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Print JSON (schema tributary.sync/1).")
    var json = false

    @Argument(help: ArgumentHelp("The branch (default: the current branch).", valueName: "branch"))
    var branch: String?

    func run() throws {
        let report = try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.loadIfPresent(for: repository)
            let syncer = Syncer(repository: repository)
            syncer.dryRun = dryRun
            syncer.context = CommandContext.make()
            return try syncer.run(branch: branch, onto: onto, manifest: manifest)
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(report) : PullRenderer.text(report))
        output.flush()
        if report.hasConflicts { throw ExitStatus.findings }
    }
}
