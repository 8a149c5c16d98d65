import ArgumentParser
import Foundation
import Git
import Tributary

struct SeriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series",
        abstract: "Import patch series from mail, see which landed where, and where a posting should go.",
        discussion: """
            Series are found in the imported mail as b4 and patchwork group them (Docs/series.md), \
            and looked for in the integration branch and each fetched tree — their commits since \
            the manifest's base — by patch-id, then Link:/Message-ID:, then author and subject \
            (with the same files and half of the changed lines), then diff similarity. `series \
            route` tells, before anyone applies a posting, where it applies, which tree should take \
            it and what it will conflict with.
            """,
        subcommands: [
            SeriesImportCommand.self, SeriesListCommand.self, SeriesShowCommand.self, SeriesRouteCommand.self,
        ]
    )
}

/// `-C PATH` and `--manifest FILE`, and the ledger's sources they name.
struct LedgerOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    /// The places, the mail and the index of the repository's manifest.
    func sources() throws -> LedgerSources {
        try sourcesAndManifest().sources
    }

    /// The sources, and the manifest they come from.
    func sourcesAndManifest() throws -> (sources: LedgerSources, manifest: Manifest) {
        let repository = try self.repository.open()
        let manifest = try manifestOptions.load(for: repository)
        return (
            try LedgerSources(
                repository: repository, manifest: manifest, index: try? IndexDatabase(repository: repository),
                context: CommandContext.make()), manifest
        )
    }
}

struct SeriesImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import mbox files (mboxrd or mboxo), a public-inbox archive or a maildir.",
        discussion: """
            Each file is kept under GIT_DIR/tributary/mail/ (named by its content; importing it \
            again changes nothing). A message read with problems (no Message-ID, garbage, an \
            undecodable part) is reported with its byte offset, and the rest is imported. \
            --public-inbox DIR reads a public-inbox v2 archive (DIR/git/0.git, 1.git, … as lore \
            publishes them, or one epoch repository) and imports only the messages added since \
            the last import, in mbox files of --batch-size messages; an import stopped at any \
            point loses nothing and the next one goes on from where it stopped. --maildir DIR \
            reads a maildir (new/ and cur/, as lei q writes them) and imports only the messages \
            not imported from it before, by their unique file names.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Option(
        name: .customLong("public-inbox"),
        help: ArgumentHelp("A public-inbox v2 archive, or one of its epoch repositories.", valueName: "dir"),
        completion: .directory)
    var publicInbox: String?

    @Option(
        name: .customLong("maildir"),
        help: ArgumentHelp("A maildir (with new/ and cur/), as lei q writes one.", valueName: "dir"),
        completion: .directory)
    var maildir: String?

    @Option(help: "Messages per mbox file when importing a public-inbox archive or a maildir.")
    var batchSize = 2_000

    @Argument(help: ArgumentHelp("mbox files.", valueName: "mbox"), completion: .file())
    var files: [String] = []

    func validate() throws {
        if files.isEmpty && publicInbox == nil && maildir == nil {
            throw ValidationError("give at least one mbox file, --public-inbox or --maildir")
        }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            let archive = try MailArchive(repository: repository)
            let context = CommandContext.make()
            defer { context.events(.progress(nil)) }
            for (number, file) in files.enumerated() {
                context.events(.progress("series import: \(file), \(number + 1) of \(files.count) files"))
                let result = try archive.importFile(file)
                context.events(.progress(nil))
                for warning in result.warnings { printError("warning: \(warning)") }
                print("\(file): \(result.messages) messages\(result.known ? " (imported before)" : "")")
            }
            if let publicInbox {
                let importer = try PublicInboxImport(repository: repository, git: context.git, batchSize: batchSize)
                let result = try importer.importArchive(publicInbox) {
                    context.events(.progress("series import: \($0)"))
                }
                context.events(.progress(nil))
                print(
                    "\(publicInbox): \(result.messages) new messages in \(result.epochs.count) epochs"
                        + (result.removed > 0 ? ", \(result.removed) removals skipped" : "")
                        + (result.messages == 0 ? " (nothing new)" : ""))
            }
            if let maildir {
                let importer = try MaildirImport(repository: repository, batchSize: batchSize)
                let result = try importer.importMaildir(maildir) { context.events(.progress("series import: \($0)")) }
                context.events(.progress(nil))
                print(
                    "\(maildir): \(result.messages) new messages"
                        + (result.known > 0 ? ", \(result.known) imported before" : "")
                        + (result.messages == 0 ? " (nothing new)" : ""))
            }
        }
    }
}

struct SeriesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Every series with its newest version's state in each place.",
        discussion: """
            States: landed (as posted), modified (changed on the way), partial, not-landed, superseded. \
            A series applied nowhere has a routing line: the place that should take it, whether it \
            applies there, the acks it still needs and the places it will conflict with (`trib series \
            route` tells why).
            """)

    @OptionGroup var options: LedgerOptions

    @Option(
        name: .long, help: ArgumentHelp("Show only this place (the integration branch or a tree).", valueName: "tree"))
    var tree: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Show only series in this state there (with --tree) or anywhere.", valueName: "state"))
    var state: SeriesLedger.State?

    @Flag(name: .long, help: "Print JSON (schema tributary.series/1).")
    var json = false

    @Flag(
        name: .long,
        help:
            "List the series found in the trees themselves instead: Link:s to one posting, merges of a series or topic."
    )
    var discovered = false

    func run() throws {
        if discovered {
            let found = try reportingFailures {
                let sources = try options.sources()
                return try sources.discovered(in: tree, joinedWith: try sources.ledger())
            }
            var output = StandardOutput()
            output.write(json ? try JSONText.encode(found) : LedgerRenderer.discovered(found))
            output.flush()
            return
        }
        var ledger = try reportingFailures {
            let (sources, manifest) = try options.sourcesAndManifest()
            return try sources.ledgerWithRouting(manifest: manifest, context: CommandContext.make())
        }
        if let tree, !ledger.places.contains(where: { $0.name == tree }) {
            printError("no place named \(tree) (places: \(ledger.places.map(\.name).joined(separator: ", ")))")
            throw ExitStatus.badInput
        }
        let names = tree.map { [$0] } ?? ledger.places.map(\.name)
        if let state { ledger.series = ledger.series(in: state, at: names) }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(ledger) : LedgerRenderer.list(ledger, places: names))
        output.flush()
    }
}

struct SeriesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One series: per version and patch, where it landed, how it was matched, and acks lost on the way.")

    @OptionGroup var options: LedgerOptions

    @Flag(name: .long, help: "Print JSON (one series of tributary.series/1).")
    var json = false

    @Argument(help: ArgumentHelp("The series id (a unique prefix is enough).", valueName: "id"))
    var id: String

    func run() throws {
        let ledger = try reportingFailures { try options.sources().ledger() }
        let matches = ledger.series.filter { $0.id.hasPrefix(id.lowercased()) }
        guard matches.count == 1, let series = matches.first else {
            printError(matches.isEmpty ? "no series \(id)" : "\(id) is ambiguous")
            throw ExitStatus.badInput
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(series) : LedgerRenderer.show(series, places: ledger.places))
        output.flush()
    }
}
