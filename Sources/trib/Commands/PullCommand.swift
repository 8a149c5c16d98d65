import ArgumentParser
import Foundation
import Git
import Tributary

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Merge the trees into the integration branch, safely.",
        discussion: """
            Merges each tree's fetched tip (all trees, or the TREEs named) in merge order, in \
            memory, with a merge commit naming the tree, its URL, branch and tip and listing what \
            came in. Recorded resolutions (`trib resolve`) settle the conflicts they match; \
            fix-ups are applied right after their tree's merge. The integration branch moves once, \
            at the end, by compare-and-swap against the value read at the start, with the reflog \
            entry `trib pull: …`; a checked-out branch moves with its work tree, which must be \
            clean. With --rebuild the branch is recreated from the manifest's base, and the old \
            tip is kept under refs/tributary/backup/BRANCH/TIME. Another mutating trib command \
            running on the repository makes this one fail (GIT_DIR/tributary/lock). A pull \
            killed after moving the branch is finished by the next one: the work tree, \
            refs/tributary/pulled/NAME and the log entry (GIT_DIR/tributary/move-journal.json).

            Exit status: 0 pulled (or nothing to pull), 1 stopped on a conflict or trees skipped, \
            2 refused (dirty work tree, no identity) or bad input, 3 another writer (a trib command \
            holding the lock, the branch moved meanwhile) or a repository error.
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Flag(name: .long, help: "Do everything but move any reference.")
    var dryRun = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "On a conflict no recorded resolution settles: stop (leave every ref as it was) or skip (leave the tree out and go on).",
            valueName: "policy"))
    var onConflict: Puller.ConflictPolicy = .stop

    @Flag(name: .long, help: "Recreate the integration branch from the manifest's base (a daily rebuild).")
    var rebuild = false

    @Flag(
        name: .long,
        help:
            "Build before moving the branch: run the manifest's [verify] commands on the result; a tree that breaks it is handled as --on-broken says (with --dry-run too, moving nothing)."
    )
    var verify = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --verify, on a tree whose merge breaks the build: stop (move nothing) or skip (leave it out, verify the rest again).",
            valueName: "policy"))
    var onBroken: Puller.ConflictPolicy = .stop

    @Option(name: .long, help: ArgumentHelp("With --verify: run up to N builds at once.", valueName: "n"))
    var jobs = 1

    @Flag(name: .long, help: "Print JSON (schema tributary.pull/1).")
    var json = false

    @Argument(help: ArgumentHelp("Trees to pull (default: every tree).", valueName: "tree"))
    var trees: [String] = []

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if !verify && (onBroken != .stop || jobs != 1) {
            throw ValidationError("--on-broken and --jobs go with --verify")
        }
    }

    func run() throws {
        let report = try reportingFailures {
            let repository = try self.repository.open()
            let puller = Puller(repository: repository, manifest: try manifestOptions.load(for: repository))
            puller.treeNames = trees
            puller.dryRun = dryRun
            puller.rebuild = rebuild
            puller.onConflict = onConflict
            puller.index = try? IndexDatabase(repository: repository)
            puller.context = CommandContext.make()
            if verify {
                let verifier = Verifier(
                    repository: repository, manifest: puller.manifest, commands: puller.manifest.verifyCommands)
                guard !verifier.commands.isEmpty else {
                    throw TributaryError.badInput("--verify needs a [verify] command in the manifest")
                }
                verifier.jobs = jobs
                verifier.index = puller.index
                verifier.context = puller.context
                let context = puller.context
                verifier.announce = { line in context.events(.progress(line)) }
                puller.gate = verifier.gate(reports: VerifyReports())
                puller.onBroken = onBroken
            }
            return try puller.run()
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(report) : PullRenderer.text(report))
        output.flush()
        if report.hasConflicts { throw ExitStatus.findings }
    }
}
