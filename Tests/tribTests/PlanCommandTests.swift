import Foundation
import Git
import GitFixtures
import Testing

/// `trib init`, `trib tree`, `trib fetch`, `trib plan` and `trib conflicts` on fixture forests.
@Suite struct PlanCommandTests {
    static let maintainers = """
        CORE
        M:\tCore Maintainer <core@example.org>
        S:\tMaintained
        F:\tinclude/

        SLAB
        M:\tSlab Maintainer <slab@example.org>
        S:\tMaintained
        F:\tmm/slab.c

        VMA
        M:\tVma Maintainer <vma@example.org>
        S:\tMaintained
        F:\tmm/vma.c

        """

    /// An integration repository on a mainline base, with a manifest, and bare tree
    /// repositories the test fills.
    final class Forest {
        let directory: String
        let integration: FixtureRepository
        let base: ObjectID
        var trees: [String: FixtureRepository] = [:]

        init() throws {
            directory =
                FileManager.default.temporaryDirectory.appendingPathComponent("trib-plan-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            integration = try FixtureRepository(at: directory + "/integration", initialBranch: "next")
            let header = (1...20).map { "#define LINE_\($0)\n" }.joined()
            base = try integration.commit(
                "base",
                files: [
                    "MAINTAINERS": .text(PlanCommandTests.maintainers), "include/mm.h": .text(header),
                    "mm/slab.c": "slab\n", "mm/vma.c": "vma\n",
                ],
                on: "next", trailers: [("Signed-off-by", "Carl Committer <carl@example.org>")])
            try integration.branch("mainline", at: base)
            _ = try integration.git("config", "user.name", "Integration Maintainer")
            _ = try integration.git("config", "user.email", "integration@example.org")
            _ = try trib(["init", "--base", "refs/heads/mainline"])
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        /// A tree repository whose branch `for-next` starts at `start` (default: the base).
        func addTree(_ name: String, owns: String? = nil) throws -> FixtureRepository {
            let path = directory + "/\(name).git"
            let tree = try FixtureRepository(bare: true, at: path)
            _ = try tree.git("fetch", "-q", integration.path, "refs/heads/mainline:refs/heads/for-next")
            trees[name] = tree
            var arguments = ["tree", "add", name, path + "#for-next"]
            if let owns { arguments += ["--owns", owns] }
            _ = try trib(arguments)
            return tree
        }

        func trib(_ arguments: [String], expecting status: Int32 = 0) throws -> String {
            let result = try TribCommand.run(arguments, in: integration.path)
            #expect(result.status == status, "trib \(arguments): \(result.errorOutput)\(result.output)")
            return result.output
        }

        func plan() throws -> [String: Any] {
            let result = try TribCommand.run(["plan", "--json"], in: integration.path)
            #expect(result.status <= 1, "\(result.errorOutput)")
            return try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        }
    }

    static let signed: [(String, String)] = [
        ("Signed-off-by", "Ada Author <ada@example.org>"), ("Signed-off-by", "Carl Committer <carl@example.org>"),
    ]

    static func tree(_ plan: [String: Any], _ name: String) -> [String: Any] {
        (plan["trees"] as! [[String: Any]]).first { $0["name"] as? String == name }!
    }

    @Test("a conflict is attributed to the earlier tree and its commit; a missing ack holds a tree back")
    func attributionAndTags() throws {
        let forest = try Forest()
        let slab = try forest.addTree("slab", owns: "SLAB")
        let vma = try forest.addTree("vma", owns: "VMA")
        let header = (1...20).map { "#define LINE_\($0)\n" }.joined()
        _ = try slab.commit("slab: unrelated", files: ["mm/slab.c": "slab 2\n"], on: "for-next", trailers: Self.signed)
        let slabCulprit = try slab.commit(
            "slab: change line 10",
            files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_10\n", with: "SLAB_10\n"))],
            on: "for-next", trailers: Self.signed + [("Acked-by", "Core Maintainer <core@example.org>")])
        let vmaCommit = try vma.commit(
            "vma: change line 10",
            files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_10\n", with: "VMA_10\n"))],
            on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let plan = try forest.plan()
        let slabPlan = Self.tree(plan, "slab")
        #expect(slabPlan["state"] as? String == "ready")
        let vmaPlan = Self.tree(plan, "vma")
        #expect(vmaPlan["state"] as? String == "conflict")
        let conflict = try #require((vmaPlan["conflicts"] as? [[String: Any]])?.first)
        let with = try #require((conflict["with"] as? [[String: Any]])?.first)
        #expect(with["tree"] as? String == "slab")
        #expect(((with["commits"] as? [[String: Any]])?.map { $0["id"] as? String }) == [slabCulprit.hex])
        #expect(((conflict["commits"] as? [[String: Any]])?.map { $0["id"] as? String }) == [vmaCommit.hex])
        #expect((conflict["conflict"] as? [String: Any])?["kind"] as? String == "content")
        // VMA's commit touches include/ (CORE) without the core maintainer's ack: an owner-ack
        // error under vma's policy, which owns VMA but not CORE.
        let findings = try #require(vmaPlan["tagFindings"] as? [[String: Any]])
        let rules = findings.flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }
        #expect(rules == ["owner-ack"])
        let text = try TribCommand.run(["plan"], in: forest.integration.path)
        #expect(text.status == 1)
        #expect(text.output.contains("with slab:"))
        #expect(text.output.contains("could ack: Core Maintainer <core@example.org>"))
        let raw = try TribCommand.run(["plan", "--json"], in: forest.integration.path)
        try SchemaValidation.validate(raw.output, schema: "plan")
        // A re-plan reads the merges from the index.
        let again = try forest.plan()
        #expect(Self.tree(again, "vma")["cached"] as? Bool == true)
        // The pairwise matrix: slab x vma conflict in include/mm.h.
        let matrix = try TribCommand.run(["conflicts", "--json"], in: forest.integration.path)
        #expect(matrix.status == 1)
        try SchemaValidation.validate(matrix.output, schema: "conflicts")
        let parsed = try JSONSerialization.jsonObject(with: Data(matrix.output.utf8)) as! [String: Any]
        let pairs = try #require(parsed["pairs"] as? [[String: Any]])
        #expect(
            pairs.count == 1 && pairs[0]["first"] as? String == "slab" && pairs[0]["outcome"] as? String == "conflict")
    }

