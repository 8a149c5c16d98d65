import Foundation
public import Git

/// Text forms of plans, trial merges and the conflict matrix (their JSON: `JSONText`).
public enum PlanRenderer {
    /// `trib plan`: one summary line per tree, then the details.
    public static func text(_ plan: PlanReport) -> String {
        var out = ""
        let integration = plan.integration
        let counts = Dictionary(grouping: plan.trees, by: \.state).mapValues(\.count)
        out += "plan for \(integration.branch) at \(integration.tip.abbreviated())"
        if let base = integration.baseRef {
            out += ", based on \(base)" + (integration.integrationBase.map { " (\($0.abbreviated()))" } ?? "")
        }
        out += ": \(plan.trees.count) trees"
        for state in [TreePlan.State.ready, .conflict, .tagProblems, .alreadyApplied, .upToDate, .notFetched] {
            if let count = counts[state] { out += ", \(count) \(state.rawValue)" }
        }
        out += "\n\n"
        let width = min(plan.trees.map(\.name.count).max() ?? 0, 28)
        for tree in plan.trees {
            var line = "  " + pad(tree.name, width) + "  " + pad(tree.state.rawValue, 12)
            switch tree.state {
            case .notFetched: line += "  run `trib fetch \(tree.name)`"
            case .upToDate:
                line += "  nothing new"
                if let behind = tree.behind, behind > 0 {
                    line += " (\(behind) commit\(behind == 1 ? "" : "s") behind \(plan.integration.branch))"
                }
            case .alreadyApplied:
                line +=
                    "  \(tree.newCommits.count) new commit\(tree.newCommits.count == 1 ? "" : "s"), whose merge changes nothing: already in \(plan.integration.branch)"
            default:
                line += "  \(tree.newCommits.count) new commit\(tree.newCommits.count == 1 ? "" : "s")"
                if !tree.conflicts.isEmpty {
                    let with = Set(tree.conflicts.flatMap { $0.with.map(\.tree.description) }).sorted()
                    line += "; conflicts in \(tree.conflicts.map { $0.conflict.path }.joined(separator: ", "))"
                    if !with.isEmpty { line += " with \(with.joined(separator: ", "))" }
                }
                if tree.tagErrors + tree.tagWarnings > 0 {
                    line +=
                        "; tags: \(tree.tagErrors) error\(tree.tagErrors == 1 ? "" : "s"), \(tree.tagWarnings) warning\(tree.tagWarnings == 1 ? "" : "s")"
                }
                line += Self.taken(tree, integration: plan.integration.branch)
            }
            if let rewind = tree.rewind {
                let lost = rewind.dropped.filter { $0.replacedBy == nil }.count
                line += "; \(rewind.kind.rawValue) (\(lost) dropped)"
            }
            if let backMerge = tree.backMerge { line += "; back-merge of \(backMerge.newBaseCommits) mainline commits" }
            if !tree.duplicates.isEmpty {
                line += "; \(tree.duplicates.count) duplicate patch\(tree.duplicates.count == 1 ? "" : "es")"
            }
            if !tree.alreadyApplied.isEmpty {
                line += "; \(tree.alreadyApplied.count) already applied"
            }
            if let subtree = tree.subtree { line += "; into \(subtree)/ (a recorded subtree merge)" }
            if !tree.fixups.isEmpty { line += "; fix-ups \(tree.fixups.joined(separator: ", "))" }
            if !tree.staleFixups.isEmpty { line += "; STALE fix-ups \(tree.staleFixups.joined(separator: ", "))" }
            if let build = tree.build, build != "passed" { line += "; build: \(build)" }
            out += line + "\n"
        }
        for tree in plan.trees {
            let details = self.details(tree)
            if !details.isEmpty { out += "\n\(tree.name):\n" + details }
        }
        return out
    }

