public import Foundation
import Git
public import Tributary

/// The report part of the demo: the integrator's report of the evening before the pull is kept
/// as the previous one (`trib report --record`), and after the pull and the rebuild the next
/// morning's report is written — the mail digest and the HTML site — saying what changed.
public enum DemoReports {
    /// The evening before the pull, and the morning after it.
    public static let before = Date(timeIntervalSince1970: 1_773_864_000)  // 2026-03-18 20:00 UTC
    public static let after = Date(timeIntervalSince1970: 1_773_993_600)  // 2026-03-20 08:00 UTC

    /// Imports the list's mail, writes that evening's digest (`report/digest-before.md`, the
    /// first report: no previous one) and records the report.
    public static func recordBefore(_ forest: DemoForest) throws {
        let repository = try Repository(at: forest.integrationPath)
        try DemoMail.write(forest, to: forest.directory + "/list.mbox")
        _ = try MailArchive(repository: repository).importFile(forest.directory + "/list.mbox")
        let report = try report(forest, repository: repository, asOf: before)
        let directory = forest.directory + "/report"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let digest = MarkdownDigest.render(report, changes: ReportChanges.between(nil, report))
        try Data(digest.utf8).write(to: URL(fileURLWithPath: directory + "/digest-before.md"), options: .atomic)
        try ReportHistory(repository: repository).record(report)
    }

    public struct Written {
        /// The site's overview page.
        public var index: String
        public var digestPath: String
        public var digest: String
        public var report: IntegrationReport
    }

    /// Writes the report (site and digest) into `forest.directory/report/` and records it.
    public static func write(_ forest: DemoForest) throws -> Written {
        let repository = try Repository(at: forest.integrationPath)
        let history = ReportHistory(repository: repository)
        let report = try report(forest, repository: repository, asOf: after)
        let changes = ReportChanges.between(try history.previous(), report)
        let directory = forest.directory + "/report"
        let index = try HTMLSite.write(report, changes: changes, to: directory)
        let digest = MarkdownDigest.render(report, changes: changes)
        let digestPath = directory + "/digest.md"
        try Data(digest.utf8).write(to: URL(fileURLWithPath: digestPath), options: .atomic)
        try history.record(report)
        return Written(index: index, digestPath: digestPath, digest: digest, report: report)
    }

    private static func report(_ forest: DemoForest, repository: Repository, asOf: Date) throws -> IntegrationReport {
        let manifest = try Manifest.load(from: Manifest.defaultPath(for: repository))
        return try ReportBuilder(
            repository: repository, manifest: manifest, index: try IndexDatabase(repository: repository)
        )
        .build(asOf: asOf)
    }
}
