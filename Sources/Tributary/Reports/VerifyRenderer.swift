import Git

/// `trib verify`'s text: the verdict per command, the culprit and the end of its log.
public enum VerifyRenderer {
    public static func text(_ report: VerifyReport) -> String {
        var out =
            "verified \(report.target) of \(report.branch): \(report.trees.count) trees onto \(report.start.abbreviated())\n"
        for command in report.commands {
            out += "\(command.name) (\(command.command)): "
            switch command.verdict {
            case .passed: out += "passed"
            case .flaky: out += "FLAKY: the whole result failed once and passed when run again; nothing is blamed"
            case .baseFails: out += "FAILS ON THE START \(report.start.abbreviated()): no tree is to blame"
            case .broken: out += "BROKEN"
            }
            out += "  (\(command.runs) runs, \(command.reused) reused)\n"
            if let culprit = command.culprit { out += culpritLines(culprit) }
            if let failure = command.failure, command.verdict != .passed {
                out += "  \(failure.outcome == .timedOut ? "timed out" : "exit status \(failure.status)")"
                out += " after \(String(format: "%.1f", failure.seconds)) s; whole log: \(failure.log)\n"
                let excerpt = failure.excerpt.split(separator: "\n", omittingEmptySubsequences: false).suffix(20)
                for line in excerpt where !line.isEmpty { out += "  | \(line)\n" }
            }
        }
        return out
    }

    static func culpritLines(_ culprit: VerifyReport.Culprit) -> String {
        var out = "  culprit: \(culprit.tree)"
        if let commit = culprit.commit { out += " at \(commit.abbreviated()) \(culprit.subject ?? "")" }
        out += "\n"
        if !culprit.untried.isEmpty {
            out += "    (or one of \(culprit.untried.map { $0.abbreviated() }.joined(separator: ", ")) before it,"
            out += " which do not merge on their own)\n"
        }
        if culprit.alone {
            out += "  breaks alone: the start with \(culprit.tree) only fails\n"
        } else if let partner = culprit.partner {
            out += "  breaks with \(partner): \(culprit.tree) passes alone, fails once \(partner) is in;"
            out += " write to both trees\n"
        }
        return out
    }
}
