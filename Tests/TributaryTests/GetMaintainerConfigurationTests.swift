import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// What a project's `.get_maintainer.conf`, `.get_maintainer.ignore`, `Fixes:` tags and YAML
/// files change in get_maintainer.pl's answer, against the kernel's script run in the same
/// fixture repository (a real git repository checked out on disk, as the script needs it).
@Suite(
    .enabled(
        if: SharedData.kernelScriptsAvailable,
        "get_maintainer.pl could not be fetched (../shared/tools/kernel-scripts)"))
struct GetMaintainerConfigurationTests {
    static let maintainers = """
        THE REST
        M:\tLinus Torvalds <torvalds@linux-foundation.org>
        L:\tlinux-kernel@vger.kernel.org
        S:\tBuried alive in reporters
        F:\t*
        F:\t*/

        WIDGET DRIVERS
        M:\tWanda Widget <wanda@example.org>
        R:\tRita Reviewer <rita@example.org>
        L:\twidgets@lists.example.org
        S:\tMaintained
        F:\tdrivers/widget/
        K:\t\\bwidget_magic\\b

        GADGET BINDINGS
        M:\tGus Gadget <gus@example.org>
        S:\tSupported
        F:\tDocumentation/devicetree/bindings/gadget/

        """

    static let binding = """
        %YAML 1.2
        ---
        title: Gadget thing
        maintainers:
          - Gus Gadget <gus@example.org>
          - J. R. Hacker <jr@example.org>
          - Zoë Ünlü <zoe@example.org>
          - Rafał Miłecki <rafal@example.org>
          - "Quoted, Person" <quoted@example.org>
        description: |
          Write to support@example.com. or (helpdesk@example.net) for help,
          or to Wanda Widget <WANDA@example.org>.

        """

    /// The fixture: the files, then a commit signed by many people, a commit whose `Fixes:` tags
    /// name it (and an unknown id), and a change to the YAML binding that fixes it too.
    static func makeFixture(configuration: String?, ignore: String?) throws -> (FixtureRepository, [ObjectID]) {
        let fixture = try FixtureRepository()
        var files: [String: FileContent] = [
            "MAINTAINERS": .text(maintainers),
            "drivers/widget/core.c": .text("int core;\n"),
            "drivers/widget/MAINTAINERS": .text(
                "WIDGET CORE\nM:\tCora Core <cora@example.org>\nS:\tMaintained\nF:\tdrivers/widget/core.c\n"),
            "lib/helper.c": .text("/* calls widget_magic() */\n"),
            "README": .text("A fixture.\n"),
            "Documentation/devicetree/bindings/gadget/thing.yaml": .text(binding),
        ]
        if let configuration { files[".get_maintainer.conf"] = .text(configuration) }
        if let ignore { files[".get_maintainer.ignore"] = .text(ignore) }
        let base = try fixture.commit("Initial files", files: files)
        let signed = try fixture.commit(
            "widget: add the core", files: ["drivers/widget/core.c": .text("int core = 1;\n")],
            trailers: [
                ("Signed-off-by", "Ada Author <ada@example.org>"), ("Acked-by", "Wanda Widget <wanda@example.org>"),
                ("Reviewed-by", "Rita Reviewer <RITA@example.org>"), ("Tested-by", "Tess Tester <tess@example.org>"),
                ("Signed-off-by", "Linus Torvalds <torvalds@linux-foundation.org>"),
                ("Signed-off-by", "Ignored Person <ignored@example.org>"),
                ("Signed-off-by", "Sam Second <sam@example.org>"), ("Acked-by", "Sam Second <sam@example.org>"),
                ("Signed-off-by", "Xavier Extra <xavier@example.org>"),
                ("Signed-off-by", "Yuri Extra <yuri@example.org>"), ("Signed-off-by", "Zed Extra <zed@example.org>"),
            ])
        let short = String(signed.hex.prefix(12))
        let fix = try fixture.commit(
            "widget: fix the core", files: ["drivers/widget/core.c": .text("int core = 2;\n")],
            trailers: [
                ("Fixes", "\(short) (\"widget: add the core\")"), ("Fixes", "deadbeefcafe (\"not here\")"),
                ("Signed-off-by", "Bob Fixer <bob@example.org>"),
            ])
        let yaml = try fixture.commit(
            "dt-bindings: gadget: fix the thing",
            files: [
                "Documentation/devicetree/bindings/gadget/thing.yaml": .text(binding + "additionalProperties: false\n")
            ],
            trailers: [("Fixes", short), ("Signed-off-by", "Gus Gadget <gus@example.org>")])
        try fixture.repository.forceCheckoutHead()
        return (fixture, [base, signed, fix, yaml])
    }

