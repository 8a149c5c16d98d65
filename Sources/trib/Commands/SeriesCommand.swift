import ArgumentParser
import Foundation
import Git
import Tributary

struct SeriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series",
        abstract: "Import patch series from mail and see which landed where.",
        discussion: """
            Series are found in the imported mail as b4 and patchwork group them (Docs/series.md), \
            and looked for in the integration branch and each fetched tree — their commits since \
            the manifest's base — by patch-id, then Link:/Message-ID:, then author and subject \
            (with the same files and half of the changed lines), then diff similarity.
            """,
        subcommands: [SeriesImportCommand.self, SeriesListCommand.self, SeriesShowCommand.self]
    )
}

/// Loads the imported mail and the places to look in, and builds the ledger.
struct LedgerOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    /// The ledger, also stored in the index (its `series_patch` and `landing` tables).
    func ledger() throws -> SeriesLedger {
        try ledgerAndMatchers().ledger
    }

    /// The ledger (stored in the index as `ledger()` does) with the places it looked in and a
    /// matcher of each, for callers that look at the places again.
    func ledgerAndMatchers() throws -> (
        ledger: SeriesLedger, places: [LedgerPlaces.Place], matchers: [LandingMatcher], index: IndexDatabase?
    ) {
        let repository = try self.repository.open()
        let (places, messages) = try placesAndMail()
        let index = try? IndexDatabase(repository: repository)
        let matchers = try places.map { try LandingMatcher(repository: repository, range: $0.range, index: index) }
        let ledger = try SeriesLedger.build(
            messages: messages, repository: repository, places: places, index: index, matchers: matchers)
        if let index { try ledger.store(in: index) }
        return (ledger, places, matchers, index)
    }

    /// The places to look in (the integration branch and each fetched tree, since the base) and
    /// the imported mail.
    func placesAndMail() throws -> ([LedgerPlaces.Place], [MailMessage]) {
        let repository = try self.repository.open()
        let manifest = try manifestOptions.load(for: repository)
        let places = try LedgerPlaces.places(repository: repository, manifest: manifest)
        return (places, try MailArchive(repository: repository).messages())
    }
}

struct SeriesImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import mbox files (mboxrd or mboxo).",
        discussion: """
            Each file is kept under GIT_DIR/tributary/mail/ (named by its content; importing it \
            again changes nothing). A message read with problems (no Message-ID, garbage, an \
            undecodable part) is reported with its byte offset, and the rest is imported.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("mbox files.", valueName: "mbox"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one mbox file") }
    }

    func run() throws {
        try reportingFailures {
            let archive = try MailArchive(repository: try self.repository.open())
            for file in files {
                let result = try archive.importFile(file)
                for warning in result.warnings { printError("warning: \(warning)") }
                print("\(file): \(result.messages) messages\(result.known ? " (imported before)" : "")")
            }
        }
    }
}

struct SeriesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Every series with its newest version's state in each place.",
        discussion: "States: landed (as posted), modified (changed on the way), partial, not-landed, superseded.")

    @OptionGroup var options: LedgerOptions

    @Option(
        name: .long, help: ArgumentHelp("Show only this place (the integration branch or a tree).", valueName: "tree"))
    var tree: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Show only series in this state there (with --tree) or anywhere.", valueName: "state"))
    var state: String?

    @Flag(name: .long, help: "Print JSON (schema tributary.series/1).")
    var json = false

    @Flag(
        name: .long,
        help:
            "List the series found in the trees themselves instead: Link:s to one posting, merges of a series or topic."
    )
    var discovered = false

    func validate() throws {
        if let state, SeriesLedger.State(rawValue: state) == nil {
            throw ValidationError("--state must be landed, modified, partial, not-landed or superseded")
        }
    }

    func run() throws {
        if discovered {
            let found = try reportingFailures {
                let repository = try options.repository.open()
                let (ledger, places, matchers, index) = try options.ledgerAndMatchers()
                let found = try zip(places, matchers).filter { tree == nil || $0.0.name == tree }.flatMap {
                    try DiscoveredSeries.find(in: $0.0, repository: repository, index: index, matcher: $0.1)
                }
                // Joined with the imported mail: which posted series each one is.
                return DiscoveredSeries.joined(found, with: ledger)
            }
            var output = StandardOutput()
            if json {
                output.write(try JSONText.encode(found))
            } else {
                for series in found {
                    output.line(
                        "\(series.place)  \(series.kind)  \(series.commits.count) commits  \(TreeSource.escaped(series.title))\(series.mailed.isEmpty ? "" : "  mailed as \(series.mailed.joined(separator: ", "))")"
                    )
                }
                if found.isEmpty { output.line("no series found in the trees") }
            }
            output.flush()
            return
        }
        var ledger = try reportingFailures { try options.ledger() }
        if let tree, !ledger.places.contains(where: { $0.name == tree }) {
            printError("no place named \(tree) (places: \(ledger.places.map(\.name).joined(separator: ", ")))")
            throw ExitStatus.badInput
        }
        let names = tree.map { [$0] } ?? ledger.places.map(\.name)
        if let wanted = state.flatMap(SeriesLedger.State.init(rawValue:)) {
            ledger.series = ledger.series.filter { series in
                guard let newest = series.versions.last else { return false }
                return names.contains { newest.states[$0] == wanted }
            }
        }
        var output = StandardOutput()
        if json {
            output.write(try JSONText.encode(ledger))
        } else {
            for series in ledger.series {
                guard let newest = series.versions.last else { continue }
                let states = names.map { "\($0): \(newest.states[$0]?.rawValue ?? "-")" }.joined(separator: ", ")
                output.line(
                    "\(series.id)  v\(newest.version) \(newest.patches.count)/\(newest.expected)  \(TreeSource.escaped(series.title))"
                )
                output.line("    \(states)")
            }
            if ledger.series.isEmpty { output.line("no series (import mail with `trib series import`)") }
        }
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
        let ledger = try reportingFailures { try options.ledger() }
        let matches = ledger.series.filter { $0.id.hasPrefix(id.lowercased()) }
        guard matches.count == 1, let series = matches.first else {
            printError(matches.isEmpty ? "no series \(id)" : "\(id) is ambiguous")
            throw ExitStatus.badInput
        }
        var output = StandardOutput()
        if json {
            output.write(try JSONText.encode(series))
        } else {
            output.line("\(series.id) \(TreeSource.escaped(series.title)) (\(series.sender))")
            for version in series.versions {
                let states = ledger.places.map { "\($0.name): \(version.states[$0.name]?.rawValue ?? "-")" }
                output.line("  v\(version.version) <\(version.messageID)>  \(states.joined(separator: ", "))")
                for patch in version.patches {
                    output.line("    \(patch.counter)/\(version.expected) \(TreeSource.escaped(patch.subject))")
                    for landing in patch.landings {
                        output.line(
                            "        \(landing.place): \(landing.commit.abbreviated()) (\(landing.rule.rawValue))")
                    }
                    if patch.landings.isEmpty { output.line("        not landed") }
                    for trailer in patch.missingInCommit {
                        output.line("        given on the list, missing in the commit: \(trailer)")
                    }
                }
            }
        }
        output.flush()
    }
}