    private static func details(_ tree: TreePlan) -> String {
        var out = ""
        for item in tree.conflicts {
            let conflict = item.conflict
            out += "  conflict (\(conflict.kind.rawValue)) in \(conflict.path)"
            if conflict.paths.count > 1 { out += " [\(conflict.paths.joined(separator: ", "))]" }
            out += "\n"
            for attribution in item.with {
                out += "    with \(attribution.tree):\n"
                for commit in attribution.commits { out += "      \(describe(commit))\n" }
            }
            if !item.commits.isEmpty {
                out += "    \(tree.name)'s commits:\n"
                for commit in item.commits { out += "      \(describe(commit))\n" }
            }
            for hunk in conflict.hunks.prefix(3) {
                out +=
                    "    lines \(hunk.ours.start + 1)-\(hunk.ours.start + hunk.ours.count) ours, \(hunk.theirs.start + 1)-\(hunk.theirs.start + hunk.theirs.count) theirs\n"
            }
        }
        for commit in tree.tagFindings {
            out += "  \(commit.commit.abbreviated()) \(quoted(commit.subject))\n"
            for finding in commit.findings {
                out += "    \(finding.severity.rawValue) \(finding.rule.rawValue): \(finding.message)\n"
                if !finding.people.isEmpty { out += "      could ack: \(finding.people.joined(separator: ", "))\n" }
            }
        }
        for applied in tree.alreadyApplied {
            out +=
                "  already applied: \(describe(applied.commit)) as \(applied.copy.abbreviated()) (\(applied.rule.rawValue))\n"
        }
        for duplicate in tree.duplicates {
            out += "  duplicate: \(describe(duplicate.commit)) also as "
            out +=
                duplicate.copies.map { copy in
                    let how = copy.rule.flatMap { $0 == .patchID ? nil : " (\($0.rawValue))" } ?? ""
                    return "\(copy.commit.abbreviated()) in \(copy.place)\(how)"
                }.joined(separator: ", ") + "\n"
        }
        if let rewind = tree.rewind {
            out +=
                "  \(rewind.kind.rawValue): the \(rewind.previousSource.rawValue) tip \(rewind.previousTip.abbreviated()) is no longer contained\n"
            for dropped in rewind.dropped {
                let how = dropped.replacement == .changedLines ? " (same change, other context)" : ""
                out +=
                    "    \(dropped.replacedBy.map { "replaced by \($0.abbreviated())" } ?? "dropped"): \(describe(dropped.commit))\(how)\n"
            }
            if rewind.inIntegration > 0 {
                out +=
                    "    \(rewind.inIntegration) more commit\(rewind.inIntegration == 1 ? "" : "s") of the old tip \(rewind.inIntegration == 1 ? "is" : "are") in the integration branch: not dropped\n"
            }
        }
        if let backMerge = tree.backMerge {
            out +=
                "  back-merge: based on mainline \(backMerge.treeBase.abbreviated()), \(backMerge.newBaseCommits) commits past the integration base\n"
            for merge in backMerge.merges { out += "    \(describe(merge))\n" }
        }
        return out
    }

    /// How a tree whose pull is not a plain merge is taken in, for its summary line.
    static func taken(_ tree: TreePlan, integration: String) -> String {
        switch tree.merge {
        case .fastForward: return "; fast-forward"
        case .rebased:
            let dropped = tree.rebaseDropped?.count ?? 0
            return "; rebase: \(tree.rebased?.count ?? 0) replayed"
                + (dropped > 0 ? ", \(dropped) dropped (already in \(integration) or become empty)" : "")
        case .notFastForward: return "; pull = ff-only, but \(integration) is not an ancestor of its tip"
        default: return tree.method.subtree.map { "; merged as subtree \($0)" } ?? ""
        }
    }