    /// Runs the script and Tributary on the same queries and returns the differences.
    static func compare(_ fixture: FixtureRepository, commits: [ObjectID], paths: [String]) throws -> [String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("trib-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let options = ["--no-tree", "--no-git", "--no-git-fallback", "--roles"]
        let batch = GetMaintainerBatch(directory: fixture.path, options: options, environment: ["HOME": home.path])
        var patchFiles: [String] = []
        var patches: [String] = []
        for commit in commits {
            let text = try fixture.git.run(["format-patch", "-1", "--stdout", commit.hex]).text
            let file = home.appendingPathComponent(commit.hex + ".patch").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            patchFiles.append(file)
            patches.append(text)
        }
        let theirPatches = try batch.run(patchFiles.map { [$0] })
        var fileBatch = batch
        fileBatch.options.append("-f")
        let theirPaths = try fileBatch.run(paths.map { [$0] } + [paths])
        let lookup = try MaintainerLookup.forRepository(
            fixture.repository, maintainers: nil, mailmap: nil, home: home.path)
        let readFile = try MaintainerLookup.fileReader(for: fixture.repository)
        var differences: [String] = []
        for (index, theirs) in theirPatches.enumerated() {
            let ours = lookup.answer(
                patch: patches[index], fixes: { FixesCommit.lookUp($0, in: fixture.repository) }, readFile: readFile
            ).recipients.map(\.line)
            if ours != theirs { differences.append("patch \(index):\n  ours:   \(ours)\n  theirs: \(theirs)") }
        }
        for (index, theirs) in theirPaths.enumerated() {
            let query = index < paths.count ? [paths[index]] : paths
            let ours = lookup.answer(paths: query, readFile: readFile).recipients.map(\.line)
            if ours != theirs { differences.append("-f \(query):\n  ours:   \(ours)\n  theirs: \(theirs)") }
        }
        return differences
    }

    static let paths = [
        "drivers/widget/core.c", "lib/helper.c", "Documentation/devicetree/bindings/gadget/thing.yaml", "README",
    ]

    @Test("Fixes: signers, YAML maintainers and K: on file text, with no configuration")
    func defaults() throws {
        let (fixture, commits) = try Self.makeFixture(configuration: nil, ignore: nil)
        let differences = try Self.compare(fixture, commits: commits, paths: Self.paths)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // What is compared is there to compare.
        let lookup = try MaintainerLookup.forRepository(fixture.repository, maintainers: nil, mailmap: nil, home: "")
        let answer = try lookup.answer(commit: fixture.repository.commit(commits[2]), in: fixture.repository)
        #expect(answer.fixes.map(\.commit) == [commits[1], nil])
        #expect(
            answer.recipients.map(\.line) == [
                "Wanda Widget <wanda@example.org> (maintainer:WIDGET DRIVERS,blamed_fixes:1/1=100%)",
                "Rita Reviewer <rita@example.org> (reviewer:WIDGET DRIVERS,blamed_fixes:1/1=100%)",
                "Sam Second <sam@example.org> (blamed_fixes:2/1=100%)",
                "Ada Author <ada@example.org> (blamed_fixes:1/1=100%)",
                "Ignored Person <ignored@example.org> (blamed_fixes:1/1=100%)",
                "widgets@lists.example.org (open list:WIDGET DRIVERS)",
                "linux-kernel@vger.kernel.org (open list)",
            ])
        let file = lookup.answer(
            paths: [Self.paths[2]], readFile: try MaintainerLookup.fileReader(for: fixture.repository))
        #expect(
            file.recipients.filter { $0.kind == .file }.map(\.address) == [
                "\"J. R. Hacker\" <jr@example.org>", "\"Zoë Ünlü\" <zoe@example.org>",
                "\"\u{FFFD}ecki\" <rafal@example.org>",
                "\"Quoted, Person\" <quoted@example.org>", "Write to <support@example.com>",
                "\". or\" <helpdesk@example.net>", "Wanda Widget <WANDA@example.org>",
            ])
    }

    @Test(".get_maintainer.conf: every MAINTAINERS file, no keywords, two signers, and the ignore file")
    func configured() throws {
        let configuration = """
            # as U-Boot writes it
            --find-maintainer-files
            --git --git-min-percent 15
            --git-max-maintainers 2 --maintainer-path=.
            --nokeywords
            """
        let (fixture, commits) = try Self.makeFixture(
            configuration: configuration, ignore: "Ignored Person <ignored@example.org>\n# not me\n")
        let differences = try Self.compare(fixture, commits: commits, paths: Self.paths)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        let lookup = try MaintainerLookup.forRepository(fixture.repository, maintainers: nil, mailmap: nil, home: "")
        #expect(lookup.configuration.ignored == ["--git"])
        #expect(lookup.index.maintainers.files == ["MAINTAINERS", "drivers/widget/MAINTAINERS"])
        #expect(lookup.configuration.ignoredPeople == ["Ignored Person <ignored@example.org>"])
    }

    @Test("a --maintainer-path that names nothing is an error naming the configuration")
    func missingMaintainerPath() throws {
        let (fixture, _) = try Self.makeFixture(configuration: "--maintainer-path=nowhere/MAINTAINERS\n", ignore: nil)
        do {
            _ = try MaintainerLookup.forRepository(fixture.repository, maintainers: nil, mailmap: nil, home: "")
            Issue.record("no error")
        } catch {
            #expect(
                "\(error)".contains(
                    "no MAINTAINERS file at 'nowhere/MAINTAINERS', which --maintainer-path names in .get_maintainer.conf"
                ),
                "\(error)")
        }
    }

    @Test("the options of a configuration file, as Getopt::Long reads them")
    func parsing() {
        let parsed = GetMaintainerConfiguration(
            contents:
                "--no-fixes -nokeywords --mpath boards --no-tree # the rest is a comment --tree\n--git-blame --pattern-depth=1 --bogus\n",
            source: ".get_maintainer.conf")
        #expect(!parsed.readsFixes)
        #expect(!parsed.matchesKeywords)
        #expect(parsed.maintainerPath == "boards")
        #expect(parsed.ignored == ["--git-blame", "--pattern-depth=1"])
        #expect(parsed.unknown == ["--bogus"])
    }
}
