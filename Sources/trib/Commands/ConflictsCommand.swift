import ArgumentParser
import Foundation
import Git
import Tributary

struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "The pairwise conflict matrix of the manifest's trees.",
        discussion: """
            Every pair of fetched trees is merged with each other in memory — but only where the \
            paths they change since they forked from the integration branch overlap (a file in \
            one and a path below it in the other count); other pairs are reported as disjoint. \
            For each conflicting pair: the files, their conflict kinds and the commits of each \
            tree. Results are kept in the index like `trib plan`'s.

            Exit status: 0 no conflicting pair, 1 some, 2 bad input, 3 repository error.
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Flag(name: .long, help: "Print JSON (schema tributary.conflicts/1).")
    var json = false

    func run() throws {
        let matrix = try reportingFailures {
            let repository = try self.repository.open()
            return try ConflictMatrix.build(
                repository: repository, manifest: try manifestOptions.load(for: repository),
                index: try IndexDatabase(repository: repository), context: CommandContext.make(progress: !json))
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(matrix) : PlanRenderer.text(matrix))
        output.flush()
        if matrix.hasConflicts { throw ExitStatus.findings }
    }
}
