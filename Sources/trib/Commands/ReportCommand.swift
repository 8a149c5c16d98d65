import ArgumentParser
import Foundation
import Git
import Tributary

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Publish the integration tree's state: a mail digest, a static HTML site, or JSON.",
        discussion: """
            Gathers the plan of every tree (state, conflicts and who must resolve them), the \
            pairwise conflict matrix, the tag debt of the integration branch since its base and of \
            each tree's waiting commits, the review load (Reviewed-by/Acked-by per person) and the \
            series ledger of the imported mail, and compares it with the previous report recorded \
            with --record (or the one given with --since).

            --markdown prints a digest for a mailing list; --html DIR writes a self-contained site \
            (no external scripts, styles or fonts) to DIR; --json prints the report (schema \
            tributary.report/1), which --since reads back. See Docs/report.md.

            Exit status: 0 report written, 2 bad input, 3 repository error.
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Flag(name: .long, help: "Print the digest in Markdown (plain-text friendly) on standard output.")
    var markdown = false

    @Option(
        name: .long, help: ArgumentHelp("Write the HTML site into this directory.", valueName: "dir"),
        completion: .directory)
    var html: String?

    @Flag(name: .long, help: "Print the report as JSON (schema tributary.report/1).")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The report's moment, for series ages: YYYY-MM-DD or an ISO 8601 time. Default: now.", valueName: "date"))
    var asOf: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Compare with this report (a file of `trib report --json`) instead of the recorded one.",
            valueName: "file"), completion: .file())
    var since: String?

    @Flag(name: .long, help: "Keep this report as the one the next report compares with.")
    var record = false

    func validate() throws {
        if !markdown && html == nil && !json && !record {
            throw ValidationError("say what to write: --markdown, --html DIR or --json (or --record)")
        }
        if markdown && json { throw ValidationError("--markdown and --json both print on standard output; pick one") }
        var isDirectory: ObjCBool = false
        if let html, FileManager.default.fileExists(atPath: html, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--html \(html) is a file; give a directory (it is created when missing)")
        }
        if let asOf, Self.date(asOf) == nil {
            throw ValidationError("--as-of \(asOf): give YYYY-MM-DD or an ISO 8601 time such as 2026-03-20T08:00:00Z")
        }
    }

    static func date(_ text: String) -> Date? {
        if let full = ISO8601DateFormatter().date(from: text) { return full }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        return day.date(from: text)
    }

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            let history = ReportHistory(repository: repository)
            let previous: IntegrationReport?
            if let since {
                guard let data = FileManager.default.contents(atPath: since) else {
                    throw TributaryError.badInput("cannot read \(since)")
                }
                previous = try ReportHistory.read(data, from: since)
            } else {
                previous = try history.previous()
            }
            let report = try ReportBuilder(
                repository: repository, manifest: manifest, index: try? IndexDatabase(repository: repository),
                context: CommandContext.make(progress: !json)
            ).build(asOf: asOf.flatMap(Self.date) ?? Date())
            let changes = ReportChanges.between(previous, report)
            var output = StandardOutput()
            defer { output.flush() }
            if markdown { output.write(MarkdownDigest.render(report, changes: changes)) }
            if json { output.write(try JSONText.encode(report)) }
            if let html {
                let index = try HTMLSite.write(report, changes: changes, to: html)
                let message = "wrote \(HTMLSite.pages.count) pages to \(html); open \(index)"
                if markdown || json { printError(message) } else { output.line(message) }
            }
            if record {
                try history.record(report)
                if !markdown && !json && html == nil { output.line("recorded the report of \(report.asOf)") }
            }
        }
    }
}
