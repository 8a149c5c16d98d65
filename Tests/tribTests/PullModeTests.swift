import Foundation
import Git
import GitFixtures
import Testing

/// `pull = ff | ff-only | rebase` and `subtree = PATH` against git merge --ff-only, git merge,
/// git rebase and git merge -Xsubtree=PATH on the same commits.
@Suite struct PullModeTests {
    typealias Forest = PlanCommandTests.Forest
    static let signed = PlanCommandTests.signed
    static let header = (1...20).map { "#define LINE_\($0)\n" }.joined()

    static func edit(_ replacements: [(String, String)]) -> FileContent {
        .text(replacements.reduce(header) { $0.replacingOccurrences(of: $1.0, with: $1.1) })
    }

    /// A commit on the integration branch, its work tree following.
    @discardableResult
    static func integrationCommit(_ forest: Forest, _ message: String, _ files: [String: FileContent]) throws
        -> ObjectID
    {
        let commit = try forest.integration.commit(message, files: files, on: "next", trailers: signed)
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        return commit
    }

    /// A clone of the integration repository in which git does the same pull: `next` checked out,
    /// the tree's branch fetched as `tree`.
    static func gitSide(_ forest: Forest, tree: FixtureRepository) throws -> FixtureGit {
        let path = forest.directory + "/git-side-\(UUID().uuidString)"
        _ = try forest.integration.git("clone", "-q", "--no-local", "-b", "next", forest.integration.path, path)
        let git = FixtureGit(directory: path)
        _ = try git("fetch", "-q", tree.path, "+for-next:refs/heads/tree")
        _ = try git("config", "user.name", "Integration Maintainer")
        _ = try git("config", "user.email", "integration@example.org")
        return git
    }

    static func setPull(_ forest: Forest, _ tree: String, _ key: String, _ value: String) throws {
        _ = try forest.integration.git(
            "config", "-f", forest.integration.path + "/.tributary", "tree.\(tree).\(key)", value)
    }

    /// A forest whose integration branch is checked out, with tree `one` pulled as `mode` says.
    static func forestWithOne(pull mode: String) throws -> (Forest, FixtureRepository) {
        let forest = try Forest()
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        let one = try forest.addTree("one")
        try setPull(forest, "one", "pull", mode)
        return (forest, one)
    }

    static func treeState(_ plan: [String: Any], _ name: String) -> (state: String?, merge: String?) {
        let tree = PlanCommandTests.tree(plan, name)
        return (tree["state"] as? String, tree["merge"] as? String)
    }

