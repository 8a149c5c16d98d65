import ArgumentParser
import Foundation
import Git
import Tributary

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Build (or test) the integration result and name the tree that breaks it.",
        discussion: """
            Runs a command (--command, else the manifest's [verify] and [verify "NAME"] commands, \
            in turn) on the result of the plan — what `trib pull` would make now — or of the last \
            pull (--last-pull), in a scratch work tree under GIT_DIR/tributary/verify/work (a \
            linked work tree at the commit under test), never the user's. The command runs under /bin/sh -c at the top of the tree; exit status 0 \
            passes. When the whole result fails (and fails again: one that passes on the second \
            run is reported flaky), the search finds the first tree in merge order whose merge \
            makes it fail, the first commit of that tree (first parent) that fails on top of the \
            trees before it, and whether the tree breaks alone (start + that tree) or only with an \
            earlier tree, which is named. Each state is made as the pull makes it (recorded \
            resolutions and fix-ups applied). Every run is kept by tree \
            (GIT_DIR/tributary/verify/results.json): a rerun with nothing new runs nothing. Each \
            run's whole output is in GIT_DIR/tributary/verify/logs/; the report quotes its end. \
            Ctrl-C stops the command's whole process group. See Docs/verify.md.

            Exit status: 0 passed (or flaky), 1 broken (or the start fails), 2 bad input, 3 \
            repository or environment error.
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Option(
        name: .long, help: ArgumentHelp("The command to run (instead of the manifest's).", valueName: "shell-command"))
    var command: String?

    @Option(name: .long, help: ArgumentHelp("Run only the manifest's [verify \"NAME\"] command.", valueName: "name"))
    var name: String?

    @Flag(name: .long, help: "Verify what the last `trib pull` made instead of the plan.")
    var lastPull = false

    @Flag(name: .long, help: "Verify the plan of a rebuild (from the manifest's base).")
    var rebuild = false

    @Option(
        name: .long, help: ArgumentHelp("Run up to N commands at once, each in a work tree of its own.", valueName: "n")
    )
    var jobs = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Stop a run after this many seconds (default: the manifest's, else 3600).", valueName: "seconds"))
    var timeout: Double?

    @Option(
        name: .long,
        help: ArgumentHelp("Quote the last N kilobytes of a failing run's output (default 16).", valueName: "n"))
    var logKilobytes: Int?

    @Flag(name: .long, help: "Blame a failure of the whole result without running it a second time.")
    var noConfirm = false

    @Flag(name: .long, help: "Remove the scratch work trees (with --all, the results and logs too), and run nothing.")
    var clean = false

    @Flag(name: .long, help: "With --clean: the results and logs too.")
    var all = false

    @Flag(name: .long, help: "Print JSON (schema tributary.verify/1).")
    var json = false

    @Argument(help: ArgumentHelp("Trees to merge (default: every tree).", valueName: "tree"))
    var trees: [String] = []

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be a positive number of seconds") }
        if let logKilobytes, logKilobytes < 0 { throw ValidationError("--log-kilobytes cannot be negative") }
        if command != nil && name != nil { throw ValidationError("--command and --name exclude each other") }
        if all && !clean { throw ValidationError("--all goes with --clean") }
        if clean && (command != nil || name != nil || lastPull || rebuild || !trees.isEmpty || json) {
            throw ValidationError("--clean removes the work trees and runs nothing: it takes only --all")
        }
        if lastPull && rebuild {
            throw ValidationError("--last-pull verifies what the pull made; --rebuild plans anew")
        }
    }

    func run() throws {
        var output = StandardOutput()
        if clean {
            let removed = try reportingFailures {
                try Verifier.clean(in: try self.repository.open(), all: all)
            }
            output.write(removed.isEmpty ? "nothing to clean\n" : removed.map { "removed \($0)\n" }.joined())
            output.flush()
            return
        }
        let report = try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            let verifier = Verifier(repository: repository, manifest: manifest, commands: try commands(of: manifest))
            verifier.treeNames = trees
            verifier.rebuild = rebuild
            verifier.jobs = jobs
            verifier.confirmFailures = !noConfirm
            verifier.index = try? IndexDatabase(repository: repository)
            verifier.context = CommandContext.make(progress: !json)
            let context = verifier.context
            verifier.announce = { line in context.events(.progress(line)) }
            let report = try verifier.verify(lastPull ? .lastPull : .plan)
            try verifier.remember(report, tips: try Verifier.tips(of: manifest, in: repository))
            context.events(.progress(nil))
            return report
        }
        output.write(json ? try JSONText.encode(report) : VerifyRenderer.text(report))
        output.flush()
        if report.verdict == .broken || report.verdict == .baseFails { throw ExitStatus.findings }
    }

    /// The commands to run: --command, else the manifest's (--name: that one), with --timeout and
    /// --log-kilobytes applied.
    func commands(of manifest: Manifest) throws -> [VerificationCommand] {
        var commands: [VerificationCommand]
        if let command {
            commands = [VerificationCommand(command: command)]
        } else if let name {
            guard let found = manifest.verifyCommands.first(where: { $0.name == name }) else {
                let names = manifest.verifyCommands.map(\.name)
                throw TributaryError.badInput(
                    "no [verify \"\(name)\"] in the manifest"
                        + (names.isEmpty ? "" : " (commands: \(names.joined(separator: ", ")))"))
            }
            commands = [found]
        } else {
            commands = manifest.verifyCommands
            if commands.isEmpty {
                throw TributaryError.badInput("no command: give --command, or a [verify] command in the manifest")
            }
        }
        for index in commands.indices {
            if let timeout { commands[index].timeout = timeout }
            if let logKilobytes { commands[index].logKilobytes = logKilobytes }
        }
        return commands
    }
}
