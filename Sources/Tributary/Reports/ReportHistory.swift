public import Foundation
public import Git

/// The previous report, kept as `GIT_DIR/tributary/report/previous.json` (the report's JSON form),
/// so that the next one can say what changed since. Only `trib report --record` replaces it.
public struct ReportHistory {
    public let path: String

    public init(repository: Repository) {
        path = StateDirectory.path(for: repository) + "/report/previous.json"
    }

    /// The recorded report; nil when none was recorded.
    public func previous() throws -> IntegrationReport? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try Self.read(data, from: path)
    }

    /// Reads a report's JSON (as `trib report --json` prints it).
    public static func read(_ data: Data, from path: String) throws -> IntegrationReport {
        do {
            return try JSONText.decode(IntegrationReport.self, from: data)
        } catch {
            throw TributaryError.badInput("\(path) is not a report of schema tributary.report/1: \(error)")
        }
    }

    /// Keeps `report` as the one the next report compares with (written whole, then renamed).
    public func record(_ report: IntegrationReport) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(try JSONText.encode(report).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
