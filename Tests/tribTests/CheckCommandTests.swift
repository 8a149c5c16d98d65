import Foundation
import Git
import GitFixtures
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `trib check` and `trib who` end to end, on a real repository.
@Suite struct CheckCommandTests {
    static let maintainers = """
        SLAB ALLOCATOR
        M:\tSlab Maintainer <slab@example.org>
        S:\tMaintained
        F:\tmm/slub.c

        MEMORY MAPPING
        M:\tVMA Maintainer <vma@example.org>
        R:\tVMA Reviewer <vma-review@example.org>
        L:\tlinux-mm@lists.example.org
        S:\tMaintained
        F:\tmm/vma.c
        this line is not a field
        F:\tmm/mmap.c

        THE REST
        M:\tTop <top@example.org>
        S:\tBuried alive in reporters
        L:\tlinux-kernel@lists.example.org
        F:\t*
        F:\t*/

        """

    static let slab = Signature(name: "Slab Maintainer", email: "slab@example.org", time: 0)
    static let author = Signature(name: "Ada Author", email: "ada@example.org", time: 0)

    /// A repository whose `main` has a base and three commits: clean, missing an ack (with a
    /// hostile subject), and missing the committer's sign-off.
    static func repository() throws -> (FixtureRepository, base: ObjectID) {
        let fixture = try FixtureRepository()
        let base = try fixture.commit(
            "base",
            files: ["MAINTAINERS": .text(maintainers), "mm/slub.c": "a\n", "mm/vma.c": "v\n", "mm/mmap.c": "m\n"])
        try fixture.commit(
            "slab: clean", files: ["mm/slub.c": "b\n"], author: author, committer: slab,
            trailers: [
                ("Signed-off-by", "Ada Author <ada@example.org>"),
                ("Signed-off-by", "Slab Maintainer <slab@example.org>"),
            ])
        try fixture.commit(
            "slab: touch vma <script>alert(1)</script> \" onmouseover=\"x", files: ["mm/vma.c": "w\n"], author: author,
            committer: slab,
            trailers: [
                ("Signed-off-by", "Ada Author <ada@example.org>"),
                ("Signed-off-by", "Slab Maintainer <slab@example.org>"),
            ])
        try fixture.commit(
            "slab: no committer sign-off", files: ["mm/slub.c": "c\n"], author: author, committer: slab,
            trailers: [("Signed-off-by", "Ada Author <ada@example.org>")])
        try fixture.git("checkout", "-q", "-f", "main")
        return (fixture, base)
    }

