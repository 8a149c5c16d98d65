/// The pairwise conflict matrix drawn as an SVG heat map: one row and one column per tree whose
/// changes overlap another's (in merge order); a cell is grey where the two trees change
/// different paths, green where they overlap but merge cleanly, and red — darker with more
/// conflicted paths — where they conflict. Each pair's cells carry a `<title>` (shown on hover).
public enum ConflictHeatMap {
    public static func svg(_ report: IntegrationReport) -> String {
        var involved = Set<String>()
        for pair in report.pairs {
            involved.insert(pair.first)
            involved.insert(pair.second)
        }
        let names = report.trees.map(\.name).filter(involved.contains)
        guard !names.isEmpty else { return "" }
        let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let most = max(1, report.pairs.map(\.conflicts).max() ?? 1)
        let cell = max(6, min(28, 720 / names.count))
        let labelled = cell >= 10
        let margin = labelled ? min(200, 12 + 7 * (names.map(\.count).max() ?? 0)) : 10
        let side = margin + cell * names.count + 2
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="heatmap" width="\(side)" height="\(side)" \
            viewBox="0 0 \(side) \(side)" role="img" aria-label="Pairwise conflicts between \(names.count) trees">

            """
        if labelled {
            for (index, name) in names.enumerated() {
                let middle = margin + index * cell + cell / 2 + 4
                svg += """
                    <text x="\(margin - 6)" y="\(middle)" text-anchor="end" font-size="11">\(MarkupText.escape(name))</text>
                    <text transform="translate(\(middle - 4),\(margin - 6)) rotate(-60)" font-size="11">\(MarkupText.escape(name))</text>

                    """
            }
        }
        // One grey square for all pairs that share no path, then a cell per overlapping pair, on
        // both sides of the diagonal (a page of 425 trees stays a few megabytes).
        svg +=
            "<rect x=\"\(margin)\" y=\"\(margin)\" width=\"\(cell * names.count - 1)\" height=\"\(cell * names.count - 1)\" fill=\"#f0f0f0\"><title>no common paths</title></rect>\n"
        for pair in report.pairs {
            guard let first = position[pair.first], let second = position[pair.second] else { continue }
            let fill: String
            let title: String
            if pair.outcome == .conflict {
                let strength = 0.35 + 0.65 * Double(pair.conflicts) / Double(most)
                fill = "rgba(200,30,30,\(String(format: "%.2f", strength)))"
                title =
                    "\(pair.first) × \(pair.second): \(pair.conflicts) conflicted \(pair.conflicts == 1 ? "path" : "paths"): \(pair.paths.joined(separator: ", "))"
            } else {
                fill = "#bfe3bf"
                title = "\(pair.first) × \(pair.second): overlapping changes, merge cleanly"
            }
            for (row, column) in [(first, second), (second, first)] {
                svg +=
                    "<rect x=\"\(margin + column * cell)\" y=\"\(margin + row * cell)\" width=\"\(cell - 1)\" height=\"\(cell - 1)\" fill=\"\(fill)\"><title>\(MarkupText.escape(title))</title></rect>\n"
            }
        }
        return svg + "</svg>\n"
    }
}
