/// The text of `trib tree list`, `trib tree show` and `trib fetch` (their JSON: `TreeListing`).
public enum TreeRenderer {
    /// One line per tree: name, URL, branch, and the fetched tip (or `not fetched`).
    public static func list(_ listing: TreeListing) -> String {
        let width = min(listing.trees.map(\.name.count).max() ?? 0, 30)
        var out = ""
        for tree in listing.trees {
            let name = tree.name + String(repeating: " ", count: max(0, width - tree.name.count))
            out += "\(name)  \(tree.url) \(tree.branch)  \(tree.tip.map { String($0.prefix(12)) } ?? "not fetched")\n"
        }
        return out
    }

    /// One tree: where it comes from, its place in the merge order, what it owns, its policy and
    /// its tip.
    public static func show(_ tree: TreeListing.Tree, position: Int) -> String {
        var out = "tree \(tree.name)\nurl: \(tree.url)\nbranch: \(tree.branch)\n"
        out += "merge order: \(position)\(tree.order.map { " (order = \($0))" } ?? "")\n"
        for owned in tree.owns { out += "owns: \(owned)\n" }
        for override in tree.policyOverrides { out += "policy: \(override.key) = \(override.value)\n" }
        out += "tip: \(tree.tip.map { "\($0) (\(tree.reference))" } ?? "not fetched")\n"
        return out
    }

    /// `trib fetch`: a line per tree, then the count.
    public static func fetched(_ outcomes: [Fetcher.Outcome]) -> String {
        var out = ""
        for outcome in outcomes { out += "\(outcome.name): \(describe(outcome))\n" }
        let failed = outcomes.filter { $0.failure != nil }.count
        out +=
            "fetched \(outcomes.count - failed) of \(outcomes.count) trees; \(outcomes.filter(\.changed).count) changed, \(failed) failed\n"
        return out
    }

    private static func describe(_ outcome: Fetcher.Outcome) -> String {
        if let failure = outcome.failure {
            let firstLines = failure.split(separator: "\n").prefix(3).joined(separator: " / ")
            return "FAILED: \(TreeSource.escaped(firstLines))"
        }
        guard let tip = outcome.tip else { return "no tip" }
        guard let previous = outcome.previousTip else { return "new at \(tip.abbreviated())" }
        if previous == tip { return "up to date at \(tip.abbreviated())" }
        if !outcome.forced {
            return "\(previous.abbreviated())..\(tip.abbreviated()) (\(outcome.newCommits ?? 0) new commits)"
        }
        return "\(previous.abbreviated())...\(tip.abbreviated()) (forced update: rebased or rewound)"
    }
}
