import Foundation
import Git
import Tributary

/// What `trib demo` prints about the forest it built, running each step on it: one section per
/// step, in the order a maintainer's day runs them.
public struct DemoWalkthrough {
    public var forest: DemoForest

    public init(forest: DemoForest) { self.forest = forest }

    /// Runs the steps on the forest and returns the text.
    public func run() throws -> String {
        var output = DemoText()
        try write(to: &output)
        return output.text
    }

    private func write(to output: inout DemoText) throws {
        let repository = try Repository(at: forest.integrationPath)
        writeForest(to: &output)
        // The evening before: the list's mail imported, the report recorded (trib report --record).
        try DemoReports.recordBefore(forest)
        try writePlan(repository, to: &output)
        try writeDuplicates(repository, to: &output)
        try writeTagChecks(repository, to: &output)
        try writePull(to: &output)
        try writeLedger(to: &output)
        try writeSync(to: &output)
        try writeMorningReport(to: &output)
        writeNextSteps(to: &output)
    }

    private var width: Int { forest.trees.map(\.name.count).max() ?? 0 }

    private func writeForest(to output: inout DemoText) {
        output.line("Built a demo integration forest in \(forest.directory)")
        output.line("")
        output.line(
            "Integration tree: \(forest.integrationPath) (branch \(forest.integrationBranch), on v7.0-rc1 \(forest.base.abbreviated()))"
        )
        output.line("Sub-trees, in merge order (fetched into refs/tributary/trees/NAME):")
        for tree in forest.trees {
            output.line(
                "  \(tree.name.padding(width))  \(tree.commits.count) commits in \(tree.series.count) series   owns \(tree.ownedSection)"
            )
            for title in tree.series { output.line("  \(String(repeating: " ", count: width))    \(title)") }
        }
    }

