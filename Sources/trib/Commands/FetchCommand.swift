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
        let (repository, manifest, requests) = try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            return (repository, manifest, try manifest.trees(named: trees).map(Fetcher.Request.init))
        }
        let total = requests.count
        let showProgress = isatty(2) == 1
        let outcomes = Fetcher(timeout: timeout).fetch(requests, into: repository.gitDirectory, jobs: jobs) {
            outcome, finished in
            if showProgress {
                let line = "\rfetching: \(finished)/\(total) (\(outcome.name))"
                FileHandle.standardError.write(Data((line + "\u{1b}[K" + (finished == total ? "\n" : "")).utf8))
            }
        }
        var output = StandardOutput()
        for outcome in outcomes {
            output.line("\(outcome.name): \(describe(outcome, in: repository))")
        }
        let failed = outcomes.filter { $0.failure != nil }
        output.line(
            "fetched \(outcomes.count - failed.count) of \(outcomes.count) trees; \(outcomes.filter(\.changed).count) changed, \(failed.count) failed"
        )
        output.flush()
        // The ledger's index reads the new commits now (best effort: the ledger reads them later
        // otherwise).
        if manifest.integration.base != nil, let index = try? IndexDatabase(repository: repository) {
            _ = try? LedgerPlaces.update(repository: repository, manifest: manifest, index: index)
        }
        if !failed.isEmpty { throw ExitStatus.findings }
    }

    private func describe(_ outcome: Fetcher.Outcome, in repository: Repository) -> String {
        if let failure = outcome.failure {
            let firstLines = failure.split(separator: "\n").prefix(3).joined(separator: " / ")
            return "FAILED: \(TreeSource.escaped(firstLines))"
        }
        guard let tip = outcome.tip else { return "no tip" }
        guard let previous = outcome.previousTip else { return "new at \(tip.abbreviated())" }
        if previous == tip { return "up to date at \(tip.abbreviated())" }
        let range = "\(previous.abbreviated())..\(tip.abbreviated())"
        let added = (try? repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(previous.hex)])))?
            .count
        if (try? repository.isAncestor(previous, of: tip)) == true {
            return "\(range) (\(added ?? 0) new commits)"
        }
        return "\(previous.abbreviated())...\(tip.abbreviated()) (forced update: rebased or rewound)"
    }
}
