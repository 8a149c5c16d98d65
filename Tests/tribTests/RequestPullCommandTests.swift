import Foundation
import Git
import GitFixtures
import Testing

/// `trib request-pull` against `git request-pull` on the same range.
@Suite struct RequestPullCommandTests {
    /// The shortlog and diffstat: what follows the first dashed line, up to the next one.
    static func sections(_ text: String) -> String {
        let dashes = String(repeating: "-", count: 64) + "\n"
        guard let first = text.range(of: dashes) else { return "" }
        let rest = text[first.upperBound...]
        guard let second = rest.range(of: "\n" + dashes) else { return String(rest) }
        return String(rest[..<second.lowerBound])
    }

    @Test("the shortlog and diffstat equal git request-pull's; readiness names the tag problems")
    func differential() throws {
        let forest = try PlanCommandTests.Forest()
        let tree = try forest.addTree("one")
        let ada = Signature(name: "Ada Author", email: "ada@example.org", time: 1_700_000_000)
        let bob = Signature(name: "bob Builder", email: "bob@example.org", time: 1_700_000_100)
        let zed = Signature(name: "Zed Zero", email: "zed@example.org", time: 1_700_000_200)
        let signed: [(String, String)] = [("Signed-off-by", "Ada Author <ada@example.org>")]
        try tree.commit("mm: first", files: ["mm/slab.c": "slab 2\n"], on: "for-next", author: ada, trailers: signed)
        try tree.commit(
            "[PATCH v2] mm: prefixed subject", files: ["mm/new.c": .text((1...120).map { "l\($0)\n" }.joined())],
            on: "for-next", author: zed)
        try tree.commit(
            "mm: move vma.c", files: ["mm/vma.c": .deleted, "mm/sub/vma.c": "vma\n"], on: "for-next", author: bob)
        try tree.commit("mm: binary", files: ["fw/blob.bin": .bytes([0, 1, 2, 3, 4])], on: "for-next", author: ada)
        try tree.commit(
            "mm: second from ada", files: ["mm/slab.c": "slab 3\n"], on: "for-next", author: ada,
            trailers: signed + [("Link", "https://patch.msgid.link/20260101.1-ada@example.org")])
        // Another tree changes the same line of mm/slab.c.
        let other = try forest.addTree("two")
        try other.commit("two: slab", files: ["mm/slab.c": "slab two\n"], on: "for-next", trailers: signed)
        _ = try forest.trib(["fetch"])
        let tip = try #require(try tree.tip("for-next"))

        let git = try forest.integration.git.run(["request-pull", forest.base.hex, tree.path, tip.hex])
        #expect(git.status == 0, "\(git.errorOutput)")
        let ours = try TribCommand.run(["request-pull", "one"], in: forest.integration.path)
        #expect(ours.status == 1, "tag problems: not ready")
        #expect(Self.sections(ours.output) == Self.sections(git.text))
        #expect(!Self.sections(ours.output).isEmpty)
        // The head of the request as git writes it.
        #expect(ours.output.hasPrefix("The following changes since commit \(forest.base.hex):\n\n  base ("))
        #expect(ours.output.contains("are available in the Git repository at:\n\n  \(tree.path) for-next\n"))
        #expect(ours.output.contains("for you to fetch changes up to \(tip.hex):\n"))
        #expect(ours.output.contains("Readiness: NOT ready"))
        #expect(ours.output.contains("  conflicts with tree two in mm/slab.c\n"))
        #expect(
            ours.output.contains(
                "  20260101@example.org: 1 commit, https://patch.msgid.link/20260101.1-ada@example.org"))
        let json = try TribCommand.run(["request-pull", "--json", "one"], in: forest.integration.path)
        try SchemaValidation.validate(json.output, schema: "request-pull")
        let bad = try TribCommand.run(["request-pull", "main", "--url", "-oops"], in: forest.integration.path)
        #expect(bad.status == 2)
    }

    @Test(
        "the base defaults to the tree's merge base with the integration branch; own commits counted, landed copies named; an unknown target lists the trees"
    )
    func defaultBaseAndLandedCommits() throws {
        let forest = try PlanCommandTests.Forest()
        let tree = try forest.addTree("one")
        let ada = Signature(name: "Ada Author", email: "ada@example.org", time: 1_700_000_000)
        let signed: [(String, String)] = [("Signed-off-by", "Ada Author <ada@example.org>")]
        // The integration branch moves past the manifest's base; the tree forks from there.
        let fork = try forest.integration.commit(
            "next: vma", files: ["mm/vma.c": "vma 2\n"], on: "next", author: ada, trailers: signed)
        _ = try tree.git("fetch", "-q", forest.integration.path, "+refs/heads/next:refs/heads/for-next")
        let first = try tree.commit(
            "mm: first", files: ["mm/slab.c": "slab 2\n"], on: "for-next", author: ada, trailers: signed)
        try tree.commit("mm: second", files: ["mm/new.c": "new\n"], on: "for-next", author: ada, trailers: signed)
        // The integration branch applies a copy of the first (another commit, the same change).
        try forest.integration.commit(
            "mm: first", files: ["mm/slab.c": "slab 2\n"], on: "next", author: ada, trailers: signed)
        _ = try forest.trib(["fetch"])
        let tip = try #require(try tree.tip("for-next"))
        let integrationTip = try #require(try forest.integration.tip("next"))

        let git = try forest.integration.git.run(["request-pull", integrationTip.hex, tree.path, tip.hex])
        #expect(git.status == 0, "\(git.errorOutput)")
        let ours = try TribCommand.run(["request-pull", "one"], in: forest.integration.path)
        #expect(ours.status == 1, "committer sign-offs missing: \(ours.errorOutput)\(ours.output)")
        #expect(ours.output.hasPrefix("The following changes since commit \(fork.hex):\n\n  next: vma ("))
        #expect(Self.sections(ours.output) == Self.sections(git.text))
        #expect(
            ours.output.contains(
                "  1 of the tree's 2 own commits already landed in next: \(first.abbreviated())\n"),
            "\(ours.output)")
        let json = try TribCommand.run(["request-pull", "--json", "one"], in: forest.integration.path)
        try SchemaValidation.validate(json.output, schema: "request-pull")
        let readiness = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])?["readiness"]
                as? [String: Any])
        #expect(readiness["ownCommits"] as? Int == 2)
        #expect(readiness["alreadyLanded"] as? [String] == [first.hex])

        // With the manifest's base given, the integration branch's own commit is in the request
        // but not the tree's to answer for.
        let older = try TribCommand.run(["request-pull", "one", "--base", "mainline"], in: forest.integration.path)
        #expect(older.output.hasPrefix("The following changes since commit \(forest.base.hex):"))
        #expect(older.output.contains("  1 of the tree's 2 own commits already landed in next"), "\(older.output)")
        #expect(older.output.contains("signoff-committer: mm: second"))
        #expect(!older.output.contains(": next: vma\n"), "\(older.output)")

        let unknown = try TribCommand.run(["request-pull", "nosuch"], in: forest.integration.path)
        #expect(unknown.status == 2)
        #expect(unknown.errorOutput.contains("no tree 'nosuch' in "), "\(unknown.errorOutput)")
        #expect(unknown.errorOutput.contains("(trees: one), and no revision of that name"), "\(unknown.errorOutput)")
    }
}