    private func writePlan(_ repository: Repository, to output: inout DemoText) throws {
        output.line("")
        output.line("The plan (trib plan): pulling every sub-tree into \(forest.integrationBranch) now, in order:")
        let manifest = try Manifest.load(from: Manifest.defaultPath(for: repository))
        let plan = try Planner(
            repository: repository, manifest: manifest, index: try IndexDatabase(repository: repository)
        )
        .run()
        for line in PlanRenderer.text(plan).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            output.line(line.isEmpty ? "" : "  " + line)
        }
    }

    private func writeDuplicates(_ repository: Repository, to output: inout DemoText) throws {
        output.line("")
        output.line("The same patch in more than one tree (by stable patch-id):")
        let duplicates = try DuplicatePatchFinder(repository: repository).duplicates(
            among: forest.trees.map { ($0.name, $0.commits) })
        if duplicates.isEmpty { output.line("  none") }
        for duplicate in duplicates {
            output.line("  \(duplicate.patchID.abbreviated()) \(duplicate.copies[0].subject)")
            for copy in duplicate.copies {
                output.line("      \(copy.tree.padding(width))  \(copy.commit.abbreviated())")
            }
        }
    }

    private func writeTagChecks(_ repository: Repository, to output: inout DemoText) throws {
        output.line("")
        output.line(
            "Tag check of each tree's new commits (trib check mm-next..refs/tributary/trees/NAME --owns SECTION):")
        for tree in forest.trees {
            var policy = TagPolicy()
            policy.ownedSections = [tree.ownedSection]
            let report = try TagCheck(repository: repository, policy: policy).run(
                RevisionRange(arguments: ["\(forest.integrationBranch)..refs/tributary/trees/\(tree.name)"]))
            output.line(
                "  \(tree.name.padding(width))  \(report.commits.count) commits: \(report.errorCount) errors, \(report.warningCount) warnings"
            )
            for commit in report.commits {
                for finding in commit.findings {
                    output.line(
                        "  \(String(repeating: " ", count: width))    \(commit.commit.abbreviated()) \(finding.rule.rawValue): \(finding.message)"
                    )
                    if !finding.people.isEmpty {
                        output.line(
                            "  \(String(repeating: " ", count: width))      could ack: \(finding.people.joined(separator: ", "))"
                        )
                    }
                }
            }
        }
        let planted = forest.trees.flatMap(\.plantedProblems).count
        output.line("  (\(planted) problems were planted in this forest; Docs/demo.md lists them.)")
    }

    private func writePull(to output: inout DemoText) throws {
        output.line("")
        output.line("Pull (trib pull): every tree merged into mm-next for real, in order:")
        let pull = try DemoPull.run(forest)
        for line in PullRenderer.text(pull.stopped).split(separator: "\n") { output.line("  " + line) }
        output.line("")
        output.line("The conflict resolved once (trib resolve start thp; edit; trib resolve save thp),")
        output.line("keeping both sides and giving VM_HUGEPAGE a bit of its own (0x20):")
        for resolution in pull.recorded {
            output.line(
                "  recorded \(resolution.id.prefix(12)) for \(resolution.path) (kept in refs/tributary/resolutions)")
        }
        output.line("")
        output.line("The daily rebuild (trib pull --rebuild) now goes through on its own:")
        for line in PullRenderer.text(pull.rebuilt).split(separator: "\n") { output.line("  " + line) }
    }

    private func writeLedger(to output: inout DemoText) throws {
        output.line("")
        output.line("The series ledger (trib series import list.mbox; trib series list): the list's postings")
        output.line("against mm-next and each tree:")
        let (mboxPath, ledger) = try DemoMail.ledger(forest)
        for series in ledger.series {
            guard let newest = series.versions.last else { continue }
            let places = ledger.places.map(\.name).filter { newest.states[$0] != .notLanded }
            let states = places.map { "\($0): \(newest.states[$0]!.rawValue)" }.joined(separator: ", ")
            output.line(
                "  \(series.id)  v\(newest.version) \(newest.patches.count)/\(newest.expected)  \(series.title)")
            output.line("      \(states.isEmpty ? "not landed anywhere" : states)")
            for patch in newest.patches {
                for landing in patch.landings
                where landing.rule != .patchID && landing.place == forest.integrationBranch {
                    output.line(
                        "      \(patch.counter): \(patch.subject): landed with edits as \(landing.commit.abbreviated()) (found by \(landing.rule.rawValue))"
                    )
                }
                if patch.landings.isEmpty { output.line("      \(patch.counter): \(patch.subject): never applied") }
                for trailer in patch.missingInCommit {
                    output.line("      \(patch.subject): given on the list but lost on the way: \(trailer)")
                }
            }
        }
        output.line("  (the postings: \(mboxPath))")
        try writeRouting(to: &output)
    }

    /// Where the postings applied nowhere should go (`trib series route`).
    private func writeRouting(to output: inout DemoText) throws {
        let repository = try Repository(at: forest.integrationPath)
        let manifest = try Manifest.load(from: forest.integrationPath + "/.tributary")
        let sources = try LedgerSources(
            repository: repository, manifest: manifest, index: try IndexDatabase(repository: repository))
        let ledger = try sources.ledger()
        let router = try SeriesRouter(sources: sources, manifest: manifest, ledger: ledger)
        for series in sources.series {
            guard let newest = series.versions.last,
                let entry = ledger.series.first(where: { $0.id == series.id })?.versions.last,
                !entry.states.values.contains(where: { $0 != .notLanded && $0 != .superseded })
            else { continue }
            let route = try router.route(PostedSeries(newest, of: series, seriesID: series.id))
            output.line("")
            output.line("Where the waiting posting should go (trib series route \(series.id)): \(route.summary.text)")
            for reason in route.decision.reasons { output.line("  - \(reason)") }
        }
    }

    private func writeSync(to output: inout DemoText) throws {
        output.line("")
        output.line("Sub-tree maintainers: mainline moved on to v7.0-rc2, which took the typo fix;")
        output.line("THP Maintainer syncs thp's for-next onto it (trib sync for-next --onto v7.0-rc2):")
        let (sync, request) = try DemoSync.run(forest)
        for commit in sync.commits {
            if commit.outcome == .dropped {
                output.line(
                    "  dropped  \(commit.subject): already upstream as \(commit.upstream?.abbreviated() ?? "") (\(commit.rule?.rawValue ?? ""))"
                )
            } else {
                output.line("  kept     \(commit.subject)")
            }
        }
        output.line("  for-next moved; the old tip is kept as \(sync.backup ?? "-")")
        output.line("")
        output.line("VMA Maintainer's pull request (trib request-pull vma), its end:")
        let requestLines = request.text.split(separator: "\n", omittingEmptySubsequences: false)
        if let start = requestLines.firstIndex(where: { $0.hasPrefix("VMA Contributor (") }) {
            for line in requestLines[start...].dropLast() { output.line(line.isEmpty ? "" : "  " + line) }
        }
    }

    private func writeMorningReport(to output: inout DemoText) throws {
        output.line("")
        output.line("The next morning's report (trib report --markdown --html DIR; recorded the evening before")
        output.line("with trib report --record, so it says what changed since):")
        let written = try DemoReports.write(forest)
        for line in written.digest.split(separator: "\n", omittingEmptySubsequences: false)
        where line.hasPrefix("- landed in") || line.hasPrefix("### ") {
            output.line("  " + line)
        }
        output.line("  The digest for the list: \(written.digestPath)")
        output.line("  The site: open file://\(written.index)")
    }

    private func writeNextSteps(to output: inout DemoText) {
        output.line("")
        output.line("Look around:")
        output.line("  cd \(forest.integrationPath)")
        output.line("  git log --oneline --graph mm-next refs/tributary/trees/vma refs/tributary/trees/thp")
        output.line("  trib patch-id mm-next..refs/tributary/trees/thp")
        output.line("  trib who mm/huge_memory.c")
        output.line("  trib check mm-next..refs/tributary/trees/vma --owns 'MEMORY MAPPING' --format json")
        output.line("  trib plan --json; trib conflicts; trib tree list")
        output.line("  trib log; trib resolve list; git log --oneline --graph -12 mm-next")
        output.line("  trib series list; trib series show ID; trib series route ID")
        output.line("  trib report --markdown; trib report --html ../report-now")
        output.line("  trib request-pull vma; git -C ../trees/thp.git log --oneline v7.0-rc2..for-next")
    }
}

/// The walk-through's text, a line at a time.
struct DemoText {
    var text = ""

    mutating func line(_ line: some StringProtocol) {
        text += line
        text += "\n"
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
