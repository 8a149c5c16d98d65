import ArgumentParser
import Foundation
import Git
import Tributary

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Say what pulling every tree now, in merge order, would do.",
        discussion: """
            For each tree (all, or the TREEs named) in merge order: the commits not yet in the \
            integration branch; a trial merge onto the running result (the integration tip plus \
            every earlier tree that merged cleanly), with each conflict attributed to the earlier \
            trees and commits it is with; tag problems in the new commits under the tree's policy \
            and owned sections; the same patch in two trees, or already in the integration branch \
            or mainline; rewinds (the tip no longer contains the tip pulled, or fetched, before); \
            and back-merges (mainline commits newer than the integration base). Nothing is \
            changed: no branch moves and no work tree is touched. Results are kept in the index \
            under the git directory, so a re-plan with nothing new does no merge work.

            Exit status: 0 every tree ready or up to date, 1 some tree is not, 2 bad input, \
            3 repository error.
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Flag(name: .long, help: "Print JSON (schema tributary.plan/1, Docs/schemas/plan.schema.json).")
    var json = false

    @Flag(name: .long, help: "Do not look for duplicate patches (saves a patch-id per new commit).")
    var noDuplicates = false

    @Flag(name: .long, help: "Neither read nor write the index: compute everything again.")
    var noCache = false

    @Argument(help: ArgumentHelp("Trees to plan (default: every tree).", valueName: "tree"))
    var trees: [String] = []

    func run() throws {
        let plan = try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            let planner = Planner(
                repository: repository, manifest: manifest,
                index: noCache ? nil : try IndexDatabase(repository: repository))
            planner.findsDuplicates = !noDuplicates
            planner.context = CommandContext.make(progress: !json)
            return try planner.run(trees: trees)
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(plan) : PlanRenderer.text(plan))
        output.flush()
        if !plan.allReady { throw ExitStatus.findings }
    }
}
