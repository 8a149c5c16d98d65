import Foundation

/// The text of `trib pull`, `trib sync` and `trib log` (their JSON: `JSONText`).
public enum PullRenderer {
    /// `trib pull`: a line per tree, its conflicts and stale resolutions, then what became of the
    /// branch.
    public static func text(_ report: Puller.Report) -> String {
        var out = ""
        if let recovered = report.recovered { out += recovered + "\n" }
        for file in report.removedLockFiles {
            out += "removed \(file), left by a killed trib command\n"
        }
        let width = min(report.trees.map(\.name.count).max() ?? 0, 28)
        for tree in report.trees { out += line(tree, width: width) }
        for retired in report.retiredFixups { out += "retired fix-up \(retired)\n" }
        let branch = report.branch
        if let blocked = report.blocked {
            out += "not pulled: \(blocked); \(branch) is as it was\n"
            return out
        }
        if let verified = report.verified { out += "verified: \(verified)\n" }
        if let stopped = report.stoppedAt, report.trees.first(where: { $0.name == stopped })?.outcome == .broken {
            out += "stopped at \(stopped), which breaks the build: \(branch) and every other ref are as they were"
            out += " (see `trib verify`, or pull with --on-broken skip)\n"
        } else if let stopped = report.stoppedAt {
            out += "stopped at \(stopped): \(branch) and every other ref are as they were"
            out += " (resolve with `trib resolve start \(stopped)`, or pull with --on-conflict skip)\n"
        } else if report.dryRun {
            out += "dry run: \(branch) would move to \(report.newTip?.abbreviated() ?? "-") (nothing was changed)\n"
        } else if report.moved {
            out += "\(branch): \(report.previousTip?.abbreviated() ?? "(new)")..\(report.newTip?.abbreviated() ?? "")"
            if let backup = report.backup { out += " (old tip kept as \(backup))" }
            out += "\n"
        } else {
            out += "\(branch) is up to date\n"
        }
        return out
    }

    private static func line(_ tree: Puller.TreeResult, width: Int) -> String {
        var line = "  \(PlanRenderer.pad(tree.name, width))  \(PlanRenderer.pad(tree.outcome.rawValue, 11))"
        if [.merged, .fastForwarded, .rebased].contains(tree.outcome) { line += "  \(tree.newCommits) new commits" }
        if tree.outcome == .notFastForward { line += "  pull = ff-only: not a fast-forward, not pulled" }
        if let broken = tree.broken { line += "  \(broken)" }
        if tree.outcome == .alreadyApplied { line += "  \(tree.newCommits) new commits, already applied: no merge" }
        if let subtree = tree.subtree { line += " into \(subtree)/ (a recorded subtree merge)" }
        if !tree.resolutionsUsed.isEmpty {
            line += "; \(tree.resolutionsUsed.count) recorded resolution(s) applied"
        }
        if !tree.settledByFixups.isEmpty {
            line += "; fix-ups settle \(tree.settledByFixups.joined(separator: ", "))"
        }
        if !tree.fixupsApplied.isEmpty { line += "; fix-ups \(tree.fixupsApplied.joined(separator: ", "))" }
        if !tree.staleFixups.isEmpty { line += "; STALE fix-ups \(tree.staleFixups.joined(separator: ", "))" }
        if !tree.conflicts.isEmpty {
            line += "  conflicts in \(tree.conflicts.map(\.path).joined(separator: ", "))"
        }
        var out = line + "\n"
        for conflict in tree.conflicts {
            out += "      \(conflict.kind.rawValue): \(conflict.path)\n"
            for commit in conflict.ourCommits { out += "        integration side: \(commit.abbreviated())\n" }
            for commit in conflict.theirCommits { out += "        \(tree.name): \(commit.abbreviated())\n" }
        }
        for id in tree.staleResolutions {
            out += "      stale: recorded resolution \(id.prefix(12)) no longer matches this conflict\n"
        }
        return out
    }

    /// `trib sync`: where the branch's base stands, each commit kept (with its new id), dropped
    /// (with the upstream copy and the rule) or in conflict, then what became of the branch.
    public static func text(_ report: Syncer.Report) -> String {
        var base = "base \(report.previousBase.abbreviated()): \(report.baseInOnto ? "in" : "not in") the new base"
        if let inIntegration = report.baseInIntegration {
            base += ", \(inIntegration ? "in" : "not in") the integration branch"
        }
        var out = base + "\n"
        if let recovered = report.recovered { out += recovered + "\n" }
        for file in report.removedLockFiles { out += "removed \(file), left by a killed trib command\n" }
        for commit in report.commits {
            let subject = "\"\(TreeSource.escaped(commit.subject))\""
            switch commit.outcome {
            case .dropped where commit.becameEmpty:
                out +=
                    "dropped  \(commit.commit.abbreviated()) \(subject): became empty on the new base"
                    + (commit.upstream.map { ", upstream as \($0.abbreviated())" } ?? "") + "\n"
            case .dropped:
                out +=
                    "dropped  \(commit.commit.abbreviated()) \(subject): upstream as \(commit.upstream?.abbreviated() ?? "?") (\(commit.rule?.rawValue ?? ""))\n"
            case .conflict:
                out +=
                    "CONFLICT \(commit.commit.abbreviated()) \(subject): \(commit.conflicts.joined(separator: ", "))\n"
            case .kept:
                out +=
                    "kept     \(commit.commit.abbreviated()) \(subject) -> \(commit.newCommit?.abbreviated() ?? "")\n"
            }
        }
        if report.hasConflicts {
            out += "\(report.branch): conflicts; nothing was changed\n"
        } else if report.moved {
            out +=
                "\(report.branch): \(report.previousTip.abbreviated()) -> \(report.newTip?.abbreviated() ?? "") onto \(report.onto.abbreviated()) (old tip kept as \(report.backup ?? ""))\n"
        } else if report.newTip == report.previousTip {
            out += "\(report.branch) is up to date: already on \(report.onto.abbreviated())\n"
        } else {
            out +=
                "dry run: \(report.branch) would move to \(report.newTip?.abbreviated() ?? "") (nothing was changed)\n"
        }
        return out
    }

    /// `trib log`: each pull, newest first, with the trees it did not find up to date.
    public static func text(_ entries: [PullLog.Entry]) -> String {
        var out = ""
        for entry in entries {
            let date = Date(timeIntervalSince1970: TimeInterval(entry.when))
            out +=
                "\(date) \(entry.who): \(entry.branch) \(entry.previousTip?.abbreviated() ?? "(new)")..\(entry.newTip.abbreviated())\(entry.rebuild ? " (rebuild)" : "")\n"
            for tree in entry.trees where tree.outcome != .upToDate {
                var line = "    \(tree.name) \(tree.outcome.rawValue) \(tree.tip.abbreviated())"
                if !tree.resolutions.isEmpty {
                    line += " resolutions: \(tree.resolutions.map { String($0.prefix(12)) }.joined(separator: ", "))"
                }
                if !tree.fixups.isEmpty { line += " fix-ups: \(tree.fixups.joined(separator: ", "))" }
                if !tree.staleFixups.isEmpty { line += " stale fix-ups: \(tree.staleFixups.joined(separator: ", "))" }
                out += line + "\n"
            }
        }
        if entries.isEmpty { out += "no pulls yet\n" }
        return out
    }
}
