import Foundation
import Git

/// What the plan finds besides the merges, on a thread (and repository handle) of its own: the
/// tag findings of each tree's new commits under the tree's policy, and the patches that are in
/// more than one place (two trees, a tree and the integration branch, a tree and mainline).
final class PlanSideWork {
    let repository: Repository
    let manifest: Manifest
    let index: IndexDatabase?
    /// At most this many commits of the integration branch and of mainline are compared.
    let horizon: Int
    /// The check whose MAINTAINERS indexes the next tree's check starts with.
    private var sharedCheck: TagCheck?
    private let mergeBases: MergeBases
    /// The integration branch's commit facts, shared by the matchers since each fork point.
    private let upstreamFacts = LandingMatcher.FactsCache()

    init(repository: Repository, manifest: Manifest, index: IndexDatabase?, horizon: Int) {
        self.repository = repository
        self.manifest = manifest
        self.index = index
        self.horizon = horizon
        mergeBases = MergeBases(repository: repository, index: index)
    }

    /// A patch in more than one place: its patch-id and every copy.
    struct Duplicate: Sendable, Codable {
        var patchID: ObjectID
        var copies: [TreePlan.Duplicate.Copy]
    }

    struct Results: Sendable {
        /// By commit of a tree: the patch's copies.
        var duplicates: [ObjectID: Duplicate] = [:]
        /// By tree: the new commits with findings.
        var findings: [String: [TagCheck.CommitResult]] = [:]
        /// By tree: the new commits the integration branch already has as other commits.
        var applied: [String: [TreePlan.Applied]] = [:]
    }

    func run(_ inputs: Planner.Inputs, findsDuplicates: Bool) throws -> Results {
        var results = Results()
        if findsDuplicates {
            results.duplicates = try duplicates(
                trees: inputs.trees.compactMap { tree in inputs.newCommits[tree.name].map { (tree.name, $0) } },
                integrationTip: inputs.integrationTip, integrationBase: inputs.integrationBase, baseTip: inputs.baseTip)
        }
        var upstream: [[ObjectID]: LandingMatcher] = [:]
        for tree in inputs.trees {
            guard let tip = inputs.tips[tree.name], !(inputs.newCommits[tree.name] ?? []).isEmpty else { continue }
            results.findings[tree.name] = try tagFindings(for: tree, tip: tip, integrationTip: inputs.integrationTip)
            // A sub-project merged into a directory shares no path with the integration branch's
            // own commits (its patch-ids name other paths): nothing there can be a copy of it.
            guard tree.method.subtree == nil else { continue }
            results.applied[tree.name] = try alreadyApplied(
                tip: tip, integrationTip: inputs.integrationTip, matchers: &upstream)
        }
        return results
    }

    // MARK: Already applied

    /// The new commits of the tree at `tip` whose change the integration branch has as another
    /// commit it gained after the tree forked from it (at most `horizon` of those commits are
    /// compared): by patch-id, or by the landing rules for edited copies. `matchers` keeps the
    /// integration branch's commits since each fork point.
    /// The answer is kept in the index under both tips (and the horizon): it is the same for as
    /// long as neither moves.
    private func alreadyApplied(tip: ObjectID, integrationTip: ObjectID, matchers: inout [[ObjectID]: LandingMatcher])
        throws -> [TreePlan.Applied]
    {
        let key = "applied/1 \(horizon) \(tip.hex) \(integrationTip.hex)"
        if let data = try index?.derivedAnswer(forKey: key),
            let stored = try? JSONDecoder().decode([TreePlan.Applied].self, from: data)
        {
            return stored
        }
        let applied = try findApplied(tip: tip, integrationTip: integrationTip, matchers: &matchers)
        try index?.storeDerivedAnswer(try JSONEncoder().encode(applied), forKey: key)
        return applied
    }

    /// The fork points are every merge base of the two tips (the integration branch's commits
    /// after all of them count).
    private func findApplied(tip: ObjectID, integrationTip: ObjectID, matchers: inout [[ObjectID]: LandingMatcher])
        throws -> [TreePlan.Applied]
    {
        let forks = try mergeBases.all(integrationTip, tip).sorted { $0.hex < $1.hex }
        guard !forks.isEmpty, forks != [integrationTip] else { return [] }
        let upstream =
            try matchers[forks]
            ?? LandingMatcher(
                repository: repository,
                range: RevisionRange(terms: [.include(integrationTip.hex)] + forks.map { .exclude($0.hex) }),
                index: index, limit: horizon, cache: upstreamFacts)
        matchers[forks] = upstream
        let own = try LandingMatcher(
            repository: repository, range: RevisionRange(terms: [.include(tip.hex), .exclude(integrationTip.hex)]),
            index: index)
        return try own.commits.compactMap { facts in
            guard let (copy, rule) = upstream.match(facts) else { return nil }
            let commit = try repository.commit(facts.id)
            return TreePlan.Applied(
                commit: CommitSummary(
                    id: facts.id, subject: commit.summary, author: "\(commit.author.name) <\(commit.author.email)>"),
                copy: copy.id, rule: rule)
        }
    }

    // MARK: Tag findings

