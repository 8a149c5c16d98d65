import Foundation

/// The report as a static site: a few HTML pages that need nothing but each other — styles are
/// inline, the heat map is inline SVG, there is no script, font or image from anywhere. Every
/// piece of text from a repository, the manifest or mail is escaped (`MarkupText`).
public enum HTMLSite {
    /// The pages, by file name.
    public static let pages: [(file: String, title: String)] = [
        ("index.html", "Overview"), ("series.html", "Series × trees"), ("conflicts.html", "Conflicts"),
        ("tags.html", "Tag debt"), ("reviews.html", "Review load"), ("waiting.html", "Waiting for review"),
        ("build.html", "Build"),
    ]

    /// The pages' contents, by file name.
    public static func render(_ report: IntegrationReport, changes: ReportChanges) -> [String: String] {
        [
            "index.html": page("index.html", report, overview(report, changes)),
            "series.html": page("series.html", report, seriesMatrix(report)),
            "conflicts.html": page("conflicts.html", report, conflicts(report)),
            "tags.html": page("tags.html", report, tagDebt(report)),
            "reviews.html": page("reviews.html", report, reviewLoad(report)),
            "waiting.html": page("waiting.html", report, waiting(report)),
            "build.html": page("build.html", report, buildFailures(report)),
        ]
    }

    /// Writes the pages into `directory` (created when missing) and returns the overview's path.
    @discardableResult
    public static func write(_ report: IntegrationReport, changes: ReportChanges, to directory: String) throws -> String
    {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (file, text) in render(report, changes: changes) {
            try Data(text.utf8).write(
                to: URL(fileURLWithPath: directory).appendingPathComponent(file), options: .atomic)
        }
        return URL(fileURLWithPath: directory).appendingPathComponent("index.html").path
    }

    private static func e(_ text: String) -> String { MarkupText.escape(text) }