    @Test("when several earlier trees changed the file, the conflict names only the tree whose lines it hits")
    func attributionAmongSeveralTrees() throws {
        let forest = try Forest()
        let header = (1...20).map { "#define LINE_\($0)\n" }.joined()
        let early = try forest.addTree("early")
        let culprit = try forest.addTree("culprit")
        let late = try forest.addTree("late")
        _ = try early.commit(
            "early: line 2",
            files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_2\n", with: "EARLY_2\n"))],
            on: "for-next", trailers: Self.signed)
        let culpritCommit = try culprit.commit(
            "culprit: line 15",
            files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_15\n", with: "CULPRIT_15\n"))],
            on: "for-next", trailers: Self.signed)
        let lateCommit = try late.commit(
            "late: line 15",
            files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_15\n", with: "LATE_15\n"))],
            on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let plan = try forest.plan()
        #expect(Self.tree(plan, "early")["merge"] as? String == "clean")
        #expect(Self.tree(plan, "culprit")["merge"] as? String == "clean")
        let conflict = try #require((Self.tree(plan, "late")["conflicts"] as? [[String: Any]])?.first)
        let with = try #require(conflict["with"] as? [[String: Any]])
        #expect(with.map { $0["tree"] as? String } == ["culprit"])
        #expect(((with.first?["commits"] as? [[String: Any]])?.map { $0["id"] as? String }) == [culpritCommit.hex])
        #expect(((conflict["commits"] as? [[String: Any]])?.map { $0["id"] as? String }) == [lateCommit.hex])
        // The same answer as a plain blame of the running result (trib trial-merge).
        let trial = try TribCommand.run(
            [
                "trial-merge", "--json", "next", "refs/tributary/trees/early", "refs/tributary/trees/culprit",
                "refs/tributary/trees/late",
            ], in: forest.integration.path)
        let steps = try #require(
            (try JSONSerialization.jsonObject(with: Data(trial.output.utf8)) as? [String: Any])?["steps"]
                as? [[String: Any]])
        let trialConflict = try #require((steps.last?["conflicts"] as? [[String: Any]])?.first)
        #expect(trialConflict["ourCommits"] as? [String] == [culpritCommit.hex])
    }

