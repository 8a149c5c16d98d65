import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// The JSON of a long check, written in parts on every core, is the same bytes as one encoding;
/// a check on several threads gives what a check on one gives.
@Suite struct CheckJSONTests {
    @Test("trib check's JSON in parts equals the JSON in one piece, on 300 commits")
    func partsEqualWhole() throws {
        let (fixture, range) = try makeRange()
        let report = try TagCheck(repository: fixture.repository, policy: TagPolicy()).run(range, jobs: 2)
        #expect(report.commits.count == 300)
        let renderer = CheckReportRenderer(report: report)
        let parts = try renderer.json()
        #expect(parts == (try renderer.json(inOnePiece: true)))
        #expect(parts.contains("\"approvedBy\""))
        #expect(parts.contains("\"trailer\""))
    }

    @Test("a check on two threads (changed paths from git log) equals the check on one (trees compared in process)")
    func parallelEqualsSequential() throws {
        let (fixture, range) = try makeRange()
        let parallel = try TagCheck(repository: fixture.repository, policy: TagPolicy()).run(range, jobs: 2)
        let sequential = try TagCheck(repository: fixture.repository, policy: TagPolicy()).run(range, jobs: 1)
        #expect(parallel.commits.contains { $0.files.count == 3 })
        #expect(try CheckReportRenderer(report: parallel).json() == CheckReportRenderer(report: sequential).json())
    }

    @Test("a short range across three MAINTAINERS versions, built on two threads, checks as on one")
    func versionsBuiltInParallel() throws {
        let fixture = try FixtureRepository()
        var maintainers = "CORE\nM:\tCore <core@example.org>\nS:\tMaintained\nF:\tcore/\n"
        let base = try fixture.commit("base", files: ["MAINTAINERS": .text(maintainers)])
        for number in 0..<30 {
            var files: [String: FileContent] = [
                "core/\(number % 3).c": .text("\(number)\n"), "net/a.c": .text("\(number)\n"),
            ]
            if number == 10 || number == 20 {
                maintainers +=
                    "\nNET \(number)\nM:\tNet \(number) <net\(number)@example.org>\nS:\tMaintained\nF:\tnet/\nX:\tbad/\n"
                maintainers += number == 20 ? "\nEMPTY\nM:\tNobody\n" : ""
                files["MAINTAINERS"] = .text(maintainers)
            }
            try fixture.commit(
                "change \(number)", files: files,
                trailers: [("Acked-by", "Net 10 <net10@example.org>"), ("Signed-off-by", "Ada <ada@example.org>")])
        }
        let range = RevisionRange(terms: [.include("main"), .exclude(base.hex)])
        let two = try TagCheck(repository: fixture.repository, policy: TagPolicy()).run(range, jobs: 2)
        let one = try TagCheck(repository: fixture.repository, policy: TagPolicy()).run(range, jobs: 1)
        #expect(try CheckReportRenderer(report: two).json() == CheckReportRenderer(report: one).json())
        // Commits 11 to 20 meet the version with NET 10, later ones the one with NET 20 as well.
        let approvers = two.commits.map { Set($0.approvals.compactMap(\.approvedBy)) }
        #expect(approvers[5] == [])
        #expect(approvers[15] == ["Net 10 <net10@example.org>"])
        #expect(two.commits[25].findings.contains { $0.sections == ["NET 20"] })
        #expect(two.maintainersWarnings.count == 2)
    }

    /// 300 commits under one MAINTAINERS section, each changing one to three files (one a new
    /// directory, one a removal), with the messages and trailers of `trailers(_:)`.
    private func makeRange() throws -> (FixtureRepository, RevisionRange) {
        let fixture = try FixtureRepository()
        let base = try fixture.commit(
            "base", files: ["MAINTAINERS": .text("CORE\nM:\tCore <core@example.org>\nS:\tMaintained\nF:\tcore/\n")])
        for number in 0..<300 {
            var files: [String: FileContent] = ["core/\(number % 7).c": .text("\(number)\n")]
            if number % 4 == 1 { files["core/new/\(number).h"] = .text("new\n") }
            if number % 4 == 2 { files["core/new/\(number - 1).h"] = .deleted }
            if number % 4 == 3 { files["docs/\(number).txt"] = .text("d\n") }
            if number % 8 == 3 { files["core/z\u{e9}.c"] = .text("\(number)\n") }
            try fixture.commit(
                "core: change \(number) \"quoted\" / slashed \\ and \u{e9}\u{1}\t", files: files,
                trailers: trailers(number))
        }
        return (fixture, RevisionRange(terms: [.include("main"), .exclude(base.hex)]))
    }

    /// Trailers of every kind the JSON shows: sign-offs, acks that approve, a bad Fixes (a
    /// finding with its trailer), a name-only ack (a finding with a detail), none at all.
    private func trailers(_ number: Int) -> [(String, String)] {
        switch number % 5 {
        case 0: [("Signed-off-by", "Ada Author <ada@example.org>")]
        case 1: [("Acked-by", "Core <core@example.org>"), ("Signed-off-by", "Ada Author <ada@example.org>")]
        case 2: [("Fixes", "0123456789ab (\"missing\")"), ("Acked-by", "Core")]
        case 3: [("Reviewed-by", "Ro\u{e9} Reviewer <ro@example.org> # 6.1+")]
        default: []
        }
    }
}
