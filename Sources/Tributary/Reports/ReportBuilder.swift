public import Foundation
public import Git

/// Gathers an `IntegrationReport` from what the other parts compute: the plan (tree states,
/// conflicts and who they are with, tag findings of waiting commits), the pairwise conflict
/// matrix, a tag check of the integration branch since its base, the review trailers of every
/// commit in range, and the series ledger of the imported mail.
public struct ReportBuilder {
    public let repository: Repository
    public let manifest: Manifest
    public let index: IndexDatabase?
    /// Warnings and phase times go here.
    public var context: Context

    public init(repository: Repository, manifest: Manifest, index: IndexDatabase?, context: Context = Context()) {
        self.repository = repository
        self.manifest = manifest
        self.index = index
        self.context = context
    }

    public func build(asOf: Date) throws -> IntegrationReport {
        let clock = context.clock("report")
        defer { clock.report() }
        func timed<T>(_ phase: String, _ body: () throws -> T) rethrows -> T { try clock.measure(phase, body) }
        let plan = try timed("plan") {
            let planner = Planner(repository: repository, manifest: manifest, index: index)
            planner.context = context
            return try planner.run()
        }
        let integrationTip = try repository.referenceTarget(manifest.integration.reference)
        let baseTip = try manifest.integration.base.map { try repository.resolveCommit($0) }
        let trees = try treeStatuses(plan, maintainersAt: integrationTip ?? baseTip)
        let pairs = try integrationTip.map { tip in
            try timed("pairwise conflicts") { try self.pairs(plan, integrationTip: tip) }
        }
        // The range the tag debt and the review load cover: the integration branch's own
        // commits since the base (without a base, not the branch's whole history), and every
        // tree's waiting commits.
        var inRange: [(place: String, id: ObjectID)] = []
        var tagDebt: [IntegrationReport.TagDebt] = []
        if let integrationTip, let baseTip {
            let range = RevisionRange(terms: [.include(integrationTip.hex), .exclude(baseTip.hex)])
            let check = try timed("tag check") {
                try TagCheck(repository: repository, policy: manifest.policy).run(range)
            }
            tagDebt += debts(check.commits, place: manifest.integration.branch)
            inRange += try repository.commits(in: range).map { (manifest.integration.branch, $0) }
        }
        for planned in plan.trees {
            tagDebt += debts(planned.tagFindings, place: planned.name)
            inRange += planned.newCommits.map { (planned.name, $0.id) }
        }
        let reviewLoad = try timed("review load") { try self.reviewLoad(of: inRange) }
        return IntegrationReport(
            asOf: asOf,
            integration: .init(
                branch: manifest.integration.branch, tip: integrationTip, baseRef: manifest.integration.base,
                baseTip: baseTip),
            trees: trees, pairs: pairs ?? [], tagDebt: tagDebt, reviewLoad: reviewLoad,
            series: try timed("series") { try seriesRows() })
    }

    /// Each tree as planned, with who answers for it (the M: people of the sections it owns, in
    /// the MAINTAINERS file at `commit`) and who must resolve each conflict: its maintainers, then
    /// those of the earlier trees it is with.
    private func treeStatuses(_ plan: PlanReport, maintainersAt commit: ObjectID?) throws
        -> [IntegrationReport.TreeStatus]
    {
        let sections = try maintainersSections(at: commit)
        let verdicts = (try? BuildVerdicts.read(from: repository)) ?? BuildVerdicts()
        var maintainersOfTree: [String: [String]] = [:]
        for tree in manifest.trees {
            var people: [String] = []
            for owned in tree.owns {
                for person in sections[owned] ?? [] where !people.contains(person) { people.append(person) }
            }
            maintainersOfTree[tree.name] = people
        }
        return zip(manifest.trees, plan.trees).map { tree, planned in
            let notes = planned.conflicts.map { conflict in
                let with = conflict.with.map(\.tree)
                var resolvers = maintainersOfTree[tree.name] ?? []
                for other in with.compactMap(\.treeName) {
                    for person in maintainersOfTree[other] ?? [] where !resolvers.contains(person) {
                        resolvers.append(person)
                    }
                }
                var subjects: [String] = []
                for commit in conflict.with.flatMap(\.commits) + conflict.commits
                where !subjects.contains(commit.subject) {
                    subjects.append(commit.subject)
                }
                var sides = conflict.with.map { attribution in
                    IntegrationReport.ConflictNote.Side(
                        place: attribution.tree.description, isThisTree: false,
                        commits: attribution.commits.map(\.subject))
                }
                sides.append(
                    .init(place: tree.name, isThisTree: true, commits: conflict.commits.map(\.subject)))
                return IntegrationReport.ConflictNote(
                    path: conflict.conflict.path, kind: conflict.conflict.kind, with: with,
                    resolvers: resolvers, commits: subjects, sides: sides)
            }
            var status = IntegrationReport.TreeStatus(
                name: tree.name, url: tree.url, branch: tree.branch, tip: planned.tip, state: planned.state,
                newCommits: planned.newCommits.count, owns: tree.owns,
                maintainers: maintainersOfTree[tree.name] ?? [], conflicts: notes, tagErrors: planned.tagErrors,
                tagWarnings: planned.tagWarnings)
            status.build = planned.build
            if let (command, verdict) = verdicts.verdict(of: tree.name), verdict.state == .broken {
                status.buildFailure = .init(
                    command: command, commit: verdict.commit, subject: verdict.subject, partner: verdict.partner,
                    excerpt: verdict.excerpt ?? "", log: verdict.log)
            }
            return status
        }
    }

