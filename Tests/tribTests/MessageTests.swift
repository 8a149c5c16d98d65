import Foundation
import Git
import GitFixtures
import Testing

/// What trib says when something is wrong or long, and how the report draws names.
@Suite struct MessageTests {
    @Test("outside a repository: \"not a git repository: PATH\", not libgit2's wording")
    func notARepository() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trib-norepo-\(UUID().uuidString)"
        )
        .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["GIT_CEILING_DIRECTORIES": URL(fileURLWithPath: directory).deletingLastPathComponent().path]
        let plan = try TribCommand.run(["plan"], in: directory, environment: environment)
        #expect(plan.errorOutput == "trib: not a git repository: \(directory)\n", "\(plan.errorOutput)")
        #expect(plan.status == 3)
        let elsewhere = try TribCommand.run(["check", "-C", directory + "/sub/..", "HEAD"], environment: environment)
        #expect(elsewhere.errorOutput == "trib: not a git repository: \(directory)\n", "\(elsewhere.errorOutput)")
    }

    /// A forest with one tree, `first`: the manifest's path and text.
    static func forestWithFirst() throws -> (PlanCommandTests.Forest, path: String, text: String) {
        let forest = try PlanCommandTests.Forest()
        _ = try forest.addTree("first")
        let path = forest.integration.path + "/.tributary"
        return (forest, path, try String(contentsOfFile: path, encoding: .utf8))
    }

    @Test("trib tree remove of the last tree keeps the manifest's final newline")
    func treeRemoveKeepsFinalNewline() throws {
        let (forest, path, before) = try Self.forestWithFirst()
        _ = try forest.addTree("second")
        _ = try forest.trib(["tree", "remove", "second"])
        let after = try String(contentsOfFile: path, encoding: .utf8)
        #expect(after == before)
        #expect(after.hasSuffix("\n"))
    }

    @Test("an unknown manifest key or section is answered with the closest one")
    func didYouMean() throws {
        let (forest, path, good) = try Self.forestWithFirst()
        let cases: [(String, String)] = [
            ("\tbrnch = x\n", "tree \"first\": unknown key brnch (did you mean \"branch\"?)"),
            ("[integraton]\n\tbranch = x\n", "unknown section for integraton.branch (did you mean \"integration\"?)"),
            ("[integration]\n\tmaintainer = M\n", "unknown key integration.maintainer (did you mean \"maintainers\"?)"),
            ("[policy]\n\treviewerCanAck = true\n", "unknown key (did you mean \"reviewersCanAck\"?)"),
            ("[rule \"signoff-autor\"]\n\tseverity = off\n", "unknown key (did you mean \"signoff-author\"?)"),
            ("\tcompletely-unrelated = x\n", "tree \"first\": unknown key completely-unrelated (tree keys:"),
            ("[ownership]\n\tdialect = xne\n", "ownership.dialect 'xne' is not a dialect (did you mean \"xen\"?)"),
            ("[ownership]\n\tdialekt = xen\n", "unknown key ownership.dialekt (did you mean \"dialect\"?)"),
            ("[policy]\n\tpreset = xne\n", "preset 'xne' is not a preset (did you mean \"xen\"?)"),
            ("[policy]\n\tintegrationMaintainer = nobody\n", "integrationMaintainer 'nobody' is not an address"),
        ]
        for (addition, message) in cases {
            try (good + addition).write(toFile: path, atomically: true, encoding: .utf8)
            let plan = try TribCommand.run(["plan"], in: forest.integration.path)
            #expect(plan.status == 2)
            #expect(plan.errorOutput.contains(message), "\(addition): \(plan.errorOutput)")
        }
        try (good + "\tcompletely-unrelated = x\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(!(try TribCommand.run(["plan"], in: forest.integration.path).errorOutput.contains("did you mean")))
    }

    @Test("--help names the manifest of a bare repository where it is: GIT_DIR/tributary/manifest")
    func helpNamesBareManifest() throws {
        let help = try TribCommand.run(["plan", "--help"])
        let flat = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("GIT_DIR/tributary/manifest"), "\(help.output)")
        // And that is where trib reads it.
        let forest = try PlanCommandTests.Forest()
        let bare = try FixtureRepository(bare: true, at: forest.directory + "/bare.git", initialBranch: "next")
        _ = try bare.git("fetch", "-q", forest.integration.path, "next:next")
        #expect(try TribCommand.run(["init"], in: bare.path).status == 0)
        #expect(FileManager.default.fileExists(atPath: bare.repository.gitDirectory + "tributary/manifest"))
    }

    @Test("the HTML heat map draws long tree names whole; the conflict table labels each side's commits")
    func longNamesAndSides() throws {
        let forest = try PlanCommandTests.Forest()
        let first = "slab-tree-of-the-memory-management-subsystem"
        let second = "vma-and-mmap-tree-of-the-memory-management-subsystem"
        let slab = try forest.addTree(first)
        let vma = try forest.addTree(second)
        let header = (1...20).map { "#define LINE_\($0)\n" }.joined()
        _ = try slab.commit(
            "slab: line 3", files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_3\n", with: "S\n"))],
            on: "for-next", trailers: PlanCommandTests.signed)
        _ = try vma.commit(
            "vma: line 3", files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_3\n", with: "V\n"))],
            on: "for-next", trailers: PlanCommandTests.signed)
        _ = try forest.trib(["fetch"])
        let site = forest.directory + "/site"
        _ = try forest.trib(["report", "--html", site])
        let page = try String(contentsOfFile: site + "/conflicts.html", encoding: .utf8)
        // Each side's commits under its label.
        #expect(
            page.contains(
                "<span class=\"side\">\(first):</span><br>slab: line 3<br><span class=\"side\">this tree (\(second)):</span><br>vma: line 3"
            ), "\(page)")
        // Room for the longest name: 7 px a character left of the rows, its 60° rise above.
        let svg = try #require(page.range(of: "<svg").map { String(page[$0.lowerBound...]) })
        let numbers = { (name: String) -> Int? in
            svg.range(of: "\(name)=\"").flatMap { start in
                Int(svg[start.upperBound...].prefix { $0.isNumber })
            }
        }
        let width = try #require(numbers("width"))
        let height = try #require(numbers("height"))
        let longest = second.count
        let rowLabel = try #require(
            svg.range(of: "<text x=\"").flatMap { Int(svg[$0.upperBound...].prefix { $0.isNumber }) })
        #expect(rowLabel >= 7 * longest, "row labels end at \(rowLabel)")
        #expect(height >= 2 * 28 + 6 * longest && width >= rowLabel + 2 * 28 + 3 * longest, "\(width)×\(height)")
        #expect(svg.contains(">\(second)</text>"))

        guard let chromium = HeadlessBrowser.executable() else {
            Issue.record("no headless Chromium: Scripts/bootstrap installs Debian's chromium-headless-shell")
            return
        }
        let browser = try HeadlessBrowser(executable: chromium)
        _ = try browser.load(URL(fileURLWithPath: site + "/conflicts.html"))
        let cut = try browser.evaluate(
            """
            [...document.querySelectorAll('svg text')].filter(t => { const b = t.getBoundingClientRect(), \
            s = t.ownerSVGElement.getBoundingClientRect(); return b.left < s.left - 0.5 || b.top < s.top - 0.5 \
            || b.right > s.right + 0.5 || b.bottom > s.bottom + 0.5 }).length
            """)
        #expect(cut as? Int == 0, "tree names drawn outside the heat map")
    }

    /// `trib ARGUMENTS` run on a terminal (`script` gives it one): what it wrote there.
    static func onTerminal(_ arguments: String, in directory: String) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return nil }
        let command = "cd '\(directory)' && '\(TribCommand.executable)' \(arguments) >/dev/null"
        return try Subprocess.run("/usr/bin/script", ["-qec", command, "/dev/null"], timeout: 120).text
    }

    @Test("long work shows progress on a terminal (what, N of M, elapsed), never with JSON or when piped")
    func progressOnTerminalOnly() throws {
        let forest = try PlanCommandTests.Forest()
        let one = try forest.addTree("one")
        let two = try forest.addTree("two")
        try one.commit("one: slab", files: ["mm/slab.c": "slab 1\n"], on: "for-next", trailers: PlanCommandTests.signed)
        try two.commit("two: slab", files: ["mm/slab.c": "slab 2\n"], on: "for-next", trailers: PlanCommandTests.signed)
        _ = try forest.trib(["fetch"])
        let directory = forest.integration.path
        guard let plan = try Self.onTerminal("plan", in: directory) else {
            Issue.record("no script(1): cannot give trib a terminal")
            return
        }
        #expect(plan.contains("\rplan: merging one, 1 of 2 trees, 0 s"), "\(plan.debugDescription)")
        #expect(plan.contains("\rplan: merging two, 2 of 2 trees, "), "\(plan.debugDescription)")
        let conflicts = try #require(try Self.onTerminal("conflicts", in: directory))
        #expect(conflicts.contains("\rconflicts: pair 1 of 1, "), "\(conflicts.debugDescription)")
        let rebuild = try #require(try Self.onTerminal("index rebuild", in: directory))
        #expect(rebuild.contains("\rindex: read "), "\(rebuild.debugDescription)")
        let check = try #require(try Self.onTerminal("check refs/tributary/trees/one", in: directory))
        #expect(check.contains("\rcheck: commit 1 of "), "\(check.debugDescription)")
        // JSON, and a pipe: nothing but the output.
        for arguments in ["plan --json", "conflicts --json", "check --format json refs/tributary/trees/one"] {
            let json = try #require(try Self.onTerminal(arguments, in: directory))
            #expect(!json.contains("\r"), "\(arguments): \(json.debugDescription)")
        }
        let piped = try TribCommand.run(["plan"], in: directory)
        #expect(!piped.errorOutput.contains("\r") && !piped.output.contains("\r"))
    }
}
