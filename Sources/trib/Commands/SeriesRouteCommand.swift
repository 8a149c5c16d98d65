import ArgumentParser
import Foundation
import Tributary

struct SeriesRouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Where a posted series applies, which tree should take it, and what it will conflict with.",
        discussion: """
            The series is applied in memory, as git am --3way would, onto the integration branch and \
            each fetched tree's tip (nothing is written but objects). Its base comes from its \
            base-commit: and prerequisite-patch-id: lines, and from the blob ids of its index \
            lines. The tree that should take it is where an earlier version landed, else the tree \
            holding its prerequisites, else the tree owning most of its files (MAINTAINERS sections \
            the manifest says it owns, or whose T: names its URL); the acks the tag rules ask for \
            there are listed, and the series, taken there, is trial-merged with the integration \
            branch and the other trees. Exit status 0 when it applies where it is routed, 1 when \
            not (Docs/series.md, "Routing").
            """)

    @OptionGroup var options: LedgerOptions

    @Option(help: "The version to route (default: the newest, or the one the Message-ID belongs to).")
    var version: Int?

    @Flag(name: .long, help: "Print JSON (schema tributary.route/1).")
    var json = false

    @Argument(
        help: ArgumentHelp(
            "A series id (a unique prefix is enough), an mbox file, or a Message-ID of its cover letter or a patch.",
            valueName: "series"),
        completion: .file())
    var target: String

    func validate() throws {
        if let version, version < 1 { throw ValidationError("--version must be at least 1") }
    }

    func run() throws {
        let route = try reportingFailures {
            let repository = try options.repository.open()
            let manifest = try options.manifestOptions.load(for: repository)
            let context = CommandContext.make()
            let sources = try LedgerSources(
                repository: repository, manifest: manifest, index: try? IndexDatabase(repository: repository),
                context: context)
            let ledger = try sources.ledger()
            let series = try RouteTarget.posting(target, version: version, series: sources.series)
            let router = try SeriesRouter(sources: sources, manifest: manifest, ledger: ledger, context: context)
            return try router.route(series)
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(route) : RouteRenderer.text(route))
        output.flush()
        if !route.decision.applies { throw ExitStatus.findings }
    }
}