    @Test("text output, exit status 1 on errors, 0 on a clean range")
    func textAndExitStatus() throws {
        let (fixture, base) = try Self.repository()
        let result = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--owns", "SLAB ALLOCATOR"])
        #expect(result.status == 1)
        #expect(
            result.output.contains(
                "owner-ack          touches MEMORY MAPPING (mm/vma.c) without Acked-by or Reviewed-by from its maintainers"
            ))
        #expect(result.output.contains("could ack: VMA Maintainer <vma@example.org>"))
        #expect(
            result.output.contains(
                "signoff-committer  no Signed-off-by from the committer Slab Maintainer <slab@example.org>"))
        #expect(result.output.hasSuffix("3 commits checked: 2 errors, 0 warnings, 1 commits clean\n"))
        // The malformed line is reported with its place, and the rest still works.
        #expect(
            result.output.contains(
                ":MAINTAINERS:12: 'this line is not a field' follows a field line without a blank line; read as the title of a new section"
            ))
        let clean = try TribCommand.run([
            "check", "-C", fixture.path, "\(base.hex)..main~2", "--owns", "SLAB ALLOCATOR",
        ])
        #expect(clean.status == 0, "\(clean.output)")
        // With the policy turning owner-ack into a warning, only the sign-off is an error.
        let policy = fixture.path + "/policy"
        try "[rule \"owner-ack\"]\n\tseverity = warning\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let relaxed = try TribCommand.run([
            "check", "-C", fixture.path, "\(base.hex)..main", "--owns", "SLAB ALLOCATOR", "--policy", policy,
        ])
        #expect(relaxed.output.hasSuffix("3 commits checked: 1 errors, 1 warnings, 1 commits clean\n"))
    }

    @Test(
        "a MAINTAINERS problem is reported once however many versions of the file the range meets; a branch-only entry is none"
    )
    func maintainersWarningsOnce() throws {
        let (fixture, base) = try Self.repository()
        var text =
            Self.maintainers
            + "\nSLAB CUSTODIAN TREE\nM:\tSlab Maintainer <slab@example.org>\nT:\tgit https://git.example.org/slab.git\n"
        for number in 1...3 {
            // Each version moves the malformed line further down the file.
            text = "# version \(number)\n" + text
            try fixture.commit(
                "MAINTAINERS: version \(number)",
                files: ["MAINTAINERS": .text(text), "mm/slub.c": .text("\(number)\n")],
                author: Self.author, committer: Self.slab,
                trailers: [
                    ("Signed-off-by", "Ada Author <ada@example.org>"),
                    ("Signed-off-by", "Slab Maintainer <slab@example.org>"),
                ])
        }
        let result = try TribCommand.run([
            "check", "-C", fixture.path, "\(base.hex)..main", "--owns", "SLAB ALLOCATOR", "--format", "json",
        ])
        let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let warnings = (document?["maintainersWarnings"] as? [[String: Any]])?.compactMap { $0["message"] as? String }
        #expect(warnings?.filter { $0.contains("'this line is not a field'") }.count == 1, "\(warnings ?? [])")
        #expect(warnings?.contains { $0.contains("SLAB CUSTODIAN TREE") } == false, "\(warnings ?? [])")
    }

    @Test("owned names are checked against the tip's MAINTAINERS; a group heading owns the sections under it")
    func ownedNames() throws {
        let (fixture, base) = try Self.repository()
        let typo = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--owns", "SLAB ALLOCATR"])
        #expect(typo.status == 2)
        #expect(
            typo.errorOutput.contains(
                "owns 'SLAB ALLOCATR': no MAINTAINERS section or heading has that name at"),
            "\(typo.errorOutput)")
        #expect(typo.errorOutput.contains("(did you mean \"SLAB ALLOCATOR\"?)"), "\(typo.errorOutput)")
        // Under a heading (QEMU's way of grouping sections), owning the heading owns both.
        let grouped = "Memory management\n-----------------\n\n" + Self.maintainers
        for (message, files) in [
            ("MAINTAINERS: group the memory sections", ["MAINTAINERS": FileContent.text(grouped)]),
            ("mm: touch vma", ["mm/vma.c": FileContent.text("x\n")]),
        ] {
            try fixture.commit(
                message, files: files, author: Self.author, committer: Self.slab,
                trailers: [
                    ("Signed-off-by", "Ada Author <ada@example.org>"),
                    ("Signed-off-by", "Slab Maintainer <slab@example.org>"),
                ])
        }
        let headed = try TribCommand.run(["check", "-C", fixture.path, "main~1..main", "--owns", "Memory management"])
        #expect(headed.status == 0, "\(headed.output)")
        let section = try TribCommand.run(["check", "-C", fixture.path, "main~1..main", "--owns", "SLAB ALLOCATOR"])
        #expect(section.output.contains("touches MEMORY MAPPING (mm/vma.c) without"), "\(section.output)")
    }

    @Test("a file is named once in a finding, even when two MAINTAINERS files give its section")
    func fileOnceInFinding() throws {
        let fixture = try FixtureRepository()
        let section = "X DRIVER\nM:\tXavier <x@example.org>\nS:\tMaintained\nF:\tdrivers/x/\n"
        let base = try fixture.commit(
            "base",
            files: ["MAINTAINERS": .text(section), "drivers/x/MAINTAINERS": .text(section), "drivers/x/a.c": "a\n"])
        try fixture.commit(
            "x: change", files: ["drivers/x/a.c": "b\n"], author: Self.author, committer: Self.author,
            trailers: [("Signed-off-by", "Ada Author <ada@example.org>")])
        let result = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--find-maintainer-files"])
        #expect(result.output.contains("touches X DRIVER (drivers/x/a.c) without"), "\(result.output)")
    }

    @Test("--tree takes the owned sections and policy from the manifest")
    func manifestTree() throws {
        let (fixture, base) = try Self.repository()
        try """
        [policy]
        \townerAckScope = deepest
        [rule "signoff-committer"]
        \tseverity = warning
        [tree "slab"]
        \turl = https://git.example.org/slab.git
        \towns = SLAB ALLOCATOR
        \towns = MEMORY MAPPING
        """.write(toFile: fixture.path + "/.tributary", atomically: true, encoding: .utf8)
        let result = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--tree", "slab"])
        #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
        #expect(result.output.hasSuffix("3 commits checked: 0 errors, 1 warnings, 2 commits clean\n"))
        let unknownTree = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--tree", "nosuch"])
        #expect(unknownTree.status == 2 && unknownTree.errorOutput.contains("no [tree \"nosuch\"]"))
        try "[policy]\n\tnoSuchKey = 1\n".write(toFile: fixture.path + "/.tributary", atomically: true, encoding: .utf8)
        let badPolicy = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main"])
        #expect(badPolicy.status == 2 && badPolicy.errorOutput.contains("policy.nosuchkey: unknown key"))
    }

    @Test("--preset and the manifest's preset set the rules; the JSON says how each section was approved")
    func presets() throws {
        let (fixture, base) = try Self.repository()
        let kernel = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--owns", "SLAB ALLOCATOR"])
        #expect(
            kernel.output.hasSuffix("3 commits checked: 2 errors, 0 warnings, 1 commits clean\n"), "\(kernel.output)")
        // U-Boot's custodians do not sign off what they pass on, and board maintainers are not
        // asked for acks.
        let uBoot = try TribCommand.run([
            "check", "-C", fixture.path, "\(base.hex)..main", "--owns", "SLAB ALLOCATOR", "--preset", "u-boot",
        ])
        #expect(uBoot.output.hasSuffix("3 commits checked: 0 errors, 0 warnings, 3 commits clean\n"), "\(uBoot.output)")
        // The manifest's preset, written after a rule it then leaves alone.
        try "[rule \"owner-ack\"]\n\tseverity = warning\n[policy]\n\tpreset = dpdk\n".write(
            toFile: fixture.path + "/.tributary", atomically: true, encoding: .utf8)
        let json = try TribCommand.run([
            "check", "-C", fixture.path, "\(base.hex)..main", "--owns", "SLAB ALLOCATOR", "--format", "json",
        ])
        let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let commits = document?["commits"] as? [[String: Any]] ?? []
        let approvals = commits.flatMap { ($0["approvals"] as? [[String: Any]]) ?? [] }.map {
            "\($0["section"] as? String ?? "") \($0["reason"] as? String ?? "")"
        }
        #expect(
            approvals.sorted() == ["MEMORY MAPPING missing", "SLAB ALLOCATOR owned", "SLAB ALLOCATOR owned"],
            "\(approvals)")
        let findings = commits.flatMap { ($0["findings"] as? [[String: Any]]) ?? [] }.map {
            "\($0["severity"] as? String ?? "") \($0["rule"] as? String ?? "")"
        }
        #expect(findings == ["warning owner-ack"], "\(findings)")
    }

    @Test("trib who --maintainers DIR reads every file named MAINTAINERS below it")
    func whoWithDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trib-who-dir-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("board/vendor"), withIntermediateDirectories: true)
        try "CORE\nM:\tCore <core@example.org>\nS:\tMaintained\nF:\tcommon/\n".write(
            to: directory.appendingPathComponent("MAINTAINERS"), atomically: true, encoding: .utf8)
        try "VENDOR BOARD\nM:\tVendor <vendor@example.org>\nS:\tMaintained\nF:\tboard/vendor/\n".write(
            to: directory.appendingPathComponent("board/vendor/MAINTAINERS"), atomically: true, encoding: .utf8)
        let result = try TribCommand.run([
            "who", "--maintainers", directory.path, "board/vendor/init.c", "common/boot.c",
        ])
        #expect(result.status == 0)
        #expect(
            result.output
                == "Vendor <vendor@example.org> (maintainer:VENDOR BOARD)\nCore <core@example.org> (maintainer:CORE)\n")
    }

    @Test("bad input exits 2 with a clear message")
    func badInput() throws {
        let (fixture, base) = try Self.repository()
        let unknown = try TribCommand.run(["check", "-C", fixture.path, "nosuch..main"])
        #expect(unknown.status == 2 && unknown.errorOutput.contains("unknown revision 'nosuch'"))
        let empty = try TribCommand.run(["check", "-C", fixture.path, "main..main"])
        #expect(empty.status == 2 && empty.errorOutput.contains("holds no commit to check"))
        let noUpstream = try TribCommand.run(["check", "-C", fixture.path])
        #expect(noUpstream.status == 2 && noUpstream.errorOutput.contains("has no upstream branch"))
        let unreadable = try TribCommand.run([
            "check", "-C", fixture.path, "\(base.hex)..main", "--policy", "/nonexistent/policy",
        ])
        #expect(
            unreadable.status == 2 && unreadable.errorOutput.contains("cannot read the policy file /nonexistent/policy")
        )
        let badMaintainers = try TribCommand.run([
            "check", "-C", fixture.path, "\(base.hex)..main", "--maintainers", "/nonexistent",
        ])
        #expect(badMaintainers.status == 2)
        let badFormat = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--format", "yaml"])
        #expect(badFormat.status == 2)
        // With an upstream, the default range is upstream..HEAD.
        try fixture.git("branch", "-q", "upstream-base", base.hex)
        try fixture.git("branch", "-q", "--set-upstream-to=upstream-base", "main")
        let defaulted = try TribCommand.run(["check", "-C", fixture.path, "--owns", "SLAB ALLOCATOR"])
        #expect(defaulted.status == 1 && defaulted.output.contains("3 commits checked"))
    }

    @Test("JSON output matches the documented schema and carries the parsed trailers")
    func json() throws {
        let (fixture, base) = try Self.repository()
        let result = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--format", "json"])
        #expect(result.status == 1)
        try SchemaValidation.validate(result.output, schema: "check")
        let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let commits = document?["commits"] as? [[String: Any]]
        #expect(commits?.count == 3)
        let trailers = commits?.first?["trailers"] as? [[String: Any]]
        #expect(trailers?.map { $0["key"] as? String } == ["Signed-off-by", "Signed-off-by"])
    }

    @Test("JUnit output is well-formed XML with a failure per error; untrusted text is escaped")
    func junit() throws {
        let (fixture, base) = try Self.repository()
        let result = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--format", "junit"])
        let parser = XMLParser(data: Data(result.output.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.counts["testcase"] == 3)
        #expect(counter.counts["failure"] == 2)
        #expect(counter.names.contains { $0.contains("<script>alert(1)</script> \" onmouseover=\"x") })
        #expect(!result.output.contains("<script>"))
    }

    @Test("SARIF output has the structure SARIF 2.1.0 requires")
    func sarif() throws {
        let (fixture, base) = try Self.repository()
        let result = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--format", "sarif"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(document["version"] as? String == "2.1.0")
        #expect((document["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let runs = try #require(document["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "trib")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ruleIDs = rules.compactMap { $0["id"] as? String }
        #expect(ruleIDs.count == rules.count && Set(ruleIDs).count == rules.count)
        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.count == 2)
        for item in results {
            let ruleID = try #require(item["ruleId"] as? String)
            let index = try #require(item["ruleIndex"] as? Int)
            #expect(ruleIDs[index] == ruleID)
            #expect(["none", "note", "warning", "error"].contains(item["level"] as? String ?? ""))
            #expect(((item["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            for location in item["locations"] as? [[String: Any]] ?? [] {
                let artifact = (location["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any]
                #expect((artifact?["uri"] as? String)?.hasPrefix("mm/") == true)
            }
        }
    }

    @Test("GitHub output uses workflow commands with escaped data")
    func github() throws {
        let (fixture, base) = try Self.repository()
        let result = try TribCommand.run(["check", "-C", fixture.path, "\(base.hex)..main", "--format", "github"])
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let shape = try Regex("^::(error|warning) (file=[^,:]+,)?title=[^:,]+::[^\\n]+$")
        for line in lines.dropLast() {
            #expect(line.wholeMatch(of: shape) != nil, "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("::error file=mm/vma.c,title=owner-ack in ") })
        #expect(lines.contains { $0.contains("%0Acould ack: VMA Maintainer <vma@example.org>") })
        #expect(lines.last == "3 commits checked: 2 errors, 0 warnings")
    }

    @Test("trib who answers with get_maintainer.pl's lines, and as JSON")
    func who() throws {
        let (fixture, _) = try Self.repository()
        let result = try TribCommand.run(["who", "-C", fixture.path, "mm/vma.c"])
        #expect(result.status == 0)
        #expect(
            result.output == """
                VMA Maintainer <vma@example.org> (maintainer:MEMORY MAPPING)
                VMA Reviewer <vma-review@example.org> (reviewer:MEMORY MAPPING)
                Top <top@example.org> (chief penguin:THE REST)
                linux-mm@lists.example.org (open list:MEMORY MAPPING)
                linux-kernel@lists.example.org (open list)

                """)
        let unowned = try TribCommand.run(["who", "-C", fixture.path, "tools/new.c"])
        #expect(unowned.errorOutput.contains("unowned: tools/new.c"))
        let json = try TribCommand.run(["who", "-C", fixture.path, "--json", "--commit", "main~1"])
        let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let query = (document?["queries"] as? [[String: Any]])?.first
        #expect((query?["paths"] as? [[String: Any]])?.map { $0["path"] as? String } == ["mm/vma.c"])
        #expect(try TribCommand.run(["who", "-C", fixture.path]).status == 2)
    }

    @Test(
        "trib who takes the dialect from --dialect, else the manifest, else the tree; the configuration's guesses are named once"
    )
    func whoDialectAndConfiguration() throws {
        let (fixture, _) = try Self.repository()
        try "--git --git-since 1-year-ago\n--nokeywords --bogus\n".write(
            toFile: fixture.path + "/.get_maintainer.conf", atomically: true, encoding: .utf8)
        func dialect(_ arguments: [String]) throws -> (name: String?, chosenBy: String?, errors: String) {
            let result = try TribCommand.run(["who", "-C", fixture.path, "--json"] + arguments + ["mm/vma.c"])
            let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
            let dialect = document?["dialect"] as? [String: Any]
            return (dialect?["name"] as? String, dialect?["chosenBy"] as? String, result.errorOutput)
        }
        #expect(try dialect([]).name == "linux")
        #expect(try dialect([]).chosenBy == "default")
        #expect(try dialect(["--dialect", "xen"]).chosenBy == "option")
        try "[integration]\n\tbranch = main\n[ownership]\n\tdialect = u-boot\n".write(
            toFile: fixture.path + "/.tributary", atomically: true, encoding: .utf8)
        #expect(try dialect([]).name == "u-boot")
        #expect(try dialect([]).chosenBy == "manifest")
        #expect(try dialect(["--dialect", "linux"]).name == "linux")
        let text = try TribCommand.run(["who", "-C", fixture.path, "mm/vma.c"])
        #expect(
            text.errorOutput.components(separatedBy: "\n").filter { $0.contains(".get_maintainer.conf") } == [
                "trib: note: .get_maintainer.conf: ignoring --git --git-since 1-year-ago (Tributary does not guess from git history)",
                "trib: warning: .get_maintainer.conf: not get_maintainer.pl options: --bogus",
            ], "\(text.errorOutput)")
        #expect(try TribCommand.run(["who", "-C", fixture.path, "--dialect", "qemu", "mm/vma.c"]).status == 2)
    }
}

enum SharedPaths {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// Counts XML elements and collects the `name` attributes of test cases.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var names: [String] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        counts[elementName, default: 0] += 1
        if elementName == "testcase", let name = attributes["name"] { names.append(name) }
    }
}
