import ArgumentParser
import Foundation
import Git
import Tributary

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Bring the SQLite index up to date, or build it again from nothing.",
        discussion: """
            The index (GIT_DIR/tributary/index.sqlite) holds what Tributary derives from the \
            repository: each commit's facts for the ledger (patch-id, Link:/Message-ID: ids, author, \
            subject, files, trailers, backport markers, changed lines), the ledger's posted patches \
            and their landings (place, branch, commit, date, rule), trial-merge results and tag \
            findings. Nothing in it is lost by deleting it: `rebuild` clears it and reads every \
            commit of the integration branch and the fetched trees since the base, the [place]s \
            and the mainline back to its history horizon again; `update` reads only commits it \
            has not seen (`trib fetch` and `trib pull` do this on their own, `trib where` for the \
            mainline).
            """,
        subcommands: [IndexUpdateCommand.self, IndexRebuildCommand.self]
    )
}

struct IndexUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Read the commits not seen yet.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            let started = Date()
            let manifest = try manifestOptions.load(for: repository)
            let index = try IndexDatabase(repository: repository)
            let context = CommandContext.make()
            let result = try LedgerPlaces.update(
                repository: repository, manifest: manifest, index: index, includingMainline: true, context: context)
            let ledger = try SeriesLedger.refresh(
                repository: repository, manifest: manifest, index: index, context: context)
            print(
                "index: \(result.commits) commits read in the places that moved, \(result.added) new, \(ledger.landingCount) landings of \(ledger.series.count) series, in \(String(format: "%.2f", Date().timeIntervalSince(started))) s"
            )
        }
    }
}

struct IndexRebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Clear the index and read every commit again.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            let started = Date()
            let index = try IndexDatabase.recreated(repository: repository)
            let context = CommandContext.make()
            let result = try LedgerPlaces.update(
                repository: repository, manifest: manifest, index: index, includingMainline: true, context: context)
            let ledger = try SeriesLedger.refresh(
                repository: repository, manifest: manifest, index: index, context: context)
            print(
                "index rebuilt: \(result.commits) commits in the places, \(result.added) read, \(ledger.landingCount) landings of \(ledger.series.count) series, in \(String(format: "%.2f", Date().timeIntervalSince(started))) s"
            )
        }
    }
}
