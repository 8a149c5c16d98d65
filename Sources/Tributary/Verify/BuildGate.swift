import Foundation
public import Git

extension Verifier {
    /// The build gate of `trib pull --verify`: each plan the pull makes is verified before the
    /// branch moves; a culprit tree is refused (the pull stops, or leaves it out and plans again),
    /// a failing start refuses the whole plan, a flaky or passing result is accepted. Every report
    /// goes to `reports` and into the verdicts kept.
    public func gate(reports: VerifyReports) -> (Puller.Plan) throws -> Puller.Gate {
        { [self] plan in
            let report = try verify(plan, target: "pull")
            reports.append(report)
            try remember(
                report,
                tips: Dictionary(
                    plan.trees.compactMap { result in result.tip.map { (result.name, $0) } },
                    uniquingKeysWith: { _, last in last }))
            let runs = report.commands.map(\.runs).reduce(0, +)
            switch report.verdict {
            case .passed:
                return .accept(note: "passed \(Self.names(report)) (\(runs) runs)")
            case .flaky:
                return .accept(note: "flaky: \(Self.names(report)) failed once and passed when run again")
            case .baseFails:
                let failed = report.commands.last!
                return .block(why: "the start fails \(failed.name) already: no tree to blame, nothing pulled")
            case .broken:
                let culprit = report.culprit!
                return .refuse(tree: culprit.tree, why: Self.why(culprit, command: report.commands.last!.name))
            }
        }
    }

    /// Keeps what `report` says of each tree (`BuildVerdicts`).
    public func remember(_ report: VerifyReport, tips: [String: ObjectID]) throws {
        var verdicts = try BuildVerdicts.read(from: repository)
        verdicts.record(report, tips: tips, now: Int64(Date().timeIntervalSince1970))
        try verdicts.write(to: repository)
    }

    /// "breaks build at 1a2b3c4d5e6f (subject)", "breaks build with TREE".
    static func why(_ culprit: VerifyReport.Culprit, command: String) -> String {
        let at = culprit.commit.map { " at \($0.hex.prefix(12)) (\(culprit.subject ?? ""))" } ?? ""
        if let partner = culprit.partner { return "breaks \(command) with \(partner)\(at)" }
        return "breaks \(command) alone\(at)"
    }

    static func names(_ report: VerifyReport) -> String { report.commands.map(\.name).joined(separator: ", ") }
}

/// The reports a gate made, in order (the pull's gate may verify several plans).
public final class VerifyReports: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [VerifyReport] = []

    public init() {}

    public var all: [VerifyReport] { lock.withLock { stored } }

    func append(_ report: VerifyReport) { lock.withLock { stored.append(report) } }
}

extension Verifier {
    /// Removes the scratch work trees (and with `all` the results, logs and verdicts).
    public static func clean(in repository: Repository, all: Bool) throws -> [String] {
        try ScratchWorkTree.clean(in: repository, all: all)
    }

    /// The fetched tip of each tree, by name.
    public static func tips(of manifest: Manifest, in repository: Repository) throws -> [String: ObjectID] {
        var tips: [String: ObjectID] = [:]
        for tree in manifest.trees { tips[tree.name] = try repository.referenceTarget(tree.reference) }
        return tips
    }
}
