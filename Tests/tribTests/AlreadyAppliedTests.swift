import Foundation
import Git
import GitFixtures
import Testing

/// Trees based on an older release that carry what the integration branch already has.
@Suite struct AlreadyAppliedTests {
    static let signed: [(String, String)] = [("Signed-off-by", "Ada Author <ada@example.org>")]
    static let ada = Signature(name: "Ada Author", email: "ada@example.org", time: 1_700_000_000)

    /// Mainline: base0, then a fix (P1) and a feature posted as <feature@example.org> (P2), then
    /// `next` on top. Tree `old` is based on base0 and carries a copy of P1, an edited copy of P2
    /// (with documentation added; its Link: names the same posting) and one change of its own; tree `copies` carries only
    /// copies of P1 and P2; tree `behind` is at P1.
    static func forest() throws -> (Forest: PlanCommandTests.Forest, own: ObjectID, copyOfFix: ObjectID) {
        let forest = try PlanCommandTests.Forest()
        let integration = forest.integration
        let base0 = forest.base
        let fix = try integration.commit(
            "mm: fix a leak", files: ["mm/slab.c": "slab fixed\n"], on: "mainline", author: ada,
            trailers: signed)
        _ = try integration.commit(
            "mm: add a feature", files: ["mm/vma.c": "vma feature\n"], on: "mainline", author: ada,
            trailers: signed + [("Link", "https://patch.msgid.link/feature@example.org")])
        _ = try integration.git("update-ref", "refs/heads/next", "mainline")
        _ = try integration.git("reset", "-q", "--hard", "next")

        let old = try forest.addTree("old")
        _ = try old.git("update-ref", "refs/heads/for-next", base0.hex)
        let copyOfFix = try old.commit(
            "mm: fix a leak", files: ["mm/slab.c": "slab fixed\n"], on: "for-next", author: ada,
            trailers: signed + [("Cc", "stable@example.org")])
        _ = try old.commit(
            "mm: add a feature", files: ["mm/vma.c": "vma feature\n", "Documentation/feature.txt": "how to use it\n"],
            on: "for-next", author: ada,
            trailers: signed + [("Link", "https://patch.msgid.link/feature@example.org")])
        let own = try old.commit(
            "mm: something new", files: ["include/mm.h": "#define NEW 1\n"], on: "for-next", trailers: signed)

        let copies = try forest.addTree("copies")
        _ = try copies.git("update-ref", "refs/heads/for-next", base0.hex)
        _ = try copies.commit(
            "mm: fix a leak", files: ["mm/slab.c": "slab fixed\n"], on: "for-next", author: ada,
            trailers: signed + [("Reviewed-by", "Rita Reviewer <rita@example.org>")])
        _ = try copies.commit(
            "mm: add a feature", files: ["mm/vma.c": "vma feature\n"], on: "for-next", author: ada,
            trailers: signed)

        let behind = try forest.addTree("behind")
        _ = try behind.git("update-ref", "refs/heads/for-next", fix.hex)
        _ = try forest.trib(["fetch"])
        return (forest, own, copyOfFix)
    }

    @Test(
        "copies of what the integration branch has are reported already applied; a merge that changes nothing is never written"
    )
    func alreadyApplied() throws {
        let (forest, own, copyOfFix) = try Self.forest()
        let raw = try TribCommand.run(["plan", "--json"], in: forest.integration.path)
        try SchemaValidation.validate(raw.output, schema: "plan")
        let plan = try JSONSerialization.jsonObject(with: Data(raw.output.utf8)) as! [String: Any]
        let old = PlanCommandTests.tree(plan, "old")
        // (Its commits lack the committer's sign-off: tag problems, which do not matter here.)
        #expect(old["state"] as? String == "tag-problems")
        let applied = try #require(old["alreadyApplied"] as? [[String: Any]])
        #expect(applied.map { $0["rule"] as? String } == ["message-id", "patch-id"])
        #expect(applied.last.flatMap { ($0["commit"] as? [String: Any])?["id"] as? String } == copyOfFix.hex)
        #expect(!applied.contains { ($0["commit"] as? [String: Any])?["id"] as? String == own.hex })
        let copies = PlanCommandTests.tree(plan, "copies")
        #expect(copies["state"] as? String == "already-applied")
        #expect((copies["alreadyApplied"] as? [Any])?.count == 2)
        let behind = PlanCommandTests.tree(plan, "behind")
        #expect(behind["state"] as? String == "up-to-date")
        #expect(behind["behind"] as? Int == 1)

        let text = try TribCommand.run(["plan"], in: forest.integration.path)
        #expect(text.output.contains("old     tag-problems  3 new commits; tags:"), "\(text.output)")
        #expect(text.output.contains("; 2 already applied\n"))
        #expect(text.output.contains("whose merge changes nothing: already in next"))
        #expect(text.output.contains("nothing new (1 commit behind next)"))
        #expect(text.output.contains("already applied: \(copyOfFix.abbreviated()) \"mm: fix a leak\""))

        // The pull merges old, writes nothing for copies, and records both as pulled.
        let before = try #require(try forest.integration.tip("next"))
        let pull = try TribCommand.run(["pull", "--json"], in: forest.integration.path)
        #expect(pull.status == 0, "\(pull.errorOutput)")
        try SchemaValidation.validate(pull.output, schema: "pull")
        let report = try JSONSerialization.jsonObject(with: Data(pull.output.utf8)) as! [String: Any]
        let outcomes = (report["trees"] as? [[String: Any]])?.map { $0["outcome"] as? String }
        #expect(outcomes == ["merged", "already-applied", "up-to-date"])
        let merges = try forest.integration.git("rev-list", "--merges", "\(before.hex)..next")
        #expect(merges.split(separator: "\n").count == 1)
        #expect(try forest.integration.repository.referenceTarget("refs/tributary/pulled/copies") != nil)
    }
}