    @Test("ff-only fast-forwards as git merge --ff-only does and refuses what it refuses; ff merges then")
    func fastForward() throws {
        let (forest, one) = try Self.forestWithOne(pull: "ff-only")
        try one.commit("one: slab", files: ["mm/slab.c": "slab 2\n"], on: "for-next", trailers: Self.signed)
        let tip = try one.commit("one: vma", files: ["mm/vma.c": "vma 2\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        #expect(Self.treeState(try forest.plan(), "one").merge == "fast-forward")
        let git = try Self.gitSide(forest, tree: one)
        #expect(try git.run(["merge", "-q", "--ff-only", "tree"]).status == 0)
        let pulled = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(pulled.status == 0, "\(pulled.output)\(pulled.errorOutput)")
        #expect(pulled.output.contains("fast-forwarded"), "\(pulled.output)")
        #expect(try forest.integration.tip("next") == tip)
        #expect(try git("rev-parse", "HEAD") == tip.hex + "\n")
        #expect(try forest.integration.git("status", "--porcelain", "--untracked-files=no") == "")

        // Diverged: git refuses the fast-forward, and so does the pull; nothing moves.
        let own = try Self.integrationCommit(forest, "next: own", ["README": "r\n"])
        let later = try one.commit("one: more", files: ["mm/vma.c": "vma 3\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let diverged = try Self.gitSide(forest, tree: one)
        #expect(try diverged.run(["merge", "-q", "--ff-only", "tree"]).status != 0)
        #expect(Self.treeState(try forest.plan(), "one") == ("not-fast-forward", "not-fast-forward"))
        let refused = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(refused.status == 1, "\(refused.output)\(refused.errorOutput)")
        #expect(refused.output.contains("not-fast-forward"), "\(refused.output)")
        #expect(try forest.integration.tip("next") == own)

        // pull = ff: a merge, git's tree.
        try Self.setPull(forest, "one", "pull", "ff")
        #expect(try diverged.run(["merge", "-q", "--ff", "--no-edit", "tree"]).status == 0)
        let merged = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(merged.status == 0, "\(merged.output)\(merged.errorOutput)")
        let result = try #require(try forest.integration.tip("next"))
        #expect(try forest.integration.repository.commit(result).parents == [own, later])
        #expect(
            try forest.integration.repository.treeOfCommit(result).hex + "\n"
                == (try diverged("rev-parse", "HEAD^{tree}")))
    }

    @Test("rebase replays as git rebase does: copies and commits that become empty are dropped, the rest on top")
    func rebase() throws {
        let (forest, one) = try Self.forestWithOne(pull: "rebase")
        try Self.integrationCommit(forest, "next: slab", ["mm/slab.c": "slab 2\n"])
        try Self.integrationCommit(
            forest, "next: header lines 5 and 12",
            ["include/mm.h": Self.edit([("LINE_5\n", "N5\n"), ("LINE_12\n", "N12\n")])])
        let base = try #require(try forest.integration.tip("next"))
        let header5 = Self.edit([("LINE_5\n", "N5\n")])
        try one.commit("one: vma", files: ["mm/vma.c": "vma 2\n"], on: "for-next", trailers: Self.signed)
        // A copy of the integration branch's commit (the same patch-id): dropped.
        let copy = try one.commit("one: slab", files: ["mm/slab.c": "slab 2\n"], on: "for-next", trailers: Self.signed)
        // Line 5 only: the integration branch has it, with line 12 (another patch): becomes empty.
        let empty = try one.commit(
            "one: header line 5", files: ["include/mm.h": header5], on: "for-next", trailers: Self.signed)
        let header15 = FileContent.text(
            Self.header.replacingOccurrences(of: "LINE_5\n", with: "N5\n").replacingOccurrences(
                of: "LINE_15\n", with: "O15\n"))
        try one.commit("one: header line 15", files: ["include/mm.h": header15], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])

        let plan = try forest.plan()
        #expect(Self.treeState(plan, "one").merge == "rebased")
        let planned = PlanCommandTests.tree(plan, "one")
        #expect((planned["rebaseDropped"] as? [String]) == [copy.hex, empty.hex])
        #expect((planned["rebased"] as? [String])?.count == 2)

        let git = try Self.gitSide(forest, tree: one)
        _ = try git("checkout", "-q", "tree")
        #expect(try git.run(["rebase", "-q", "next"]).status == 0)
        let pulled = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(pulled.status == 0, "\(pulled.output)\(pulled.errorOutput)")
        #expect(pulled.output.contains("rebased"), "\(pulled.output)")
        let range = "\(base.hex)..next"
        #expect(
            try forest.integration.git("log", "--format=%s", range) == (try git("log", "--format=%s", "next..HEAD")))
        #expect(try forest.integration.git("log", "--format=%s", range) == "one: header line 15\none: vma\n")
        #expect(try forest.integration.git("rev-parse", "next^{tree}") == (try git("rev-parse", "HEAD^{tree}")))
        // Linear: no merge commit.
        #expect(try forest.integration.git("rev-list", "--merges", range) == "")
        #expect(
            try forest.integration.git("log", "-1", "--format=%an <%ae>", "next") == "Ada Author <ada@example.org>\n")
    }

