import Foundation
import Git
import GitFixtures
import Testing
import Tributary

@Suite struct CommandLineTests {
    @Test("--help lists the commands, --version prints the version")
    func helpAndVersion() throws {
        let help = try TribCommand.run(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("demo") && help.output.contains("patch-id"))
        #expect(help.output.contains("Exit status: 0 clean, 1 findings, 2 bad input"))
        let version = try TribCommand.run(["--version"])
        #expect(version.status == 0)
        // `swift build` leaves the version unstamped: the sources' version, said to be a
        // development build, and the libgit2 this process runs with.
        #expect(
            version.output
                == "trib \(Tributary.baseVersion) (development build, libgit2 \(libgit2Version))\n")
        #expect(libgit2Version.split(separator: ".").count == 3)
        let subcommandHelp = try TribCommand.run(["patch-id", "--help"])
        #expect(subcommandHelp.status == 0 && subcommandHelp.output.contains("--no-renames"))
    }

    @Test("shell completion scripts are generated", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) throws {
        let result = try TribCommand.run(["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(result.output.contains("patch-id"))
    }

    @Test("usage errors exit 2")
    func usageErrors() throws {
        #expect(try TribCommand.run(["no-such-command"]).status == 2)
        #expect(try TribCommand.run(["patch-id", "--no-such-option"]).status == 2)
    }
}

@Suite struct PatchIDCommandTests {
    @Test("trib patch-id equals git log -p --no-merges --full-index | git patch-id --stable")
    func equalsGit() throws {
        let fixture = try FixtureRepository()
        var generator = HistoryGenerator(seed: 21)
        _ = try generator.makeCommits(150, in: fixture, includeBinary: true)
        // A merge, which neither tool lists.
        try fixture.branch("side", at: try fixture.tip("main")!)
        try fixture.commit("side change", files: ["side.txt": "side\n"], on: "side")
        try fixture.commit("main change", files: ["main.txt": "main\n"], on: "main")
        try fixture.merge("side")
        try fixture.git("checkout", "-q", "-f", "main")
        let ranges = [
            ["main"], ["main~40..main"], ["side", "^main~60"], ["side^!"], ["main^-"], ["main^-2"],
            ["main^@", "^main~9"],
            ["main", "--not", "main~5"], ["main~2..main", "side~1..side"],
        ]
        for arguments in ranges {
            let log = try fixture.git.run(["log", "-p", "--no-merges", "--full-index"] + arguments)
            let expected = try fixture.git.run(["patch-id", "--stable"], input: log.output).text
            let result = try TribCommand.run(["patch-id", "-C", fixture.path] + arguments)
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output == expected, "trib patch-id \(arguments)")
            #expect(!expected.isEmpty)
        }
        let revisions = try fixture.git("rev-list", "--no-merges", "main~10..main")
        let fromStdin = try TribCommand.run(["patch-id"], in: fixture.path, input: revisions)
        let log = try fixture.git.run(["log", "-p", "--no-merges", "--full-index", "main~10..main"])
        #expect(fromStdin.output == (try fixture.git.run(["patch-id", "--stable"], input: log.output).text))
    }

    /// The project's own checkout (CI runs the tests from one).
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test(
        "trib patch-id on this project's own history equals git log -p --no-merges | git patch-id --stable",
        .enabled(
            if: FileManager.default.fileExists(atPath: projectRoot + "/.git"),
            "the tests do not run from a git checkout of the project")
    )
    func ownHistory() throws {
        let git = FixtureGit(directory: Self.projectRoot)
        // Commits that change a binary file are left out of both sides: without --full-index git
        // prints no binary patch, only "Binary files differ".
        let numstat = try git("log", "--no-merges", "--numstat", "--format=commit %H", "HEAD")
        var binary = Set<String>()
        var current = ""
        for line in numstat.split(separator: "\n") {
            if line.hasPrefix("commit ") { current = String(line.dropFirst(7)) }
            if line.hasPrefix("-\t-\t") { binary.insert(current) }
        }
        func textOnly(_ output: String) -> [Substring] {
            output.split(separator: "\n").filter { !binary.contains(String($0.split(separator: " ").last ?? "")) }
        }
        let log = try git.run(["log", "-p", "--no-merges", "HEAD"])
        #expect(log.status == 0, "\(log.errorOutput)")
        let expected = textOnly(try git.run(["patch-id", "--stable"], input: log.output).text)
        let result = try TribCommand.run(["patch-id", "-C", Self.projectRoot, "HEAD"])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(textOnly(result.output) == expected)
        #expect(expected.count > 10)
    }

    @Test("an unknown revision is bad input (2); a directory that is no repository is 3")
    func errors() throws {
        let fixture = try FixtureRepository()
        try fixture.commit("one", files: ["a": "1\n"])
        let unknown = try TribCommand.run(["patch-id", "-C", fixture.path, "main..nosuch"])
        #expect(unknown.status == 2)
        #expect(unknown.errorOutput.contains("unknown revision 'nosuch'"))
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("trib-norepo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let notRepository = try TribCommand.run(["patch-id", "-C", empty.path, "HEAD"])
        #expect(notRepository.status == 3)
        #expect(notRepository.errorOutput.hasPrefix("trib: "))
    }
}

@Suite struct DemoCommandTests {
    @Test("trib demo builds the forest and reports the conflict, the duplicate and the planted problems")
    func demo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trib-demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try TribCommand.run(["demo", directory.path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "Built a demo integration forest in \(directory.path)")
        #expect(lines.contains("    slab      tag-problems  4 new commits; tags: 1 error, 0 warnings"))
        #expect(lines.contains("    memblock  ready         3 new commits; 1 duplicate patch"))
        #expect(lines.contains("    vma       tag-problems  3 new commits; tags: 1 error, 0 warnings"))
        #expect(
            lines.contains(
                "    thp       conflict      4 new commits; conflicts in include/linux/mm.h, mm/huge_memory.c with vma; tags: 2 errors, 0 warnings; 1 duplicate patch"
            ))
        // The conflict is attributed to the vma tree and the commit that added VM_SEALED.
        #expect(
            lines.contains(
                "        ded92d0fce72 \"mm: add the VM_SEALED flag\" (VMA Contributor <vma-contributor@example.org>)"))
        #expect(
            lines.contains {
                $0.hasSuffix(" mm/page_alloc: fix typo in comment") && $0.hasPrefix("  ") && !$0.contains("[PATCH]")
            })
        // The tag check finds the three planted problems, and nothing else.
        #expect(lines.contains("  slab      4 commits: 1 errors, 0 warnings"))
        #expect(lines.contains("  memblock  3 commits: 0 errors, 0 warnings"))
        #expect(lines.contains("  vma       3 commits: 1 errors, 0 warnings"))
        #expect(lines.contains("  thp       4 commits: 2 errors, 0 warnings"))
        #expect(
            lines.contains {
                $0.hasSuffix(
                    "signoff-committer: no Signed-off-by from the committer Slab Maintainer <slab-maintainer@example.org>"
                )
            })
        #expect(
            lines.contains {
                $0.contains("owner-ack: touches MEMORY MANAGEMENT - THP (TRANSPARENT HUGE PAGE) (mm/huge_memory.c)")
            })
        #expect(lines.contains("                could ack: THP Maintainer <thp-maintainer@example.org>"))
        #expect(lines.contains { $0.hasSuffix("fixes: the hash e8546b26 has 8 digits; use at least 12") })
        // The pull stops on the planted conflict; once resolved, the rebuild goes through.
        #expect(lines.contains { $0.hasPrefix("  stopped at thp: mm-next and every other ref are as they were") })
        #expect(
            lines.contains {
                $0.hasPrefix("  recorded ")
                    && $0.hasSuffix(" for include/linux/mm.h (kept in refs/tributary/resolutions)")
            })
        #expect(lines.contains("    thp       merged       4 new commits; 2 recorded resolution(s) applied"))
        // The ledger: a series landed with an edit, one partially, an ack lost on the way.
        #expect(lines.contains("      mm-next: modified, vma: modified"))
        #expect(
            lines.contains {
                $0.contains("1: mm: add the VM_SEALED flag: landed with edits as ")
                    && $0.hasSuffix("(found by message-id)")
            })
        #expect(lines.contains("      mm-next: partial, memblock: partial"))
        #expect(lines.contains("      3: memblock: drop the memblock_free_late() wrapper: never applied"))
        #expect(
            lines.contains(
                "      mm/vma: let THP check sealed VMAs: given on the list but lost on the way: Acked-by: THP Maintainer <thp-maintainer@example.org>"
            ))
        // A sync drops the commit that landed upstream; the pull request's readiness.
        #expect(
            lines.contains {
                $0.hasPrefix("  dropped  mm/page_alloc: fix typo in comment: already upstream as ")
                    && $0.hasSuffix("(patch-id)")
            })
        #expect(lines.contains("  kept     mm: thp: fix folio leak in split_huge_page()"))
        // Its tag findings are about the tree's own commits: mm-next already holds every vma commit.
        #expect(lines.contains("  Readiness: ready (0 tag errors, 0 warnings; merges cleanly into mm-next)"))
        // The integration repository is real and clean.
        let git = FixtureGit(directory: directory.path + "/mm")
        #expect(try git("status", "--porcelain") == "")
        #expect(try git("rev-parse", "--abbrev-ref", "HEAD") == "mm-next\n")
        #expect(
            try git("grep", "-c", "VM_HUGEPAGE\t0x00000020", "mm-next", "--", "include/linux/mm.h")
                == "mm-next:include/linux/mm.h:1\n")
        #expect(
            try git("for-each-ref", "--format=%(refname)", "refs/tributary/trees").split(separator: "\n").count == 4)
        // Only unreferenced objects (the trial merges' commits) may be reported.
        let fsck = try git.run(["fsck", "--no-progress"])
        #expect(fsck.status == 0)
        #expect(fsck.text.split(separator: "\n").allSatisfy { $0.hasPrefix("dangling ") }, "\(fsck.text)")

        let again = try TribCommand.run(["demo", directory.path])
        #expect(again.status == 2)
        #expect(again.errorOutput.contains("is not empty"))
    }
}
