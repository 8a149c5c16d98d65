import Foundation
import Git
import SnapshotTesting
import Testing

/// The text and JSON of every command on the demo forest, and the help text of every command,
/// against reviewed golden files (swift-snapshot-testing, `__Snapshots__/GoldenOutputTests/`).
/// Every JSON output is also validated against its schema in Docs/schemas.
/// What differs from machine to machine — the forest's directory, the times in backup names and
/// pull log entries, the ids of commits made with the current time — is masked first.
///
/// Review a change with `git diff` after recording: `SNAPSHOT_TESTING_RECORD=failed swift test
/// --filter GoldenOutputTests`.
@Suite(.serialized) struct GoldenOutputTests {
    /// One step: `trib ARGUMENTS` run in `directory` (relative to the forest), with masks of its own.
    struct Step: CustomStringConvertible {
        var name: String
        var arguments: [String]
        var directory = "mm"
        var masks: [(pattern: String, replacement: String)] = []
        /// Written into the forest before the step runs (path relative to the forest, content).
        var files: [(String, String)] = []
        /// git commands run in `directory` before the step.
        var git: [[String]] = []
        /// The schema (Docs/schemas/NAME.schema.json) its JSON output is validated against.
        var schema: String?

        var description: String { name }
    }

    /// What every step's output has masked: the forest's directory, the integration branch's
    /// merge commits (whose messages name the trees' URLs, paths under the forest's directory),
    /// and backup names.
    static func masked(
        _ text: String, forest: String, merges: [String: String] = [:],
        extra: [(pattern: String, replacement: String)] = []
    ) -> String {
        var result = text.replacingOccurrences(of: forest, with: "DEMO")
        for (id, label) in merges.sorted(by: { $0.key.count > $1.key.count }) {
            result = result.replacingOccurrences(of: id, with: label)
        }
        let masks =
            [(#"refs/tributary/backup/([^/\s"]+)/\d{9,}(-\d+)?"#, "refs/tributary/backup/$1/TIME")] + extra
        for (pattern, replacement) in masks {
            result = result.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return result
    }

    /// The record of one run: the command line, its exit status and both outputs.
    static func record(_ step: Step, _ result: TribCommand.Result, forest: String, merges: [String: String]) -> String {
        let stdout = masked(result.output, forest: forest, merges: merges, extra: step.masks)
        let stderr = masked(result.errorOutput, forest: forest, merges: merges, extra: step.masks)
        var text = "$ trib " + step.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        text = masked(text, forest: forest) + "\n[exit \(result.status)]\n"
        text += "--- stdout\n" + stdout
        if !stderr.isEmpty { text += "--- stderr\n" + stderr }
        return text
    }

    static let logDate = (#"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000"#, "DATE")
    static let elapsed = (#"in \d+\.\d+ s"#, "in SECONDS s")
    static let keptCommit = (#"-> [0-9a-f]{12}"#, "-> NEW")
    static let movedTo = (#"([ .])[0-9a-f]{12}( onto| \(nothing)"#, "$1NEW$2")
    static let jsonNewIDs = (#""(newCommit|newTip|when|mergeCommit)" : ("[0-9a-f]{40}"|\d+)"#, #""$1" : "MASKED""#)

    static let steps: [Step] = [
        Step(name: "version", arguments: ["--version"], masks: [(#"libgit2 \d+\.\d+\.\d+"#, "libgit2 X.Y.Z")]),
        Step(name: "init-exists", arguments: ["init"]),
        Step(name: "tree-list", arguments: ["tree", "list"]),
        Step(name: "tree-list-json", arguments: ["tree", "list", "--json"], schema: "trees"),
        Step(name: "tree-show", arguments: ["tree", "show", "vma"]),
        Step(name: "tree-show-json", arguments: ["tree", "show", "vma", "--json"]),
        Step(
            name: "tree-import", arguments: ["tree", "import", "../Trees"],
            files: [
                ("Trees", "Trees\n\nName\t\tType\tURL\n----\t\t----\t---\nslab\tgit\tDEMO/trees/slab.git#for-next\n")
            ]),
        Step(name: "tree-add", arguments: ["tree", "add", "extra", "../trees/slab.git#for-next", "--owns", "SLAB"]),
        Step(name: "tree-remove", arguments: ["tree", "remove", "extra"]),
        Step(name: "plan", arguments: ["plan"]),
        Step(name: "plan-json", arguments: ["plan", "--json"], schema: "plan"),
        Step(name: "plan-no-cache", arguments: ["plan", "--no-cache", "vma", "thp"]),
        Step(name: "conflicts", arguments: ["conflicts"]),
        Step(name: "conflicts-json", arguments: ["conflicts", "--json"], schema: "conflicts"),
        Step(
            name: "trial-merge",
            arguments: ["trial-merge", "v7.0-rc1", "refs/tributary/trees/vma", "refs/tributary/trees/thp"]),
        Step(
            name: "trial-merge-json",
            arguments: ["trial-merge", "--json", "v7.0-rc1", "refs/tributary/trees/vma", "refs/tributary/trees/thp"],
            schema: "trial-merge"),
        Step(
            name: "check-text",
            arguments: ["check", "v7.0-rc1..refs/tributary/trees/vma", "--owns", "MEMORY MAPPING"]),
        Step(
            name: "check-json",
            arguments: ["check", "v7.0-rc1..refs/tributary/trees/vma", "--owns", "MEMORY MAPPING", "--format", "json"],
            schema: "check"),
        Step(
            name: "check-junit",
            arguments: ["check", "v7.0-rc1..refs/tributary/trees/thp", "--tree", "thp", "--format", "junit"]),
        Step(
            name: "check-sarif",
            arguments: ["check", "v7.0-rc1..refs/tributary/trees/thp", "--tree", "thp", "--format", "sarif"]),
        Step(
            name: "check-github",
            arguments: ["check", "v7.0-rc1..refs/tributary/trees/slab", "--tree", "slab", "--format", "github"]),
        Step(name: "check-tree", arguments: ["check", "--tree", "vma", "v7.0-rc1..refs/tributary/trees/vma"]),
        Step(name: "check-no-upstream", arguments: ["check"]),
        Step(name: "who-path", arguments: ["who", "mm/huge_memory.c"]),
        Step(
            name: "who-json", arguments: ["who", "--json", "mm/slub.c", "include/linux/mm.h", "nowhere/file.c"],
            schema: "who"),
        Step(name: "who-commit", arguments: ["who", "--commit", "refs/tributary/trees/vma"]),
        Step(name: "patch-id", arguments: ["patch-id", "v7.0-rc1..refs/tributary/trees/thp"]),
        Step(name: "series-list", arguments: ["series", "list"]),
        Step(name: "series-list-json", arguments: ["series", "list", "--json"], schema: "series"),
        Step(name: "series-list-tree", arguments: ["series", "list", "--tree", "vma", "--state", "modified"]),
        Step(name: "series-list-discovered", arguments: ["series", "list", "--discovered"]),
        Step(name: "series-show", arguments: ["series", "show", "97c7b8e23f07"]),
        Step(name: "series-show-json", arguments: ["series", "show", "97c7b8e23f07", "--json"]),
        Step(name: "where-commit", arguments: ["where", "refs/tributary/trees/vma"]),
        Step(name: "where-message-id", arguments: ["where", "<20260302140000.1-vma-contributor@example.org>"]),
        Step(
            name: "where-patch", arguments: ["where", "--json", "../0001-mm-vma-let-THP-check-sealed-VMAs.patch"],
            git: [["format-patch", "-q", "-1", "-o", "..", "refs/tributary/trees/vma"]], schema: "where"),
        Step(name: "where-mbox", arguments: ["where", "../list.mbox"]),
        Step(name: "who-patch", arguments: ["who", "--patch", "../0001-mm-vma-let-THP-check-sealed-VMAs.patch"]),
        Step(name: "where-nowhere", arguments: ["where", "v7.0-rc1"]),
        Step(name: "request-pull", arguments: ["request-pull", "vma"]),
        Step(name: "request-pull-json", arguments: ["request-pull", "vma", "--json"], schema: "request-pull"),
        Step(name: "report-markdown", arguments: ["report", "--markdown", "--as-of", "2026-03-21"]),
        Step(name: "report-json", arguments: ["report", "--json", "--as-of", "2026-03-21"], schema: "report"),
        Step(name: "report-html", arguments: ["report", "--html", "../report-golden", "--as-of", "2026-03-21"]),
        Step(name: "log", arguments: ["log"], masks: [logDate]),
        Step(name: "log-json", arguments: ["log", "--json"], masks: [jsonNewIDs]),
        Step(name: "resolve-list", arguments: ["resolve", "list"]),
        Step(name: "resolve-show", arguments: ["resolve", "show", "499634acd04d"], masks: [logDate]),
        Step(name: "resolve-start-clean", arguments: ["resolve", "start", "thp"]),
        Step(name: "resolve-save-none", arguments: ["resolve", "save"]),
        Step(
            name: "resolve-fixup", arguments: ["resolve", "fixup", "thp", "../thp-build.patch"],
            files: [
                (
                    "thp-build.patch",
                    "--- a/RELEASE\n+++ b/RELEASE\n@@ -0,0 +1 @@\n+fixed\n"
                )
            ]),
        Step(name: "resolve-list-fixup", arguments: ["resolve", "list"]),
        Step(name: "resolve-drop-fixup", arguments: ["resolve", "drop", "thp/thp-build"]),
        Step(name: "resolve-record", arguments: ["resolve", "record", "mm-next"]),
        Step(name: "pull-dry-run", arguments: ["pull", "--dry-run"]),
        Step(name: "pull-dry-run-json", arguments: ["pull", "--dry-run", "--json"], schema: "pull"),
        Step(name: "pull-rebuild-dry-run", arguments: ["pull", "--rebuild", "--dry-run"], masks: [movedTo]),
        Step(name: "pull-up-to-date", arguments: ["pull"]),
        Step(name: "pull-unknown-tree", arguments: ["pull", "nosuch"]),
        Step(
            name: "sync-dry-run", arguments: ["sync", "before-sync", "--onto", "v7.0-rc2", "--dry-run"],
            directory: "trees/thp.git", masks: [keptCommit, movedTo],
            git: [["branch", "before-sync", "for-next@{1}"]]),
        Step(
            name: "sync-dry-run-json", arguments: ["sync", "before-sync", "--onto", "v7.0-rc2", "--dry-run", "--json"],
            directory: "trees/thp.git", masks: [jsonNewIDs], schema: "sync"),
        Step(
            name: "sync", arguments: ["sync", "before-sync", "--onto", "v7.0-rc2"], directory: "trees/thp.git",
            masks: [keptCommit, (#"[0-9a-f]{12} -> [0-9a-f]{12}"#, "OLD -> NEW")]),
        Step(
            name: "sync-up-to-date", arguments: ["sync", "before-sync", "--onto", "v7.0-rc2"],
            directory: "trees/thp.git", masks: [(#"[0-9a-f]{12} "|-> [0-9a-f]{12}"#, "ID")]),
        Step(name: "fetch", arguments: ["fetch", "slab", "memblock", "vma"]),
        Step(name: "index-update", arguments: ["index", "update"], masks: [elapsed]),
        Step(name: "index-rebuild", arguments: ["index", "rebuild"], masks: [elapsed]),
        // New steps go at the end, so that the numbers of the golden files stay.
        Step(name: "series-import", arguments: ["series", "import", "../list.mbox"]),
        Step(name: "series-route", arguments: ["series", "route", "ffba0e6e25d5"]),
        Step(name: "series-route-json", arguments: ["series", "route", "ffba0e6e25d5", "--json"], schema: "route"),
        Step(
            name: "series-route-message-id",
            arguments: ["series", "route", "<20260302140000.1-vma-contributor@example.org>"]),
    ]

    @Test("the text and JSON of every command on the demo forest match the golden files")
    func commandOutputs() throws {
        let forest = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trib-golden-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: forest) }
        let demo = try TribCommand.run(["demo", forest])
        #expect(demo.status == 0, "\(demo.errorOutput)")
        // The merge commits of the rebuilt integration branch, newest first.
        let chain = try Subprocess.run(
            "git", ["rev-list", "--first-parent", "mm-next", "^v7.0-rc1"], in: forest + "/mm")
        var merges: [String: String] = [:]
        for (number, id) in chain.text.split(separator: "\n").enumerated() {
            merges[String(id)] = "MM-NEXT~\(number)"
            merges[String(id.prefix(12))] = "MM-NEXT~\(number)"
        }
        #expect(merges.count == 8, "\(chain.text)")
        assertSnapshot(
            of: Self.record(Step(name: "demo", arguments: ["demo", forest]), demo, forest: forest, merges: merges),
            as: .lines, named: "00-demo")
        for (number, step) in Self.steps.enumerated() {
            let directory = forest + "/" + step.directory
            for (path, content) in step.files {
                try content.replacingOccurrences(of: "DEMO", with: forest).write(
                    toFile: forest + "/" + path, atomically: true, encoding: .utf8)
            }
            for arguments in step.git {
                let result = try Subprocess.run("git", arguments, in: directory)
                #expect(result.status == 0, "git \(arguments): \(result.errorOutput)")
            }
            let result = try TribCommand.run(step.arguments, in: directory)
            if let schema = step.schema { try SchemaValidation.validate(result.output, schema: schema) }
            let name = String(format: "%02d-", number + 1) + step.name
            assertSnapshot(of: Self.record(step, result, forest: forest, merges: merges), as: .lines, named: name)
        }
    }

    /// Every command path (`["tree", "add"]`), found from the SUBCOMMANDS of the help texts.
    static func commandPaths(below path: [String] = []) throws -> [[String]] {
        let help = try TribCommand.run(path + ["--help"], environment: ["COLUMNS": "100"])
        var found: [[String]] = [path]
        var inList = false
        for line in help.output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") {
                inList = true
                continue
            }
            guard inList else { continue }
            if !line.hasPrefix("  ") { break }
            // `  name    abstract`, or `  name (default)`; wrapped abstracts are indented further.
            guard line.dropFirst(2).first?.isLetter == true,
                let name = line.dropFirst(2).split(separator: " ").first
            else { continue }
            if name == "help" && path.isEmpty { continue }
            found += try commandPaths(below: path + [String(name)])
        }
        return found
    }

    @Test("the help text of every command matches the golden files")
    func helpTexts() throws {
        let paths = try Self.commandPaths()
        #expect(paths.count > 25, "\(paths)")
        for path in paths {
            let help = try TribCommand.run(path + ["--help"], environment: ["COLUMNS": "100"])
            #expect(help.status == 0)
            assertSnapshot(
                of: help.output, as: .lines, named: "help-" + (["trib"] + path).joined(separator: "-"))
        }
    }
}