    @Test("a rebased tree whose every commit is there already is already-applied: nothing replayed, nothing moves")
    func rebaseAlreadyApplied() throws {
        let (forest, one) = try Self.forestWithOne(pull: "rebase")
        try Self.integrationCommit(forest, "next: slab", ["mm/slab.c": "slab 2\n"])
        let before = try #require(try forest.integration.tip("next"))
        try one.commit("one: slab", files: ["mm/slab.c": "slab 2\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let plan = try forest.plan()
        #expect(Self.treeState(plan, "one") == ("already-applied", "rebased"))
        #expect((PlanCommandTests.tree(plan, "one")["rebased"] as? [String]) == [])
        let pulled = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(pulled.status == 0, "\(pulled.output)\(pulled.errorOutput)")
        #expect(pulled.output.contains("already-applied"), "\(pulled.output)")
        #expect(try forest.integration.tip("next") == before)
    }

    @Test("subtree = PATH merges as git merge -Xsubtree=PATH: the sub-project's root lands in its directory")
    func subtree() throws {
        let forest = try Forest()
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        let sub = try FixtureRepository(bare: true, at: forest.directory + "/sub.git")
        let lib = (1...12).map { "lib line \($0)\n" }.joined()
        let first = try sub.commit("sub: start", files: ["README": "sub\n", "lib.c": .text(lib)], on: "for-next")
        // The integration branch took the sub-project into ext/sub once, as a subtree merge.
        _ = try forest.integration.git("fetch", "-q", sub.path, "for-next:refs/sub/first")
        let repository = forest.integration.repository
        let next = try #require(try forest.integration.tip("next"))
        let imported = try repository.writeTree(
            base: repository.treeOfCommit(next),
            edits: [.upsert(path: "ext/sub", blob: repository.treeOfCommit(first), mode: .tree)])
        let merge = try forest.integration.commit(
            "Merge the sub-project into ext/sub", tree: imported, parents: [next, first], updating: "refs/heads/next",
            expecting: next)
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        #expect(merge != next)
        // Both sides go on: the integration branch edits the sub-project's line 2, it edits line 10.
        try Self.integrationCommit(
            forest, "ext/sub: line 2",
            ["ext/sub/lib.c": .text(lib.replacingOccurrences(of: "line 2\n", with: "line two\n"))])
        try sub.commit(
            "sub: line 10", files: ["lib.c": .text(lib.replacingOccurrences(of: "line 10\n", with: "line ten\n"))],
            on: "for-next")
        try sub.commit("sub: new file", files: ["doc/usage.txt": "usage\n"], on: "for-next")
        _ = try forest.trib(["tree", "add", "sub", sub.path + "#for-next"])
        try Self.setPull(forest, "sub", "subtree", "ext/sub")
        _ = try forest.trib(["fetch"])
        #expect(Self.treeState(try forest.plan(), "sub").merge == "clean")
        let planText = try TribCommand.run(["plan", "sub"], in: forest.integration.path).output
        #expect(planText.contains("merged as subtree ext/sub"), "\(planText)")

        let git = try Self.gitSide(forest, tree: sub)
        #expect(try git.run(["merge", "-q", "--no-edit", "-Xsubtree=ext/sub", "tree"]).status == 0)
        let pulled = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(pulled.status == 0, "\(pulled.output)\(pulled.errorOutput)")
        #expect(try forest.integration.git("rev-parse", "next^{tree}") == (try git("rev-parse", "HEAD^{tree}")))
        let tip = try #require(try forest.integration.tip("next"))
        let merged = try repository.commit(tip)
        let subTip = try sub.tip("for-next")
        #expect(merged.parents.count == 2 && merged.parents[1] == subTip)
        #expect(
            try repository.fileContents(at: "ext/sub/lib.c", in: merged.tree)
                == Array(
                    lib.replacingOccurrences(of: "line 2\n", with: "line two\n")
                        .replacingOccurrences(of: "line 10\n", with: "line ten\n").utf8))
        #expect(try repository.fileContents(at: "ext/sub/doc/usage.txt", in: merged.tree) == Array("usage\n".utf8))
        #expect(try repository.fileContents(at: "doc/usage.txt", in: merged.tree) == nil)
    }

    @Test("trib tree add --pull and --subtree write the keys; tree list shows them; a bad mode is refused")
    func treeAddOptions() throws {
        let forest = try Forest()
        _ = try forest.trib([
            "tree", "add", "sub", "https://example.invalid/sub.git", "--pull", "ff", "--subtree", "ext/sub",
        ])
        let manifest = try String(contentsOfFile: forest.integration.path + "/.tributary", encoding: .utf8)
        #expect(
            manifest.hasSuffix(
                "[tree \"sub\"]\n\turl = https://example.invalid/sub.git\n\tbranch = master\n\tpull = ff\n\tsubtree = ext/sub\n"
            ))
        let listing = try TribCommand.run(["tree", "list", "--json"], in: forest.integration.path)
        try SchemaValidation.validate(listing.output, schema: "trees")
        let trees = try #require(
            (try JSONSerialization.jsonObject(with: Data(listing.output.utf8)) as? [String: Any])?["trees"]
                as? [[String: Any]])
        #expect(trees.first?["pull"] as? String == "ff" && trees.first?["subtree"] as? String == "ext/sub")
        let bad = try TribCommand.run(
            ["tree", "add", "bad", "https://example.invalid/b.git", "--pull", "sideways"], in: forest.integration.path)
        #expect(bad.status == 2)
        // A subtree that is not a directory path: refused, the manifest as it was.
        let before = try String(contentsOfFile: forest.integration.path + "/.tributary", encoding: .utf8)
        let outside = try TribCommand.run(
            ["tree", "add", "up", "https://example.invalid/u.git", "--subtree", "../up"], in: forest.integration.path)
        #expect(outside.status == 2 && outside.errorOutput.contains("subtree must be a directory path, not '../up'"))
        #expect(try String(contentsOfFile: forest.integration.path + "/.tributary", encoding: .utf8) == before)
        try
            "[integration]\n\tbranch = next\n[tree \"x\"]\n\turl = https://example.invalid/x.git\n\tbranch = b\n\tpull = rebsae\n"
            .write(toFile: forest.integration.path + "/.tributary", atomically: true, encoding: .utf8)
        let typo = try TribCommand.run(["plan"], in: forest.integration.path)
        #expect(
            typo.status == 2
                && typo.errorOutput.contains(
                    "pull must be merge, ff, ff-only, rebase, not 'rebsae' (did you mean \"rebase\"?)"),
            "\(typo.errorOutput)")
    }
}
