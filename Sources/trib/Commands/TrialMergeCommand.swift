import ArgumentParser
import Foundation
import Git
import Tributary

struct TrialMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial-merge",
        abstract: "Merge REFs onto BASE in order, in memory, and report each step.",
        discussion: """
            Plumbing. Each REF is merged onto the running result (BASE, then each clean merge); \
            a conflicted REF is left out. For each step: clean with the merged tree id (the tree \
            `git merge-tree --write-tree` would print), up to date, or conflicted: every path \
            with its kind (content, binary, add/add, modify/delete, delete/modify, \
            rename/delete, rename/rename, rename/modify, mode), the conflicting hunks with base, \
            ours and theirs text, and on each side the commits since the merge base that last \
            changed those lines. No reference moves.

            Exit status: 0 every step clean or up to date, 1 some conflict, 2 bad input, \
            3 repository error.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .long, help: "Print JSON (schema tributary.trial-merge/1).")
    var json = false

    @Argument(help: ArgumentHelp("The commit to merge onto.", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("The commits to merge, in order.", valueName: "ref"))
    var refs: [String]

    func validate() throws {
        if refs.isEmpty { throw ValidationError("give at least one REF to merge onto BASE") }
    }

    func run() throws {
        let (steps, repository) = try reportingFailures {
            let repository = try self.repository.open()
            let base = try repository.resolveCommit(self.base)
            let references = try refs.map { (name: $0, tip: try repository.resolveCommit($0)) }
            let steps = try TrialMerge(repository: repository).run(base: base, references: references)
            return (steps, repository)
        }
        var output = StandardOutput()
        if json {
            output.write(try JSONText.encode(TrialMergeReport(steps)))
        } else {
            output.write(
                PlanRenderer.text(steps) { id in
                    guard let commit = try? repository.commit(id) else { return id.abbreviated() }
                    return "\(id.abbreviated()) \"\(TreeSource.escaped(commit.summary))\" (\(commit.author.name))"
                })
        }
        output.flush()
        if steps.contains(where: { !$0.conflicts.isEmpty }) { throw ExitStatus.findings }
    }
}
