import Foundation
import Git

/// The report as a digest for a mailing list, in Markdown that reads as plain text: the trees
/// and what changed in each since the previous report, the conflicts and who must resolve them,
/// the tag problems, and every series with its state across the places.
public enum MarkdownDigest {
    public static func render(_ report: IntegrationReport, changes: ReportChanges) -> String {
        var out = heading(report, changes)
        out += trees(report, changes)
        out += conflicts(report)
        out += tagProblems(report)
        out += series(report)
        out.append("")
        out.append("Review load: \(reviewSummary(report.reviewLoad)).")
        return out.joined(separator: "\n") + "\n"
    }

    /// The title, where the branch stands, the trees' states, and since when changes are.
    private static func heading(_ report: IntegrationReport, _ changes: ReportChanges) -> [String] {
        var out: [String] = []
        let branch = report.integration.branch
        out.append("# \(branch): integration report of \(day(report.asOf))")
        out.append("")
        var position = "\(branch) at \(report.integration.tip.map { $0.abbreviated() } ?? "(no branch yet)")"
        if let base = report.integration.baseRef, let tip = report.integration.baseTip {
            position += ", based on \(base) (\(tip.abbreviated()))"
        }
        out.append(position + ".")
        var counts: [TreePlan.State: Int] = [:]
        for tree in report.trees { counts[tree.state, default: 0] += 1 }
        let order: [TreePlan.State] = [.ready, .conflict, .tagProblems, .alreadyApplied, .upToDate, .notFetched]
        let summary = order.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }.joined(
            separator: ", ")
        out.append("\(report.trees.count) trees: \(summary.isEmpty ? "none" : summary).")
        if let previous = changes.previousAsOf {
            out.append("Changes are since the previous report, of \(day(previous)).")
        } else {
            out.append("This is the first report: every series found in a tree is listed as new.")
        }
        return out
    }

    /// The trees' table, and per tree what changed since the previous report.
    private static func trees(_ report: IntegrationReport, _ changes: ReportChanges) -> [String] {
        var out = ["", "## Trees", ""]
        out += table(
            header: ["Tree", "State", "New commits", "Tag errors", "Build", "Maintainers"],
            rows: report.trees.map { tree in
                [
                    tree.name, tree.state.rawValue, String(tree.newCommits), String(tree.tagErrors),
                    tree.build ?? "-", tree.maintainers.map(shortName).joined(separator: ", "),
                ]
            })
        for tree in changes.trees {
            out.append("")
            var heading = "### \(tree.tree)"
            if let before = tree.stateBefore, before != tree.state {
                heading += " (\(before.rawValue) → \(tree.state.rawValue))"
            }
            out.append(heading)
            let groups: [(String, [ReportChanges.Item])] = [
                ("new", tree.new), ("landed in \(report.integration.branch)", tree.landed), ("dropped", tree.dropped),
                ("changed", tree.changed),
            ]
            for (label, items) in groups where !items.isEmpty {
                for item in items {
                    out.append(
                        "- \(label): \(seriesName(item.title, item.version))\(item.detail.map { " (\($0))" } ?? "")")
                }
            }
            if groups.allSatisfy({ $0.1.isEmpty }) { out.append("- no series changed") }
        }
        return out
    }

    /// Each tree's conflicts and who must resolve them, then the pairs that conflict.
    private static func conflicts(_ report: IntegrationReport) -> [String] {
        var out = ["", "## Conflicts", ""]
        let conflicted = report.trees.filter { !$0.conflicts.isEmpty }
        if conflicted.isEmpty {
            out.append("Every fetched tree merges cleanly onto the running result.")
        }
        for tree in conflicted {
            out.append("- \(tree.name), merged after the trees before it:")
            for note in tree.conflicts {
                out.append(
                    "  - \(clean(note.path)) (\(note.kind.rawValue)) with \(note.with.map(\.description).joined(separator: ", ")); to resolve: \(note.resolvers.map(shortName).joined(separator: ", "))"
                )
            }
        }
        let pairs = report.pairs.filter { $0.outcome == .conflict }
        if !pairs.isEmpty {
            out.append("")
            out.append("Trees that conflict with each other, whatever the order:")
            let maintainers = Dictionary(
                report.trees.map { ($0.name, $0.maintainers) }, uniquingKeysWith: { a, _ in a })
            for pair in pairs {
                let people = ((maintainers[pair.first] ?? []) + (maintainers[pair.second] ?? [])).map(shortName)
                out.append(
                    "- \(pair.first) × \(pair.second): \(pair.paths.map(clean).joined(separator: ", ")); \(unique(people).joined(separator: ", "))"
                )
            }
        }
        return out
    }

    private static func tagProblems(_ report: IntegrationReport) -> [String] {
        var out = ["", "## Tag problems", ""]
        if report.tagDebt.isEmpty { out.append("None.") }
        for debt in report.tagDebt {
            out.append(
                "- \(debt.place) \(debt.commit.abbreviated()) \"\(clean(debt.subject))\" (\(clean(debt.author)))")
            for finding in debt.findings {
                var line = "  - \(finding.rule.rawValue) (\(finding.severity.rawValue)): \(clean(finding.message))"
                if !finding.people.isEmpty {
                    line += "; could ack: \(finding.people.map(shortName).joined(separator: ", "))"
                }
                out.append(line)
            }
        }
        return out
    }

    /// Every series with where it is, or how long it has waited for review.
    private static func series(_ report: IntegrationReport) -> [String] {
        var out = ["", "## Series", ""]
        if report.series.isEmpty { out.append("No series: import the list's mail with `trib series import`.") }
        for row in report.series {
            var line = "- \(seriesName(row.title, row.version))"
            if let sender = row.sender { line += " from \(shortName(sender))" }
            if let posted = row.postedAt { line += ", posted \(day(posted))" }
            out.append(line)
            let present = report.places.filter { row.isPresent(in: $0) }.map { "\($0): \(row.states[$0]!.rawValue)" }
            if !present.isEmpty {
                out.append("  \(present.joined(separator: ", "))")
            } else if row.isWaitingForReview {
                out.append("  waiting for review, \(report.age(of: row.postedAt ?? report.asOf)) days")
            } else {
                out.append("  in no tree")
            }
            if let routing = row.routing, present.isEmpty { out.append("  routing: \(clean(routing.text))") }
            for trailer in row.lostTrailers {
                out.append("  given on the list, missing in the commit: \(clean(trailer))")
            }
        }
        return out
    }

    static func reviewSummary(_ load: IntegrationReport.ReviewLoad) -> String {
        let given = load.reviewers.reduce(0) { $0 + $1.total }
        var text = "\(load.commits) commits, \(given) reviews and acks from \(load.reviewers.count) people"
        if let top = load.reviewers.first {
            text += " (most from \(shortName(top.person)): \(top.total))"
        }
        text += ", \(load.unreviewed.count) commits reviewed by nobody"
        return text
    }

    static func seriesName(_ title: String, _ version: Int?) -> String {
        "\"\(clean(title))\"" + (version.map { " v\($0)" } ?? "")
    }

    /// A name without its address, for lists of people in prose.
    static func shortName(_ person: String) -> String {
        guard let identity = Identity.parse(person), !identity.name.isEmpty else { return clean(person) }
        return clean(identity.name)
    }

    /// One line: control characters (a newline in a subject would start a new list item) as spaces.
    static func clean(_ text: String) -> String {
        String(
            String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    static func day(_ date: Date) -> String { UTCDates.day(date) }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    /// A table whose columns are padded, so it reads in a plain-text mail client too.
    private static func table(header: [String], rows: [[String]]) -> [String] {
        let cells = ([header] + rows).map { $0.map { clean($0).replacingOccurrences(of: "|", with: "\\|") } }
        var widths = Array(repeating: 0, count: header.count)
        for row in cells { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        func line(_ row: [String]) -> String {
            "| "
                + row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |"
        }
        return [
            line(cells[0]), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|",
        ]
            + cells.dropFirst().map(line)
    }
}
