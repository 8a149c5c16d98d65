import Foundation
import Git

/// One command's search over an integration result's states (`Verifier`): the whole result; when
/// it fails, confirmed by a second run, the base; then the first failing tree, its first failing
/// commit, and alone or with which earlier tree.
struct CommandSearch {
    let verifier: Verifier
    let states: IntegrationStates
    let runner: VerifyRunner
    private var examined: [VerifyReport.State] = []

    init(verifier: Verifier, states: IntegrationStates, runner: VerifyRunner) {
        self.verifier = verifier
        self.states = states
        self.runner = runner
    }

    mutating func run() throws -> VerifyReport.CommandResult {
        let commits = states.commits
        var result = VerifyReport.CommandResult(
            name: runner.command.name, command: runner.command.command, verdict: .passed, culprit: nil,
            failure: nil, runs: 0, reused: 0, states: [])
        let whole = try test([(commits.last!, "the whole result")]).first!
        if whole.passed || states.trees.isEmpty {
            if !whole.passed {
                result.verdict = .baseFails
                result.failure = whole
            }
            return finish(result)
        }
        if verifier.confirmFailures, !examined.last!.reused {
            let again = try test([(commits.last!, "the whole result, again")], fresh: true).first!
            if again.passed {
                result.verdict = .flaky
                result.failure = whole
                return finish(result)
            }
        }
        let base = try test([(commits[0], "the start")]).first!
        if !base.passed {
            result.verdict = .baseFails
            result.failure = base
            return finish(result)
        }
        let found = try CulpritSearch.firstFailing(passing: 0, failing: commits.count - 1, width: runner.jobs) {
            points in
            let runs = try test(points.map { (commits[$0], "after \(states.trees[$0 - 1].name)") })
            return Dictionary(uniqueKeysWithValues: zip(points, runs.map { Optional($0.passed) }))
        }
        let position = found.index
        var culprit = try commitSearch(
            tree: states.trees[position - 1], onto: commits[position - 1], failing: commits[position])
        try aloneOrPartner(&culprit, position: position)
        result.verdict = .broken
        result.culprit = culprit
        result.failure = runner.results.result(of: runner.command, on: try states.tree(of: commits[position]))
        return finish(result)
    }

    /// The first commit of `step`'s tree (first parent, oldest first) whose merge onto `onto`
    /// fails; the tree's whole merge is `failing`.
    private mutating func commitSearch(tree step: IntegrationStates.Step, onto: ObjectID, failing: ObjectID) throws
        -> VerifyReport.Culprit
    {
        let repository = states.repository
        var culprit = VerifyReport.Culprit(tree: step.name, commit: nil, subject: nil, untried: [], alone: false)
        guard let tip = step.tip else { return culprit }
        let commits = try repository.commits(
            in: RevisionRange(terms: [.include(tip.hex), .exclude(onto.hex)]), firstParentOnly: true
        ).reversed().map { $0 }
        guard !commits.isEmpty else { return culprit }
        var made: [Int: ObjectID?] = [0: onto, commits.count: failing]
        let found = try CulpritSearch.firstFailing(passing: 0, failing: commits.count, width: runner.jobs) { points in
            for point in points where made[point] == nil {
                made[point] = try verifier.merged(step.name, tip: commits[point - 1], onto: onto)
            }
            let mergeable = points.filter { made[$0]! != nil }
            let runs = try test(mergeable.map { (made[$0]!!, "\(step.name) at \(commits[$0 - 1].hex.prefix(12))") })
            var answers: [Int: Bool?] = Dictionary(uniqueKeysWithValues: points.map { ($0, nil) })
            for (point, run) in zip(mergeable, runs) { answers[point] = run.passed }
            return answers
        }
        let commit = commits[found.index - 1]
        culprit.commit = commit
        culprit.subject = try repository.commit(commit).summary
        culprit.untried = found.skippedBefore.map { commits[$0 - 1] }
        return culprit
    }

    /// Whether the base with the culprit's tree alone fails; if not, the earlier tree it fails
    /// with: the first j for which the trees up to j with the culprit's fail.
    private mutating func aloneOrPartner(_ culprit: inout VerifyReport.Culprit, position: Int) throws {
        let commits = states.commits
        if position == 1 {
            culprit.alone = true
            return
        }
        let name = culprit.tree
        var made: [Int: ObjectID?] = [position - 1: commits[position]]
        made[0] = try verifier.merged(name, tip: states.trees[position - 1].tip, onto: commits[0])
        if let alone = made[0]!, let run = try test([(alone, "\(name) alone on the start")]).first, !run.passed {
            culprit.alone = true
            return
        }
        guard made[0]! != nil else {
            // It does not merge alone: it needs the trees before it; search with it on each.
            culprit.partner = try partnerWithoutAlone(name: name, position: position, made: &made)
            return
        }
        let found = try CulpritSearch.firstFailing(passing: 0, failing: position - 1, width: runner.jobs) { points in
            try withTree(name, position: position, at: points, made: &made)
        }
        culprit.partner = states.trees[found.index - 1].name
    }

    /// The partner of a tree that merges only onto some earlier trees: the first j at which the
    /// trees up to j with it fail, among those onto which it merges.
    private mutating func partnerWithoutAlone(name: String, position: Int, made: inout [Int: ObjectID?]) throws
        -> String?
    {
        for j in 1..<position {
            let answers = try withTree(name, position: position, at: [j], made: &made)
            if answers[j] == false { return states.trees[j - 1].name }
        }
        return nil
    }

    /// Runs (the trees up to j) + `name` for each j of `points`.
    private mutating func withTree(_ name: String, position: Int, at points: [Int], made: inout [Int: ObjectID?])
        throws -> [Int: Bool?]
    {
        let commits = states.commits
        for point in points where made[point] == nil {
            made[point] = try verifier.merged(name, tip: states.trees[position - 1].tip, onto: commits[point])
        }
        let mergeable = points.filter { made[$0]! != nil }
        let runs = try test(mergeable.map { (made[$0]!!, "\(name) after \(states.trees[$0 - 1].name)") })
        var answers: [Int: Bool?] = Dictionary(uniqueKeysWithValues: points.map { ($0, nil) })
        for (point, run) in zip(mergeable, runs) { answers[point] = run.passed }
        return answers
    }

    /// Runs the command on each commit's tree (or reuses the kept result), noting each state.
    private mutating func test(_ items: [(ObjectID, String)], fresh: Bool = false) throws -> [VerifyRun] {
        let trees = try items.map { (commit: $0.0, tree: try states.tree(of: $0.0), label: $0.1) }
        let answers = try runner.run(trees, fresh: fresh)
        for (item, answer) in zip(trees, answers) {
            examined.append(
                .init(label: item.label, tree: item.tree, outcome: answer.run.outcome, reused: answer.reused))
        }
        return answers.map(\.run)
    }

    private func finish(_ result: VerifyReport.CommandResult) -> VerifyReport.CommandResult {
        var result = result
        result.runs = runner.runs
        result.reused = runner.reused
        result.states = examined
        return result
    }
}