    private static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
        header{background:#23395d;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
        header p{margin:4px 0 0;opacity:.85}nav{background:#e8edf4;padding:8px 24px}
        nav a{margin-right:18px;color:#23395d;text-decoration:none}nav a.here{font-weight:700;text-decoration:underline}
        main{padding:16px 24px;max-width:1200px}h2{font-size:17px;margin:22px 0 8px}
        table{border-collapse:collapse;background:#fff;margin:6px 0 14px}
        th,td{border:1px solid #d5d9e0;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f1f3f6}td.num{text-align:right}code{font:12px ui-monospace,monospace}
        .state{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;white-space:nowrap}
        .side{font-weight:600}.ready,.landed{background:#cdeccd}.conflict,.error{background:#f6c6c6}.tag-problems,.partial,.warning{background:#fde2b3}
        .up-to-date{background:#e3e6ea}.not-fetched{background:#fff;border:1px dashed #999}
        .modified{background:#d6e4fb}.not-landed{background:#fff;color:#888}.superseded{background:#eee;color:#888}
        .bar{background:#4a78b5;height:12px;display:inline-block;vertical-align:middle}
        .muted{color:#666}.matrix td{text-align:center}ul{margin:4px 0 10px}
        """

    /// The trees whose build the last `trib verify` found broken, with the end of the failing log.
    private static func buildFailures(_ report: IntegrationReport) -> String {
        let broken = report.trees.filter { $0.buildFailure != nil }
        var html = "<h2>Build</h2>\n"
        guard !broken.isEmpty else {
            return html + "<p>No tree breaks the build (as far as the last <code>trib verify</code> found).</p>\n"
        }
        for tree in broken {
            let failure = tree.buildFailure!
            html += "<h3>\(e(tree.name)): \(e(tree.build ?? ""))</h3>\n<p>\(e(failure.command))"
            if let commit = failure.commit {
                html += " fails at <code>\(e(commit.abbreviated()))</code> \(e(failure.subject ?? ""))"
            }
            if let partner = failure.partner { html += ", with \(e(partner)) merged (it passes alone)" }
            html += "</p>\n"
            if let log = failure.log { html += "<p>Whole log: <code>\(e(log))</code></p>\n" }
            html += "<pre>\(e(failure.excerpt))</pre>\n"
        }
        return html
    }

    private static func page(_ file: String, _ report: IntegrationReport, _ body: String) -> String {
        let title = pages.first { $0.file == file }?.title ?? ""
        let navigation = pages.map { page in
            "<a href=\"\(page.file)\"\(page.file == file ? " class=\"here\"" : "")>\(e(page.title))</a>"
        }.joined()
        let tip = report.integration.tip.map { $0.abbreviated() } ?? "no branch yet"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(report.integration.branch)): \(e(title))</title>
            <style>\(style)</style></head>
            <body><header><h1>\(e(report.integration.branch)) — \(e(title))</h1>
            <p>At <code>\(e(tip))</code>\(report.integration.baseRef.map { ", based on " + e($0) } ?? ""); report of \(MarkdownDigest.day(report.asOf)).</p></header>
            <nav>\(navigation)</nav>
            <main>
            \(body)
            </main></body></html>

            """
    }

    private static func badge(_ state: String) -> String {
        "<span class=\"state \(e(state))\">\(e(state))</span>"
    }

    // MARK: Pages

    private static func overview(_ report: IntegrationReport, _ changes: ReportChanges) -> String {
        var html = "<h2>Trees</h2>\n"
        var counts: [String: Int] = [:]
        for tree in report.trees { counts[tree.state.rawValue, default: 0] += 1 }
        html += "<p>\(report.trees.count) trees: "
        html += counts.keys.sorted().map { "\(badge($0)) \(counts[$0]!)" }.joined(separator: " ")
        html += "</p>\n<table><tr><th>Tree</th><th>State</th><th>Branch</th><th>Tip</th><th>New commits</th>"
        html += "<th>Conflicts</th><th>Tag errors</th><th>Build</th><th>Maintainers</th></tr>\n"
        for tree in report.trees {
            html += "<tr><td>\(e(tree.name))</td><td>\(badge(tree.state.rawValue))</td>"
            html += "<td><code>\(e(tree.url))</code> \(e(tree.branch))</td>"
            html += "<td><code>\(e(tree.tip.map { $0.abbreviated() } ?? "—"))</code></td>"
            html += "<td class=\"num\">\(tree.newCommits)</td><td class=\"num\">\(tree.conflicts.count)</td>"
            html += "<td class=\"num\">\(tree.tagErrors)</td><td>\(e(tree.build ?? "—"))</td>"
            html += "<td>\(e(tree.maintainers.joined(separator: ", ")))</td></tr>\n"
        }
        html += "</table>\n<h2>Since the previous report</h2>\n"
        if let previous = changes.previousAsOf {
            html += "<p class=\"muted\">Compared with the report of \(MarkdownDigest.day(previous)).</p>\n"
        } else {
            html += "<p class=\"muted\">The first report: every series found in a tree is new.</p>\n"
        }
        if changes.trees.isEmpty { html += "<p>Nothing changed.</p>\n" }
        for tree in changes.trees {
            html += "<h3>\(e(tree.tree))"
            if let before = tree.stateBefore, before != tree.state {
                html += " \(badge(before.rawValue)) → \(badge(tree.state.rawValue))"
            }
            html += "</h3>\n<ul>\n"
            let groups: [(String, [ReportChanges.Item])] = [
                ("new", tree.new), ("landed in " + report.integration.branch, tree.landed), ("dropped", tree.dropped),
                ("changed", tree.changed),
            ]
            for (label, items) in groups {
                for item in items {
                    html += "<li>\(e(label)): \(e(item.title))\(item.version.map { " v\($0)" } ?? "")"
                    html += "\(item.detail.map { " <span class=\"muted\">(" + e($0) + ")</span>" } ?? "")</li>\n"
                }
            }
            html += "</ul>\n"
        }
        return html
    }

    private static func seriesMatrix(_ report: IntegrationReport) -> String {
        guard !report.series.isEmpty else {
            return "<p>No series: import the list's mail with <code>trib series import</code>.</p>\n"
        }
        var html = "<table class=\"matrix\"><tr><th>Series</th><th>Version</th><th>From</th>"
        for place in report.places { html += "<th>\(e(place))</th>" }
        html += "<th>Routing</th></tr>\n"
        for row in report.series {
            html += "<tr><td style=\"text-align:left\">\(e(row.title))"
            for trailer in row.lostTrailers {
                html += "<br><span class=\"muted\">lost on the way: \(e(trailer))</span>"
            }
            html +=
                "</td><td>\(row.version.map { "v\($0)" } ?? "—")</td><td>\(e(row.sender ?? "found in the trees"))</td>"
            for place in report.places {
                html += "<td>\(badge(row.states[place]?.rawValue ?? SeriesLedger.State.notLanded.rawValue))</td>"
            }
            html += "<td style=\"text-align:left\">\(row.routing.map { e($0.text) } ?? "")</td></tr>\n"
        }
        return html + "</table>\n"
    }

    private static func conflicts(_ report: IntegrationReport) -> String {
        var html = "<h2>Pairwise conflicts</h2>\n"
        let map = ConflictHeatMap.svg(report)
        if map.isEmpty {
            html += "<p>No two trees change the same paths.</p>\n"
        } else {
            html += "<p class=\"muted\">Each pair of trees whose changes overlap, merged with each other: "
            html += "red cells conflict (darker: more paths), green ones merge cleanly, grey ones share no path.</p>\n"
            html += map
        }
        html += "<h2>Conflicts in merge order, and who must resolve them</h2>\n"
        let conflicted = report.trees.filter { !$0.conflicts.isEmpty }
        if conflicted.isEmpty { html += "<p>Every fetched tree merges cleanly onto the running result.</p>\n" }
        for tree in conflicted {
            html += "<h3>\(e(tree.name))</h3>\n<table><tr><th>Path</th><th>Kind</th><th>With</th><th>To resolve</th>"
            html += "<th>Commits</th></tr>\n"
            for note in tree.conflicts {
                html += "<tr><td><code>\(e(note.path))</code></td><td>\(e(note.kind.rawValue))</td>"
                html +=
                    "<td>\(e(note.with.map(\.description).joined(separator: ", ")))</td><td>\(e(note.resolvers.joined(separator: ", ")))</td>"
                html += "<td>\(sideCommits(note))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html
    }

    /// The commits of a conflict, each side's under its label (`slab:`, `this tree (vma):`).
    private static func sideCommits(_ note: IntegrationReport.ConflictNote) -> String {
        guard !note.sides.isEmpty else { return note.commits.map(e).joined(separator: "<br>") }
        return note.sides.filter { !$0.commits.isEmpty }.map { side in
            let label = side.isThisTree ? "this tree (\(side.place))" : side.place
            return "<span class=\"side\">\(e(label)):</span><br>" + side.commits.map(e).joined(separator: "<br>")
        }.joined(separator: "<br>")
    }

    private static func tagDebt(_ report: IntegrationReport) -> String {
        guard !report.tagDebt.isEmpty else { return "<p>No commit lacks a tag the rules require.</p>\n" }
        var html = "<p>\(report.tagDebt.count) commits with tag findings.</p>\n"
        html += "<table><tr><th>Where</th><th>Commit</th><th>Subject</th><th>Author</th><th>Finding</th>"
        html += "<th>Who could give it</th></tr>\n"
        for debt in report.tagDebt {
            for (offset, finding) in debt.findings.enumerated() {
                html += "<tr>"
                if offset == 0 {
                    let span = debt.findings.count
                    html += "<td rowspan=\"\(span)\">\(e(debt.place))</td>"
                    html += "<td rowspan=\"\(span)\"><code>\(e(debt.commit.abbreviated()))</code></td>"
                    html +=
                        "<td rowspan=\"\(span)\">\(e(debt.subject))</td><td rowspan=\"\(span)\">\(e(debt.author))</td>"
                }
                html += "<td>\(badge(finding.severity.rawValue)) "
                html += "<code>\(e(finding.rule.rawValue))</code> \(e(finding.message))</td>"
                html += "<td>\(e(finding.people.joined(separator: ", ")))</td></tr>\n"
            }
        }
        return html + "</table>\n"
    }

    private static func reviewLoad(_ report: IntegrationReport) -> String {
        let load = report.reviewLoad
        var html = "<p>\(e(MarkdownDigest.reviewSummary(load))).</p>\n"
        if !load.reviewers.isEmpty {
            html += "<p>The busiest fifth of the reviewers gave "
            html += "\(Int((load.topFifthShare * 100).rounded()))% of the reviews and acks.</p>\n"
            let most = max(1, load.reviewers.first?.total ?? 1)
            html += "<table><tr><th>Person</th><th>Reviewed-by</th><th>Acked-by</th><th>Share</th></tr>\n"
            for reviewer in load.reviewers {
                let width = max(2, 300 * reviewer.total / most)
                html += "<tr><td>\(e(reviewer.person))</td><td class=\"num\">\(reviewer.reviewed)</td>"
                html += "<td class=\"num\">\(reviewer.acked)</td>"
                html += "<td><span class=\"bar\" style=\"width:\(width)px\"></span> \(reviewer.total)</td></tr>\n"
            }
            html += "</table>\n"
        }
        if let bots = load.bots, !bots.isEmpty {
            html += "<p>Bots (not counted as reviews): "
            html += bots.map { "\(e($0.person)) \($0.total)" }.joined(separator: ", ") + ".</p>\n"
        }
        html += "<h2>Commits nobody reviewed</h2>\n"
        if load.unreviewed.isEmpty { return html + "<p>None.</p>\n" }
        html += "<table><tr><th>Where</th><th>Commit</th><th>Subject</th><th>Author</th></tr>\n"
        for commit in load.unreviewed {
            html += "<tr><td>\(e(commit.place))</td><td><code>\(e(commit.commit.abbreviated()))</code></td>"
            html += "<td>\(e(commit.subject))</td><td>\(e(commit.author))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    private static func waiting(_ report: IntegrationReport) -> String {
        let rows = report.series.filter(\.isWaitingForReview).sorted {
            ($0.postedAt ?? report.asOf) < ($1.postedAt ?? report.asOf)
        }
        guard !rows.isEmpty else { return "<p>No posted series is waiting: each has a review or is in a tree.</p>\n" }
        var html = "<p>Posted, in no tree yet, and no Reviewed-by or Acked-by on the list; oldest first.</p>\n"
        html += "<table><tr><th>Age (days)</th><th>Series</th><th>Version</th><th>Patches</th><th>From</th></tr>\n"
        for row in rows {
            html += "<tr><td class=\"num\">\(report.age(of: row.postedAt ?? report.asOf))</td><td>\(e(row.title))</td>"
            html += "<td>\(row.version.map { "v\($0)" } ?? "")</td><td class=\"num\">\(row.patches)</td>"
            html += "<td>\(e(row.sender ?? ""))</td></tr>\n"
        }
        return html + "</table>\n"
    }
}
