import Git
import GitFixtures
import Testing

/// Differential tests: revision walks against `git rev-list`.
@Suite struct RevwalkTests {
    /// A history with two long-lived branches, topic branches merged into both, and merges
    /// between the two, so that ranges have several merge bases.
    static func branchyHistory() throws -> FixtureRepository {
        let fixture = try FixtureRepository()
        var random = SeededGenerator(seed: 11)
        var counter = 0
        func change(_ branch: String) throws {
            counter += 1
            try fixture.commit(
                "\(branch) \(counter)", files: ["\(branch)/f\(counter % 7)": .text("\(counter)\n")], on: branch)
        }
        for _ in 0..<5 { try change("main") }
        try fixture.branch("next", at: try fixture.tip("main")!)
        for round in 0..<12 {
            for _ in 0..<Int.random(in: 1...3, using: &random) { try change("main") }
            for _ in 0..<Int.random(in: 1...3, using: &random) { try change("next") }
            let topic = "topic\(round)"
            try fixture.branch(topic, at: try fixture.tip(round % 2 == 0 ? "main" : "next")!)
            for _ in 0..<Int.random(in: 1...2, using: &random) { try change(topic) }
            try fixture.merge(topic, into: round % 3 == 0 ? "main" : "next")
            if round % 4 == 3 { try fixture.merge("main", into: "next") }
        }
        try fixture.repository.setHead(toBranch: "refs/heads/main")
        return fixture
    }

    @Test("walks equal git rev-list for ranges of every form")
    func rangesEqualRevList() throws {
        let fixture = try Self.branchyHistory()
        let ranges: [[String]] = [
            ["main"], ["next"], ["main..next"], ["next..main"], ["main...next"], ["next...main"],
            ["^main~5", "next"], ["next", "^main~3", "main~10"], ["main~3..main"], ["..next"], ["next.."],
            ["main...", "^next~2"], ["topic3..topic7"], ["main", "next", "^topic5"], ["next~1^2..next"],
            // The parent suffixes and --not, alone and mixed.
            ["next^!"], ["next^@"], ["next^-"], ["next^-1"], ["next^-2"], ["next~2^!", "main^!"],
            ["next", "--not", "main"], ["next", "--not", "main~2", "--not", "main~4"], ["main", "--not", "next..main"],
            ["next", "--not", "main...next"], ["--not", "^next"], ["next", "^next^@"], ["next^@", "^main~3"],
            ["main~3..main", "next~2..next"],
        ]
        for arguments in ranges {
            let expected = try fixture.git(["rev-list"] + arguments).split(separator: "\n").map(String.init)
            let actual = try fixture.repository.commits(in: RevisionRange(arguments: arguments)).map(\.hex)
            #expect(
                actual == expected,
                "rev-list \(arguments.joined(separator: " ")): first difference at \(actual.indices.first { $0 >= expected.count || actual[$0] != expected[$0] } ?? -1), \(actual.count) vs \(expected.count)"
            )
            let firstParent = try fixture.git(["rev-list", "--first-parent"] + arguments).split(separator: "\n").map(
                String.init)
            // First-parent walks start from plain tips inside the library; with starts taken from one
            // commit's parents (`^@`, `^!`) or turned back on by `--not`, git's first-parent answer
            // follows rules of its own.
            if !arguments.contains(where: {
                $0.contains("...") || $0.contains("^@") || $0.contains("^!") || $0 == "--not"
            }) {
                let ours = try fixture.repository.commits(
                    in: RevisionRange(arguments: arguments), firstParentOnly: true
                ).map(\.hex)
                #expect(ours == firstParent, "rev-list --first-parent \(arguments.joined(separator: " "))")
            }
        }
    }

    @Test("range syntax is parsed as git does")
    func parsing() throws {
        #expect(try RevisionRange(arguments: ["a..b"]).terms == [.exclude("a"), .include("b")])
        #expect(try RevisionRange(arguments: ["..b"]).terms == [.exclude("HEAD"), .include("b")])
        #expect(try RevisionRange(arguments: ["a.."]).terms == [.exclude("a"), .include("HEAD")])
        #expect(try RevisionRange(arguments: ["a...b"]).terms == [.symmetricDifference("a", "b")])
        #expect(try RevisionRange(arguments: ["^a", "b", "c"]).terms == [.exclude("a"), .include("b"), .include("c")])
        #expect(try RevisionRange(arguments: ["a^!"]).terms == [.include("a"), .excludeParents("a")])
        #expect(try RevisionRange(arguments: ["a^-"]).terms == [.include("a"), .exclude("a^1")])
        #expect(try RevisionRange(arguments: ["a^-2"]).terms == [.include("a"), .exclude("a^2")])
        #expect(
            try RevisionRange(arguments: ["b", "--not", "a..c"]).terms == [.include("b"), .include("a"), .exclude("c")])
        for bad in [[""], [".."], ["..."], ["^"], ["^a"], ["a^-x"], ["a^-0"], ["--all"], ["--not", "a"]] {
            #expect(throws: GitError.self, "\(bad)") { try RevisionRange(arguments: bad) }
        }
    }

    @Test("an unknown revision is a clear error")
    func unknownRevision() throws {
        let fixture = try Self.branchyHistory()
        let error = #expect(throws: GitError.self) {
            try fixture.repository.commits(in: RevisionRange(arguments: ["nosuchbranch..main"]))
        }
        #expect(error?.message == "unknown revision 'nosuchbranch'")
    }
}