    /// `trib trial-merge`: each step's outcome, and for conflicts every path, its kind, the
    /// hunks with base/ours/theirs text, and the commits on each side.
    public static func text(_ steps: [TrialMerge.Step], summaries: (ObjectID) -> String) -> String {
        var out = ""
        for (number, step) in steps.enumerated() {
            out += "step \(number + 1): \(step.name) at \(step.tip.abbreviated()): "
            switch step.outcome {
            case .upToDate: out += "up to date\n"
            case .notFastForward: out += "not a fast-forward\n"
            case .clean(let tree) where step.taken == .fastForward: out += "fast-forward, tree \(tree.hex)\n"
            case .clean(let tree): out += "clean, tree \(tree.hex)\n"
            case .conflicted(let conflicts):
                out += "CONFLICT in \(conflicts.count) path\(conflicts.count == 1 ? "" : "s")\n"
                for conflict in conflicts {
                    out += "  \(conflict.kind.rawValue): \(conflict.path)\n"
                    for (label, side) in [
                        ("base", conflict.ancestor), ("ours", conflict.ours), ("theirs", conflict.theirs),
                    ] {
                        if let side { out += "    \(label): \(side.path) \(side.mode) \(side.blob.abbreviated())\n" }
                    }
                    for hunk in conflict.hunks {
                        out +=
                            "    @@ base \(hunk.base.start + 1),\(hunk.base.count) ours \(hunk.ours.start + 1),\(hunk.ours.count) theirs \(hunk.theirs.start + 1),\(hunk.theirs.count) @@\n"
                        out +=
                            "    <<<<<<< ours\n" + indent(hunk.ours.text) + "    ||||||| base\n"
                            + indent(hunk.base.text)
                        out += "    =======\n" + indent(hunk.theirs.text) + "    >>>>>>> theirs\n"
                    }
                    for commit in conflict.ourCommits { out += "    ours:   \(summaries(commit))\n" }
                    for commit in conflict.theirCommits { out += "    theirs: \(summaries(commit))\n" }
                }
            }
        }
        return out
    }

    /// `trib conflicts`: the overlapping pairs, conflicted ones first.
    public static func text(_ matrix: ConflictMatrix) -> String {
        let conflicted = matrix.pairs.filter { $0.outcome == .conflict }
        var out = "\(matrix.trees.count) trees: \(conflicted.count) conflicting pairs, "
        out += "\(matrix.pairs.count - conflicted.count) overlapping but clean, \(matrix.disjointPairs) disjoint\n"
        for tree in matrix.trees where tree.mergesAlone == false {
            out += "\(tree.name) conflicts with the integration branch on its own: not paired\n"
        }
        for pair in conflicted + matrix.pairs.filter({ $0.outcome != .conflict }) {
            out += "\n\(pair.first) × \(pair.second): \(pair.outcome.rawValue)"
            if pair.outcome == .conflict {
                let orders = pair.conflictingOrders.map { order in
                    order == .firstThenSecond
                        ? "\(pair.second) onto \(pair.first)" : "\(pair.first) onto \(pair.second)"
                }
                out += " (merging \(orders.joined(separator: " and ")) on the integration tip)\n"
            } else {
                out +=
                    pair.overlap.isEmpty
                    ? " (they share commits)\n"
                    : " (both change \(pair.overlap.prefix(3).joined(separator: ", "))\(pair.overlap.count > 3 ? ", …" : ""))\n"
            }
            // The conflicts shown are those of the first order that conflicted: ours is the
            // integration tip with the tree merged first.
            let (ours, theirs) =
                pair.conflictingOrders.first == .secondThenFirst ? (pair.second, pair.first) : (pair.first, pair.second)
            for conflict in pair.conflicts {
                out += "  \(conflict.kind.rawValue): \(conflict.path)\n"
                for commit in conflict.ourCommits { out += "    \(ours): \(commit.abbreviated())\n" }
                for commit in conflict.theirCommits { out += "    \(theirs): \(commit.abbreviated())\n" }
            }
        }
        return out
    }

    static func describe(_ commit: CommitSummary) -> String {
        "\(commit.id.abbreviated()) \(quoted(commit.subject)) (\(commit.author))"
    }

    static func quoted(_ text: String) -> String { "\"" + TreeSource.escaped(text) + "\"" }

    public static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
            .map { "    " + TreeSource.escaped(String($0), keepingTabs: true) + "\n" }.joined()
    }
}