    /// The pairwise matrix of the planned trees.
    private func pairs(_ plan: PlanReport, integrationTip: ObjectID) throws -> [IntegrationReport.PairConflict] {
        let matrix = try ConflictMatrix.build(
            repository: repository, trees: plan.trees.map { ($0.name, $0.tip) }, integrationTip: integrationTip,
            index: index,
            methods: Dictionary(manifest.trees.map { ($0.name, $0.method) }, uniquingKeysWith: { first, _ in first }),
            context: context)
        return matrix.pairs.map { pair in
            IntegrationReport.PairConflict(
                first: pair.first, second: pair.second, outcome: pair.outcome, conflicts: pair.conflicts.count,
                paths: pair.conflicts.map(\.path))
        }
    }

    /// Section title → its maintainers (M:), from the MAINTAINERS file at `commit`.
    private func maintainersSections(at commit: ObjectID?) throws -> [String: [String]] {
        guard let commit,
            let bytes = try repository.fileContents(
                at: manifest.integration.maintainersPath, in: repository.treeOfCommit(commit))
        else { return [:] }
        let file = MaintainersFile(contents: String(decoding: bytes, as: UTF8.self))
        var result: [String: [String]] = [:]
        for section in file.sections { result[section.title] = section.maintainers.map(\.description) }
        return result
    }

    private func debts(_ results: [TagCheck.CommitResult], place: String) -> [IntegrationReport.TagDebt] {
        results.filter { !$0.findings.isEmpty }.map { result in
            IntegrationReport.TagDebt(
                place: place, commit: result.commit, subject: result.subject, author: result.author.description,
                findings: result.findings.map {
                    .init(
                        rule: $0.rule, severity: $0.severity, message: $0.message, people: $0.people)
                })
        }
    }

    // MARK: Review load

    private func reviewLoad(of commits: [(place: String, id: ObjectID)]) throws -> IntegrationReport.ReviewLoad {
        var counter = ReviewLoadCounter(
            identities: IdentityMatcher(mailmap: try repository.mailmap()), policy: manifest.policy)
        var seen = Set<ObjectID>()
        for (place, id) in commits where seen.insert(id).inserted {
            counter.add(try repository.commit(id), id: id, place: place)
        }
        return counter.load()
    }

    // MARK: Series

    private func seriesRows() throws -> [IntegrationReport.SeriesRow] {
        guard manifest.integration.base != nil else { return [] }
        // Every place's new commits read at once, in bulk, before the ledger looks at each place;
        // one matcher per place, for the ledger and the series found in the trees alike.
        let sources = try LedgerSources(
            repository: repository, manifest: manifest, index: index, bringIndexUpToDate: true, context: context)
        let ledger = try sources.ledgerWithRouting(manifest: manifest, context: context)
        let places = sources.places
        var patchIDs = PatchIDCache(repository: repository, index: index)
        var rows: [IntegrationReport.SeriesRow] = []
        for series in ledger.series {
            guard let newest = series.versions.max(by: { $0.version < $1.version }) else { continue }
            var ids: [String: [ObjectID]] = [:]
            var commitsByPlace: [String: [ObjectID]] = [:]
            for place in ledger.places.map(\.name) {
                let commits = newest.patches.compactMap { patch in patch.landings.first { $0.place == place }?.commit }
                if !commits.isEmpty {
                    ids[place] = try patchIDs.sorted(commits)
                    commitsByPlace[place] = commits
                }
            }
            rows.append(
                IntegrationReport.SeriesRow(
                    key: series.id, title: series.title, sender: series.sender, version: newest.version,
                    postedAt: newest.date, patches: newest.patches.count,
                    states: newest.states, patchIDs: ids,
                    listReviews: newest.patches.reduce(0) { $0 + $1.listTrailers.count },
                    lostTrailers: Array(Set(newest.patches.flatMap(\.missingInCommit))).sorted(),
                    messageID: newest.messageID, commits: commitsByPlace, recipients: newest.recipients,
                    routing: series.routing))
        }
        // Series found only in the trees: commits sharing one posting that is not imported mail
        // (as `trib series list --discovered` joins them).
        var discovered: [String: IntegrationReport.SeriesRow] = [:]
        var order: [String] = []
        for place in places {
            for found in try sources.discovered(in: place.name, joinedWith: ledger)
            where found.kind == .posting && found.mailed.isEmpty {
                let key = "posting:" + found.title
                if discovered[key] == nil {
                    order.append(key)
                    let subject = try repository.commit(found.commits[0]).summary
                    discovered[key] = IntegrationReport.SeriesRow(
                        key: key, title: subject, sender: nil, version: nil, postedAt: nil,
                        patches: found.commits.count, states: [:], patchIDs: [:], listReviews: 0, lostTrailers: [])
                }
                discovered[key]!.states[place.name] = .landed
                discovered[key]!.patchIDs[place.name] = try patchIDs.sorted(found.commits)
            }
        }
        for key in order {
            var row = discovered[key]!
            for place in places where row.states[place.name] == nil { row.states[place.name] = .notLanded }
            rows.append(row)
        }
        return rows
    }
}

/// Patch-ids of commits, from the index when it has them (`PatchIDLookup`), each looked up once.
private struct PatchIDCache {
    let repository: Repository
    let index: IndexDatabase?
    var known: [ObjectID: ObjectID] = [:]

    init(repository: Repository, index: IndexDatabase?) {
        self.repository = repository
        self.index = index
    }

    /// The patch-ids of `commits` that have one, sorted.
    mutating func sorted(_ commits: [ObjectID]) throws -> [ObjectID] {
        let missing = commits.filter { known[$0] == nil }
        known.merge(try PatchIDLookup.patchIDs(of: missing, in: repository, index: index)) { first, _ in first }
        return commits.compactMap { known[$0] }.sorted { $0.hex < $1.hex }
    }
}
