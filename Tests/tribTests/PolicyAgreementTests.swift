import Foundation
import Git
import GitFixtures
import Testing

/// One policy per tree, whichever command asks; and trees named like the places the planner
/// names for itself.
@Suite struct PolicyAgreementTests {
    typealias Forest = PlanCommandTests.Forest

    /// `[rule, severity, message]` per commit with findings, from a plan's tree or a check's JSON.
    static func findings(_ commits: [[String: Any]]) -> [String: [[String]]] {
        var result: [String: [[String]]] = [:]
        for commit in commits {
            let list = (commit["findings"] as? [[String: Any]] ?? []).map { finding in
                ["rule", "severity", "message"].map { finding[$0] as? String ?? "" }
            }
            if !list.isEmpty { result[commit["commit"] as? String ?? ""] = list }
        }
        return result
    }

    @Test("trib check --tree T and trib plan give the same findings for T, with T's overrides applied")
    func checkAndPlanAgree() throws {
        let forest = try Forest()
        let vma = try forest.addTree("vma", owns: "VMA")
        let header = (1...20).map { "#define LINE_\($0)\n" }.joined()
        // Touches include/ (CORE) without the core maintainer's ack, and has no Link:.
        let unacked = try vma.commit(
            "vma: change line 3",
            files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_3\n", with: "VMA_3\n"))],
            on: "for-next", trailers: PlanCommandTests.signed)
        _ = try vma.commit("vma: change vma.c", files: ["mm/vma.c": "vma 2\n"], on: "for-next", trailers: [])
        // The tree's own policy: a missing ack is only a warning there, a missing Link: an error.
        let manifest = forest.integration.path + "/.tributary"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try (text + "[tree \"vma\"]\n\towner-ack = warning\n\tlink = error\n").write(
            toFile: manifest, atomically: true, encoding: .utf8)
        _ = try forest.trib(["fetch"])

        let plan = try forest.plan()
        let planned = Self.findings(try #require(PlanCommandTests.tree(plan, "vma")["tagFindings"] as? [[String: Any]]))
        let check = try TribCommand.run(
            ["check", "--tree", "vma", "--format", "json", "next..refs/tributary/trees/vma"],
            in: forest.integration.path)
        #expect(check.status == 1, "\(check.errorOutput)")
        let document = try JSONSerialization.jsonObject(with: Data(check.output.utf8)) as! [String: Any]
        let checked = Self.findings(try #require(document["commits"] as? [[String: Any]]))
        #expect(checked == planned)
        // The overrides are what both applied.
        let owner = try #require(checked[unacked.hex]?.first { $0[0] == "owner-ack" })
        #expect(owner[1] == "warning")
        #expect(checked.values.flatMap { $0 }.filter { $0[0] == "link" }.map { $0[1] } == ["error", "error"])
        #expect(checked.values.flatMap { $0 }.contains { $0[0] == "signoff-author" })
    }

    @Test("trees called base and integration are planned, reported and found duplicated like any other")
    func reservedPlaceNames() throws {
        let forest = try Forest()
        let named = try forest.addTree("base", owns: "SLAB")
        let other = try forest.addTree("integration", owns: "VMA")
        let header = (1...20).map { "#define LINE_\($0)\n" }.joined()
        // The same patch in both trees, and a conflict between them in include/mm.h.
        let fix = try named.commit(
            "slab: fix a typo", files: ["mm/slab.c": "slab fixed\n"], on: "for-next", trailers: PlanCommandTests.signed)
        let culprit = try named.commit(
            "slab: change line 10",
            files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_10\n", with: "SLAB_10\n"))],
            on: "for-next",
            trailers: PlanCommandTests.signed + [("Acked-by", "Core Maintainer <core@example.org>")])
        let copy = try other.commit(
            "mm/slab: fix a typo (picked up)", files: ["mm/slab.c": "slab fixed\n"], on: "for-next",
            trailers: PlanCommandTests.signed)
        _ = try other.commit(
            "vma: change line 10",
            files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_10\n", with: "VMA_10\n"))],
            on: "for-next", trailers: PlanCommandTests.signed)
        _ = try forest.trib(["fetch"])

        let raw = try TribCommand.run(["plan", "--json"], in: forest.integration.path)
        try SchemaValidation.validate(raw.output, schema: "plan")
        let plan = try JSONSerialization.jsonObject(with: Data(raw.output.utf8)) as! [String: Any]
        let base = PlanCommandTests.tree(plan, "base")
        let integration = PlanCommandTests.tree(plan, "integration")
        // Each tree's copy of the patch is a duplicate of the other tree's.
        let baseCopies = (base["duplicates"] as? [[String: Any]])?.flatMap { $0["copies"] as? [[String: Any]] ?? [] }
        #expect(baseCopies?.map { $0["place"] as? String } == ["tree:integration"])
        #expect(baseCopies?.map { $0["commit"] as? String } == [copy.hex])
        let otherCopies = (integration["duplicates"] as? [[String: Any]])?.flatMap {
            $0["copies"] as? [[String: Any]] ?? []
        }
        #expect(otherCopies?.map { $0["place"] as? String } == ["tree:base"])
        #expect(otherCopies?.map { $0["commit"] as? String } == [fix.hex])
        // The conflict is with the tree called base, not with the integration branch.
        let conflict = try #require((integration["conflicts"] as? [[String: Any]])?.first)
        let with = try #require((conflict["with"] as? [[String: Any]])?.first)
        #expect(with["tree"] as? String == "tree:base")
        #expect((with["commits"] as? [[String: Any]])?.map { $0["id"] as? String } == [culprit.hex])

        let text = try TribCommand.run(["plan"], in: forest.integration.path)
        #expect(text.output.contains("conflicts in include/mm.h with tree:base"))
        #expect(text.output.contains("1 duplicate patch"))
        // In the report the conflict's resolvers are both trees' maintainers.
        let digest = try TribCommand.run(
            ["report", "--markdown", "--as-of", "2026-03-21"], in: forest.integration.path)
        #expect(digest.status == 0, "\(digest.errorOutput)")
        #expect(digest.output.contains("| base "))
        #expect(
            digest.output.contains(
                "include/mm.h (content) with tree:base; to resolve: Vma Maintainer, Slab Maintainer"),
            "\(digest.output)")
        let report = try TribCommand.run(["report", "--json", "--as-of", "2026-03-21"], in: forest.integration.path)
        try SchemaValidation.validate(report.output, schema: "report")
        let parsed = try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as! [String: Any]
        #expect((parsed["trees"] as? [[String: Any]])?.map { $0["name"] as? String } == ["base", "integration"])
    }
}
