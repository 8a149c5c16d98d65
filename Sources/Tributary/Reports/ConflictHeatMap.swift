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
        // Room for the longest name in full: 7 px a character to the left of the rows, and above
        // the columns its height and, for the last columns, its reach to the right, at 60°.
        let longest = labelled ? names.map(\.count).max() ?? 0 : 0
        let left = labelled ? 12 + 7 * longest : 10
        let top = labelled ? 12 + (7 * longest * 87 + 99) / 100 : 10
        let right = (7 * longest + 1) / 2
        let width = left + cell * names.count + 2 + right
        let height = top + cell * names.count + 2
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="heatmap" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" role="img" aria-label="Pairwise conflicts between \(names.count) trees">

            """
        if labelled {
            for (index, name) in names.enumerated() {
                let row = top + index * cell + cell / 2 + 4
                let column = left + index * cell + cell / 2
                svg += """
                    <text x="\(left - 6)" y="\(row)" text-anchor="end" font-size="11">\(MarkupText.escape(name))</text>
                    <text transform="translate(\(column),\(top - 6)) rotate(-60)" font-size="11">\(MarkupText.escape(name))</text>

                    """
            }
        }
        // One grey square for all pairs that share no path, then a cell per overlapping pair, on
        // both sides of the diagonal (a page of 425 trees stays a few megabytes).
        svg +=
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(cell * names.count - 1)\" height=\"\(cell * names.count - 1)\" fill=\"#f0f0f0\"><title>no common paths</title></rect>\n"
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
                    "<rect x=\"\(left + column * cell)\" y=\"\(top + row * cell)\" width=\"\(cell - 1)\" height=\"\(cell - 1)\" fill=\"\(fill)\"><title>\(MarkupText.escape(title))</title></rect>\n"
            }
        }
        return svg + "</svg>\n"
    }
}