    private func tagFindings(for tree: Manifest.Tree, tip: ObjectID, integrationTip: ObjectID) throws
        -> [TagCheck.CommitResult]
    {
        let policy = try manifest.policy(for: tree)
        let key = "tags/1 \(tip.hex) ^\(integrationTip.hex)"
        let fingerprint = policy.fingerprint
        if let data = try index?.tagFindings(of: [ObjectID(hashing: key)], policy: fingerprint).values.first,
            let stored = try? JSONDecoder().decode([TagCheck.CommitResult].self, from: data)
        {
            return stored
        }
        let check: TagCheck
        if let sharedCheck {
            check = try TagCheck(repository: repository, policy: policy, reusingIndexesOf: sharedCheck)
        } else {
            check = try TagCheck(repository: repository, policy: policy)
        }
        let report: TagCheck.Report
        do {
            report = try check.run(RevisionRange(terms: [.include(tip.hex), .exclude(integrationTip.hex)]), jobs: 1)
        } catch TributaryError.badInput(let message) {
            throw TributaryError.badInput("tree \"\(tree.name)\": \(message)")
        }
        sharedCheck = check
        let withFindings = report.commits.filter { !$0.findings.isEmpty }
        try index?.storeTagFindings(
            [ObjectID(hashing: key): try JSONEncoder().encode(withFindings)], policy: fingerprint)
        return withFindings
    }

    // MARK: Duplicates

    /// For each commit whose patch is in more than one place: its patch-id and every copy.
    private func duplicates(
        trees: [(String, [ObjectID])], integrationTip: ObjectID, integrationBase: ObjectID?, baseTip: ObjectID?
    ) throws -> [ObjectID: Duplicate] {
        var places: [(PlanPlace, [ObjectID])] = trees.map { (PlanPlace.tree($0.0), $0.1) }
        var integrationTerms: [RevisionRange.Term] = [.include(integrationTip.hex)]
        if let integrationBase { integrationTerms.append(.exclude(integrationBase.hex)) }
        if integrationBase != nil || baseTip == nil {
            places.append(
                (.integration, Array(try repository.walk(RevisionRange(terms: integrationTerms)).prefix(horizon))))
        }
        if let baseTip {
            let range = RevisionRange(terms: [.include(baseTip.hex), .exclude(integrationTip.hex)])
            places.append((.mainline, Array(try repository.walk(range).prefix(horizon))))
        }
        // The answer is the same for as long as no place's commits change: kept in the index under
        // all of them (a re-plan with nothing new reads it).
        let key =
            "duplicates/2 \(horizon) "
            + ObjectID(
                hashing: places.map { "\($0.0) " + $0.1.map(\.hex).joined(separator: " ") }.joined(separator: "\n")
            )
            .hex
        if let data = try index?.derivedAnswer(forKey: key),
            let stored = try? JSONDecoder().decode([ObjectID: Duplicate].self, from: data)
        {
            return stored
        }
        let result = try findDuplicates(in: places)
        try index?.storeDerivedAnswer(try JSONEncoder().encode(result), forKey: key)
        return result
    }

    /// Each new commit of a tree that has a copy elsewhere among `places`, with every copy.
    private func findDuplicates(in places: [(PlanPlace, [ObjectID])]) throws -> [ObjectID: Duplicate] {
        // Every place's commits in one pool; each new commit of a tree is asked about in every
        // place that holds a commit the pool finds near it, by the landing engine with its rules
        // per place (as trib where asks): the copies by patch-id, link, marker or content.
        var placesOf: [ObjectID: [PlanPlace]] = [:]
        var members: [PlanPlace: Set<ObjectID>] = [:]
        var order: [ObjectID] = []
        for (place, commits) in places {
            for commit in commits {
                if placesOf[commit] == nil { order.append(commit) }
                placesOf[commit, default: []].append(place)
                members[place, default: []].insert(commit)
            }
        }
        let pool = try LandingMatcher(repository: repository, commits: order, index: index, cache: upstreamFacts)
        var result: [ObjectID: Duplicate] = [:]
        for (_, commits) in places.filter({ $0.0.treeName != nil }) {
            for commit in commits where result[commit] == nil {
                guard let facts = pool.facts(of: commit), let patchID = facts.patchID else { continue }
                let query = LandingEngine.Query(facts)
                var near = facts.patchID.map { pool.commits(withPatchID: $0) } ?? []
                for messageID in facts.messageIDs { near += pool.commits(linking: messageID) }
                near += pool.commits(marking: commit)
                for marker in facts.markers { near += pool.commits(withPrefix: marker) }
                if let content = query.content { near += pool.commits(near: content, byFiles: true).map(\.0) }
                var asked = Set<PlanPlace>()
                let touched = near.flatMap { placesOf[$0.id] ?? [] }.filter { asked.insert($0).inserted }
                // The commit itself where it is, then its copies.
                var copies = (placesOf[commit] ?? []).map { TreePlan.Duplicate.Copy(place: $0, commit: commit) }
                for place in touched {
                    let landings = try LandingEngine.landings(
                        of: query, in: LandingMatcher.Portion(of: pool, members: members[place] ?? []),
                        mainline: place == .mainline, identities: pool.identities, repository: repository)
                    for landing in landings where landing.commit.id != commit {
                        copies.append(.init(place: place, commit: landing.commit.id, rule: landing.rule))
                    }
                }
                guard Set(copies.map(\.commit)).count > 1 else { continue }
                result[commit] = Duplicate(patchID: patchID, copies: copies)
            }
        }
        return result
    }
}
