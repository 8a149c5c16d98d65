import ArgumentParser
import Foundation
import Git
import Tributary

#if canImport(Glibc)
    import Glibc
#endif

struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch the trees of the manifest into refs/tributary/trees/NAME.",
        discussion: """
            Runs `git fetch` for each tree (all of them, or the TREEs named), several at once, \
            each with a timeout. A tree's tip moves only when its fetch succeeds, by \
            compare-and-swap with a reflog entry, so the previous tip stays on record. A failing \
            tree is reported and the others go on. Progress is shown when standard error is a \
            terminal.

            Exit status: 0 all fetched, 1 some failed, 2 bad input (unknown tree, broken \
            manifest), 3 repository error.
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Option(name: .long, help: ArgumentHelp("Fetches to run at once.", valueName: "n"))
    var jobs: Int = 8

    @Option(name: .long, help: ArgumentHelp("Seconds one fetch may take before it is stopped.", valueName: "seconds"))
    var timeout: Double = 600

    @Argument(help: ArgumentHelp("Trees to fetch (default: every tree).", valueName: "tree"))
    var trees: [String] = []

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    func run() throws {
        let showProgress = isatty(2) == 1
        let outcomes = try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            let total = try manifest.trees(named: trees).count
            let context = CommandContext.make()
            return try Fetcher(git: context.git, timeout: timeout).fetchTrees(
                trees, of: manifest, into: repository, jobs: jobs, index: try? IndexDatabase(repository: repository),
                context: context
            ) { outcome, finished in
                guard showProgress else { return }
                let line = "\rfetching: \(finished)/\(total) (\(outcome.name))"
                FileHandle.standardError.write(Data((line + "\u{1b}[K" + (finished == total ? "\n" : "")).utf8))
            }
        }
        var output = StandardOutput()
        output.write(TreeRenderer.fetched(outcomes))
        output.flush()
        if outcomes.contains(where: { $0.failure != nil }) { throw ExitStatus.findings }
    }
}