    @Test("the owned sections decide whether an ack is needed")
    func ownedSections() throws {
        let forest = try Forest()
        let core = try forest.addTree("core", owns: "CORE")
        _ = try core.commit("core: edit", files: ["include/mm.h": "new\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        #expect(Self.tree(try forest.plan(), "core")["state"] as? String == "ready")
        let manifestPath = forest.integration.path + "/.tributary"
        var text = try String(contentsOfFile: manifestPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "\towns = CORE\n", with: "")
        try text.write(toFile: manifestPath, atomically: true, encoding: .utf8)
        #expect(Self.tree(try forest.plan(), "core")["state"] as? String == "tag-problems")
    }

    @Test("duplicates across trees and with the integration branch; rewinds; back-merges")
    func duplicatesRewindsBackMerges() throws {
        let forest = try Forest()
        let one = try forest.addTree("one")
        let two = try forest.addTree("two")
        let fix: [String: FileContent] = ["mm/slab.c": "slab fixed\n"]
        let first = try one.commit("slab: fix", files: fix, on: "for-next", trailers: Self.signed)
        let copy = try two.commit("slab: fix (copy)", files: fix, on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let plan = try forest.plan()
        let duplicates = try #require(Self.tree(plan, "two")["duplicates"] as? [[String: Any]])
        #expect(duplicates.count == 1)
        let copies = (duplicates.first?["copies"] as? [[String: Any]])?.map { $0["commit"] as? String }
        #expect(copies == [first.hex])
        #expect((duplicates.first?["commit"] as? [String: Any])?["id"] as? String == copy.hex)

        // Rewind: tree one is rebuilt without its commit.
        let replaced = try one.commit("slab: other", files: ["mm/slab.c": "other\n"], parents: [forest.base])
        try one.branch("for-next", at: replaced)
        _ = try forest.trib(["fetch", "one"])
        let rewound = try #require(Self.tree(try forest.plan(), "one")["rewind"] as? [String: Any])
        #expect(rewound["kind"] as? String == "rewound")
        #expect(rewound["previousSource"] as? String == "fetched")
        let dropped = (rewound["dropped"] as? [[String: Any]])?.map {
            ($0["commit"] as? [String: Any])?["id"] as? String
        }
        #expect(dropped == [first.hex])

        // Back-merge: mainline moves on and tree two merges it.
        let newMainline = try forest.integration.commit("mainline: next", files: ["README": "r\n"], on: "mainline")
        _ = try two.git("fetch", "-q", forest.integration.path, "refs/heads/mainline:refs/heads/upstream")
        let backMerge = try two.commit(
            "Merge mainline", tree: try two.repository.treeOfCommit(copy), parents: [copy, newMainline])
        try two.branch("for-next", at: backMerge)
        _ = try forest.trib(["fetch", "two"])
        let merged = try #require(Self.tree(try forest.plan(), "two")["backMerge"] as? [String: Any])
        #expect(merged["newBaseCommits"] as? Int == 1)
        #expect(((merged["merges"] as? [[String: Any]])?.map { $0["id"] as? String }) == [backMerge.hex])
    }

    @Test(
        "a tree moved back to an older base: what the integration branch has is not dropped; a copy with other context replaces"
    )
    func rewindToOlderBase() throws {
        let forest = try Forest()
        let one = try forest.addTree("one")
        let header = (1...20).map { "#define LINE_\($0)\n" }.joined()
        func edited(_ changes: [Int: String]) -> FileContent {
            .text((1...20).map { changes[$0].map { $0 + "\n" } ?? "#define LINE_\($0)\n" }.joined())
        }
        #expect(edited([:]) == .text(header))
        // The integration branch has a newer mainline commit; the tree was based on it.
        let newer = try forest.integration.commit(
            "mainline: line 5", files: ["include/mm.h": edited([5: "M5"])], on: "next", trailers: Self.signed)
        _ = try one.git("fetch", "-q", forest.integration.path, "+refs/heads/next:refs/heads/for-next")
        let change = try one.commit(
            "mm: line 6", files: ["include/mm.h": edited([5: "M5", 6: "T6"])], on: "for-next", trailers: Self.signed)
        let gone = try one.commit("mm: new file", files: ["mm/new.c": "new\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        // Moved back to the older base: the same change to line 6, with the older line 5 as context.
        let copy = try one.commit(
            "mm: line 6", files: ["include/mm.h": edited([6: "T6"])], parents: [forest.base], trailers: Self.signed)
        try one.branch("for-next", at: copy)
        _ = try forest.trib(["fetch", "one"])
        let plan = try forest.plan()
        let rewind = try #require(Self.tree(plan, "one")["rewind"] as? [String: Any])
        #expect(rewind["kind"] as? String == "rewound")
        #expect(rewind["inIntegration"] as? Int == 1, "\(rewind)")
        let dropped = try #require(rewind["dropped"] as? [[String: Any]])
        #expect(dropped.map { ($0["commit"] as? [String: Any])?["id"] as? String } == [gone.hex, change.hex])
        #expect(dropped.map { $0["replacedBy"] as? String } == [nil, copy.hex])
        #expect(dropped.map { $0["replacement"] as? String } == [nil, "changed-lines"])
        #expect(!dropped.contains { ($0["commit"] as? [String: Any])?["id"] as? String == newer.hex })
        let text = try forest.trib(["plan", "one"], expecting: 1)
        #expect(text.contains("    replaced by \(copy.abbreviated())"), "\(text)")
        #expect(text.contains("(same change, other context)\n"), "\(text)")
        #expect(
            text.contains("    1 more commit of the old tip is in the integration branch: not dropped\n"), "\(text)")
    }

    @Test("a failing fetch is reported, the others go on, and exit 1")
    func failingFetch() throws {
        let forest = try Forest()
        let good = try forest.addTree("good")
        let tip = try good.commit("work", files: ["mm/vma.c": "v2\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["tree", "add", "gone", forest.directory + "/no-such.git#for-next"])
        _ = try forest.trib(["tree", "add", "nobranch", good.path + "#no-such-branch"])
        let result = try TribCommand.run(["fetch"], in: forest.integration.path)
        #expect(result.status == 1)
        #expect(result.output.contains("gone: FAILED"))
        #expect(result.output.contains("nobranch: FAILED"))
        #expect(result.output.contains("fetched 1 of 3 trees"))
        #expect(try forest.integration.repository.referenceTarget("refs/tributary/trees/good") == tip)
        #expect(try forest.integration.repository.referenceTarget("refs/tributary/trees/gone") == nil)
        let log = try forest.integration.repository.reflog(of: "refs/tributary/trees/good")
        #expect(log.first?.message.hasPrefix("trib fetch: ") == true)
        let unknown = try TribCommand.run(["fetch", "nosuch"], in: forest.integration.path)
        #expect(unknown.status == 2 && unknown.errorOutput.contains("no tree 'nosuch'"))
    }

    @Test("unsafe URLs, branches and names are refused before anything runs; a broken manifest names its line")
    func refusals() throws {
        let forest = try Forest()
        let manifestPath = forest.integration.path + "/.tributary"
        let before = try String(contentsOfFile: manifestPath, encoding: .utf8)
        for (arguments, message) in [
            (["tree", "add", "x", "--", "--upload-pack=touch /tmp/owned"], "could be taken for an option"),
            (["tree", "add", "x", "ext::sh -c touch% /tmp/owned"], "ext:: transport"),
            (["tree", "add", "x", "https://example.org/a\u{1b}[2J.git"], "control characters"),
            (["tree", "add", "x", "https://example.org/a.git", "--branch=-b"], "could be taken for an option"),
            (["tree", "add", "x", "https://example.org/a.git", "--branch", "a..b"], "not a valid branch name"),
            (["tree", "add", "a b", "https://example.org/a.git"], "not valid in a reference name"),
            (["tree", "add", "a/b", "https://example.org/a.git"], "contains '/'"),
        ] {
            let result = try TribCommand.run(arguments, in: forest.integration.path)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.errorOutput.contains(message), "\(arguments): \(result.errorOutput)")
        }
        #expect(try String(contentsOfFile: manifestPath, encoding: .utf8) == before)

        // A hand-edited unsafe entry stops every command that reads the manifest, with its line.
        try (before + "[tree \"evil\"]\n\turl = -oProxyCommand=x\n\tbranch = main\n").write(
            toFile: manifestPath, atomically: true, encoding: .utf8)
        let fetch = try TribCommand.run(["fetch"], in: forest.integration.path)
        #expect(fetch.status == 2)
        #expect(fetch.errorOutput.contains(".tributary:\(before.split(separator: "\n").count + 2): tree \"evil\""))
        try (before + "[tree \"broken\"\n").write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let broken = try TribCommand.run(["plan"], in: forest.integration.path)
        #expect(broken.status == 2 && broken.errorOutput.contains(".tributary"))
        #expect(try forest.integration.repository.references(matching: "refs/tributary/*").isEmpty)
    }

    @Test("tree import reads linux-next's Next/Trees, list and remove keep the order")
    func importAndList() throws {
        let forest = try Forest()
        let listing =
            "Trees included into this release:\n\nName\t\tUrl\n----\t\t---\norigin\t\thttps://git.example.org/linux.git#master\nfixes\thttps://git.example.org/fixes.git#for-current\nplain\t\thttps://git.example.org/plain.git\n"
        let file = forest.directory + "/Trees"
        try listing.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try forest.trib(["tree", "import", file]).contains("3 added"))
        #expect(try forest.trib(["tree", "import", file]).contains("0 added, 0 updated, 3 unchanged"))
        let list = try forest.trib(["tree", "list", "--json"])
        try SchemaValidation.validate(list, schema: "trees")
        let parsed = try JSONSerialization.jsonObject(with: Data(list.utf8)) as! [String: Any]
        let trees = try #require(parsed["trees"] as? [[String: Any]])
        #expect(trees.map { $0["name"] as? String } == ["origin", "fixes", "plain"])
        #expect(trees.map { $0["branch"] as? String } == ["master", "for-current", "master"])
        _ = try forest.trib(["tree", "remove", "fixes"])
        #expect(
            try forest.trib(["tree", "list"]).split(separator: "\n").map { $0.split(separator: " ")[0] } == [
                "origin", "plain",
            ])
        #expect(try forest.trib(["tree", "show", "plain"]).contains("url: https://git.example.org/plain.git"))
    }
}
