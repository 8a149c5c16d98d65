import ArgumentParser
import Foundation
import Git
import Tributary

#if canImport(Glibc)
    import Glibc
#endif

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
            2 refused (dirty work tree, branch moved meanwhile, bad input), 3 repository error or \
            another command holding the lock.
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
            valueName: "stop|skip"))
    var onConflict: String = "stop"

    @Flag(name: .long, help: "Recreate the integration branch from the manifest's base (a daily rebuild).")
    var rebuild = false

    @Flag(name: .long, help: "Print JSON (schema tributary.pull/1).")
    var json = false

    @Argument(help: ArgumentHelp("Trees to pull (default: every tree).", valueName: "tree"))
    var trees: [String] = []

    func validate() throws {
        guard Puller.ConflictPolicy(rawValue: onConflict) != nil else {
            throw ValidationError("--on-conflict must be stop or skip")
        }
    }

    func run() throws {
        let report = try reportingFailures {
            let repository = try self.repository.open()
            let puller = Puller(repository: repository, manifest: try manifestOptions.load(for: repository))
            puller.treeNames = trees
            puller.dryRun = dryRun
            puller.rebuild = rebuild
            puller.onConflict = Puller.ConflictPolicy(rawValue: onConflict)!
            puller.index = try? IndexDatabase(repository: repository)
            if isatty(2) == 1 {
                puller.progress = { name in FileHandle.standardError.write(Data("\rpulling \(name)\u{1b}[K".utf8)) }
            }
            defer { if isatty(2) == 1 { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) } }
            let report = try puller.run()
            if report.moved, puller.manifest.integration.base != nil, let index = puller.index {
                _ = try? LedgerPlaces.update(repository: repository, manifest: puller.manifest, index: index)
            }
            return report
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(report) : Self.text(report))
        output.flush()
        if report.stoppedAt != nil || report.trees.contains(where: { $0.outcome == "skipped" }) {
            throw ExitStatus.findings
        }
    }

    static func text(_ report: Puller.Report) -> String {
        var out = ""
        if let recovered = report.recovered { out += recovered + "\n" }
        for file in report.removedLockFiles {
            out += "removed \(file), left by a killed trib command\n"
        }
        let width = min(report.trees.map(\.name.count).max() ?? 0, 28)
        for tree in report.trees {
            var line = "  \(PlanRenderer.pad(tree.name, width))  \(PlanRenderer.pad(tree.outcome, 11))"
            if tree.outcome == "merged" { line += "  \(tree.newCommits) new commits" }
            if !tree.resolutionsUsed.isEmpty {
                line += "; \(tree.resolutionsUsed.count) recorded resolution(s) applied"
            }
            if !tree.fixupsApplied.isEmpty { line += "; fix-ups \(tree.fixupsApplied.joined(separator: ", "))" }
            if !tree.staleFixups.isEmpty { line += "; STALE fix-ups \(tree.staleFixups.joined(separator: ", "))" }
            if !tree.conflicts.isEmpty {
                line += "  conflicts in \(tree.conflicts.map(\.path).joined(separator: ", "))"
            }
            out += line + "\n"
            for conflict in tree.conflicts {
                out += "      \(conflict.kind.rawValue): \(conflict.path)\n"
                for commit in conflict.ourCommits { out += "        integration side: \(commit.abbreviated())\n" }
                for commit in conflict.theirCommits { out += "        \(tree.name): \(commit.abbreviated())\n" }
            }
            for id in tree.staleResolutions {
                out += "      stale: recorded resolution \(id.prefix(12)) no longer matches this conflict\n"
            }
        }
        let branch = report.branch
        if let stopped = report.stoppedAt {
            out += "stopped at \(stopped): \(branch) and every other ref are as they were"
            out += " (resolve with `trib resolve start \(stopped)`, or pull with --on-conflict skip)\n"
        } else if report.dryRun {
            out += "dry run: \(branch) would move to \(report.newTip?.abbreviated() ?? "-") (nothing was changed)\n"
        } else if report.moved {
            out += "\(branch): \(report.previousTip?.abbreviated() ?? "(new)")..\(report.newTip?.abbreviated() ?? "")"
            if let backup = report.backup { out += " (old tip kept as \(backup))" }
            out += "\n"
        } else {
            out += "\(branch) is up to date\n"
        }
        return out
    }
}
