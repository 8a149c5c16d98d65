public import Foundation
public import Git

/// One `trib notices`: the report now, the ledger, what `trib verify` and the last pull left;
/// the notices due; then, when asked, written or sent and recorded.
public struct NoticeRun {
    public let repository: Repository
    public let manifest: Manifest
    public var index: IndexDatabase?
    public var context = Context()
    /// The moment the report describes (default now).
    public var asOf = Date()

    public init(repository: Repository, manifest: Manifest) {
        self.repository = repository
        self.manifest = manifest
    }

    /// The notices due and the report they come from, compared with `baseline` (default: the one
    /// the ledger kept).
    public func due(baseline override: IntegrationReport?? = nil) throws -> (
        notices: [Notice], report: IntegrationReport, ledger: NoticeLedger, withdrawn: [(key: String, file: String)]
    ) {
        // Said before the report, which takes a while, is built.
        guard let from = manifest.notices.from, OutgoingMail.address(in: from) != nil else {
            throw TributaryError.badInput("set [notices] from = NAME <ADDRESS> in the manifest: notices need a sender")
        }
        var ledger = try NoticeLedger.read(from: repository)
        let report = try ReportBuilder(repository: repository, manifest: manifest, index: index, context: context)
            .build(asOf: asOf)
        let finder = NoticeFinder(
            manifest: manifest, report: report, baseline: override ?? ledger.baseline,
            verdicts: (try? BuildVerdicts.read(from: repository)) ?? BuildVerdicts(),
            resolutions: try resolutionsUsed(), sent: ledger.sent.mapValues(\.fingerprint),
            isInTree: { [repository, manifest] commit, tree in
                guard let tree = manifest.trees.first(where: { $0.name == tree }),
                    let tip = try? repository.referenceTarget(tree.reference)
                else { return false }
                return (try? repository.isAncestor(commit, of: tip)) ?? false
            })
        let withdrawn = try ledger.withdraw(unless: finder.stillTrue)
        var current = NoticeFinder(
            manifest: manifest, report: report, baseline: finder.baseline, verdicts: finder.verdicts,
            resolutions: finder.resolutions, sent: ledger.sent.mapValues(\.fingerprint), isInTree: finder.isInTree)
        // The files' people, as get_maintainer.pl answers in this tree (none without MAINTAINERS).
        if let lookup = try? MaintainerLookup.forRepository(repository, maintainers: nil, mailmap: nil) {
            current.peopleOfPaths = { paths in lookup.answer(paths: paths).recipients.map(\.address) }
            current.peopleOfCommit = { [repository] id in
                guard let commit = try? repository.commit(id),
                    let answer = try? lookup.answer(commit: commit, in: repository)
                else { return [] }
                return answer.recipients.map(\.address)
            }
        }
        return (try current.notices(), report, ledger, withdrawn)
    }

    /// Per tree, the recorded resolutions the last pull applied to its conflicts, each as a diff
    /// of the conflict (with its markers) to the resolution.
    func resolutionsUsed() throws -> [String: [String]] {
        guard let entry = try PullLog(repository: repository).entries(limit: 1).first else { return [:] }
        let stored = try ResolutionStore(repository: repository).resolutions()
        var used: [String: [String]] = [:]
        for tree in entry.trees where !tree.resolutions.isEmpty {
            used[tree.name] = try tree.resolutions.sorted().compactMap { id in
                guard let resolution = stored[id] else { return nil }
                return try resolution.diff(in: repository)
            }
        }
        return used
    }
}
