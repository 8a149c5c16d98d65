import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// The JSON of a long check, encoded in parts on every core, is the same bytes as one encoding.
@Suite struct CheckJSONTests {
    @Test("trib check's JSON in parts equals the JSON in one piece, on 300 commits")
    func partsEqualWhole() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit(
            "base", files: ["MAINTAINERS": .text("CORE\nM:\tCore <core@example.org>\nS:\tMaintained\nF:\tcore/\n")])
        for number in 0..<300 {
            try fixture.commit(
                "core: change \(number) \"quoted\" / slashed \\ and \u{e9}",
                files: ["core/\(number % 7).c": .text("\(number)\n")],
                trailers: number % 3 == 0 ? [("Signed-off-by", "Ada Author <ada@example.org>")] : [])
        }
        let report = try TagCheck(repository: fixture.repository, policy: TagPolicy()).run(
            RevisionRange(terms: [.include("main"), .exclude(base.hex)]))
        #expect(report.commits.count == 300)
        let renderer = CheckReportRenderer(report: report)
        let parts = try renderer.json()
        #expect(parts == (try renderer.json(inOnePiece: true)))
        #expect(parts.contains("\"approvals\""))
    }
}
