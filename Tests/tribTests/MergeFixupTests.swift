import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// Fix-ups learned from a merge (`trib resolve record`), keyed by the commits that need them,
/// made by `trib pull` whenever those commits meet.
@Suite struct MergeFixupTests {
    typealias Forest = PlanCommandTests.Forest
    static let signed = PlanCommandTests.signed
    static let library = "int old_name(void)\n{\n\treturn 1;\n}\n"
    static let renamed = "int new_name(void)\n{\n\treturn 1;\n}\n"
    static let caller = "#include \"lib.h\"\n\nint feature(void)\n{\n\treturn old_name() + 1;\n}\n"

    /// Tree a renames `old_name`; tree b adds a caller of the old name. Returns the forest and
    /// the two tree repositories.
    static func renameForest() throws -> (Forest, FixtureRepository, FixtureRepository) {
        let forest = try Forest()
        let base = try forest.integration.commit(
            "lib", files: ["lib.c": .text(library), "lib.h": "int old_name(void);\n"], on: "next",
            trailers: signed)
        try forest.integration.branch("mainline", at: base)
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        let a = try forest.addTree("a")
        let b = try forest.addTree("b")
        for tree in [a, b] {
            _ = try tree.git("fetch", "-q", forest.integration.path, "+refs/heads/mainline:refs/heads/for-next")
        }
        try a.commit(
            "a: rename old_name to new_name", files: ["lib.c": .text(renamed), "lib.h": "int new_name(void);\n"],
            on: "for-next", trailers: signed)
        try b.commit("b: notes", files: ["NOTES": "notes\n"], on: "for-next", trailers: signed)
        try b.commit(
            "b: call old_name from feature.c", files: ["feature.c": .text(caller)], on: "for-next",
            trailers: signed)
        _ = try forest.trib(["fetch"])
        return (forest, a, b)
    }

    /// The merge someone made of a and b's fetched tips with `resolutions` (default: the caller
    /// fixed).
    static func handMerge(_ forest: Forest, resolutions: [String: FileContent]? = nil) throws -> ObjectID {
        let repository = forest.integration.repository
        try forest.integration.branch(
            "hand", at: try #require(try repository.referenceTarget("refs/tributary/trees/a")))
        try forest.integration.branch(
            "other", at: try #require(try repository.referenceTarget("refs/tributary/trees/b")))
        let fixed = caller.replacingOccurrences(of: "old_name", with: "new_name")
        return try forest.integration.merge(
            "other", into: "hand", resolutions: resolutions ?? ["feature.c": .text(fixed)])
    }

    static func rebuild(_ forest: Forest) throws -> (output: String, tip: ObjectID) {
        let result = try TribCommand.run(["pull", "--rebuild"], in: forest.integration.path)
        #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
        return (result.output, try #require(try forest.integration.tip("next")))
    }

    static func feature(_ forest: Forest, at commit: ObjectID) throws -> String? {
        let repository = forest.integration.repository
        return try repository.fileContents(at: "feature.c", in: repository.treeOfCommit(commit)).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Re-creates `tree`'s commits since the old mainline on `onto` (same changes, new ids).
    static func rebase(_ tree: FixtureRepository, onto: ObjectID, from forest: Forest) throws {
        _ = try tree.git("fetch", "-q", forest.integration.path, "+refs/heads/mainline:refs/heads/new-base")
        let old = try #require(try tree.tip("for-next"))
        let log = try tree.git("rev-list", "--reverse", "for-next", "^refs/heads/new-base", "^\(onto.hex)~1")
        var parent = onto
        for line in log.split(separator: "\n") {
            let commit = try tree.repository.commit(try #require(ObjectID(hex: line)))
            let changes = try tree.git("diff", "--name-only", "\(line)~1", String(line))
            var files: [String: FileContent] = [:]
            for path in changes.split(separator: "\n").map(String.init) {
                files[path] =
                    try tree.repository.fileContents(at: path, in: commit.tree).map {
                        .text(String(decoding: $0, as: UTF8.self))
                    }
                    ?? .deleted
            }
            parent = try tree.commit(commit.message, files: files, parents: [parent])
        }
        try tree.branch("for-next", at: parent)
        #expect(parent != old)
    }

    @Test(
        "a fix-up learned once applies with the trees in either order and after rebases, not without b, goes stale when b's caller moves, and retires"
    )
    func renameAndCaller() throws {
        let (forest, a, b) = try Self.renameForest()
        let repository = forest.integration.repository
        let merge = try Self.handMerge(forest)
        let learned = try forest.trib(["resolve", "record", merge.hex])
        #expect(learned.contains("learned from \(merge.abbreviated()): 0 resolutions, a fix-up touching 1 file"))
        let aCommit = try #require(try repository.referenceTarget("refs/tributary/trees/a"))
        let bCommit = try #require(try repository.referenceTarget("refs/tributary/trees/b"))
        #expect(learned.contains("  needs ours (a):\n    \(aCommit.abbreviated()) a: rename old_name to new_name\n"))
        #expect(learned.contains("  needs theirs (b):\n    \(bCommit.abbreviated()) b: call old_name from feature.c\n"))
        let id = try #require(try ResolutionStore(repository: repository).mergeFixups().first?.id)
        let shown = try forest.trib(["resolve", "show", String(id.prefix(6))])
        #expect(
            shown.contains("fix-up \(id): feature.c\n")
                && shown.contains("-\treturn old_name() + 1;\n+\treturn new_name() + 1;\n"))

        // The plan says the fix-up comes with b's merge and applies.
        #expect(try forest.trib(["plan"], expecting: 0).contains("; fix-ups \(id)"))
        #expect(PlanCommandTests.tree(try forest.plan(), "b")["fixups"] as? [String] == [id])

        // a then b: the fix-up is made in b's merge, which has the human's tree.
        var pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("  b  merged       2 new commits; fix-ups \(id)"))
        #expect(try repository.treeOfCommit(pulled.tip) == repository.treeOfCommit(merge))
        #expect(
            try repository.commit(pulled.tip).message.contains("Fix-ups made in this merge:\n  \(id) (feature.c)\n"))

        // b then a: made in a's merge.
        _ = try forest.integration.git("config", "-f", ".tributary", "tree.b.order", "1")
        _ = try forest.integration.git("config", "-f", ".tributary", "tree.a.order", "2")
        pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("  a  merged       1 new commits; fix-ups \(id)"))
        #expect(try Self.feature(forest, at: pulled.tip)?.contains("new_name()") == true)

        // Both rebased onto a new mainline: known by patch-id.
        let newBase = try forest.integration.commit("mainline: docs", files: ["README": "readme\n"], on: "mainline")
        try Self.rebase(a, onto: newBase, from: forest)
        try Self.rebase(b, onto: newBase, from: forest)
        _ = try forest.trib(["fetch"])
        #expect(try repository.referenceTarget("refs/tributary/trees/a") != aCommit)
        pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("; fix-ups \(id)"))
        #expect(try Self.feature(forest, at: pulled.tip)?.contains("new_name()") == true)

        // b's caller moves to another file: the fix-up is stale, reported, not made in part.
        let beforeMove = try #require(try b.tip("for-next"))
        let moved = Self.caller.replacingOccurrences(of: "feature", with: "other")
        try b.commit("b: move the caller", files: ["feature.c": .deleted, "other.c": .text(moved)], on: "for-next")
        _ = try forest.trib(["fetch", "b"])
        pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("STALE fix-ups \(id)"))
        #expect(try Self.feature(forest, at: pulled.tip) == nil)
        #expect(try forest.trib(["resolve", "list"]).contains("\(id)  STALE (did not apply in the last pull)"))
        try b.branch("for-next", at: beforeMove)

        // Without b in the pull: not made (and not retired: b was not pulled).
        _ = try forest.trib(["fetch", "b"])
        _ = try forest.integration.git("config", "-f", ".tributary", "tree.b.url", forest.directory + "/missing.git")
        _ = try forest.integration.git("update-ref", "-d", "refs/tributary/trees/b")
        pulled = try Self.rebuild(forest)
        #expect(!pulled.output.contains(id) && !pulled.output.contains("retired"))
        _ = try forest.integration.git("config", "-f", ".tributary", "tree.b.url", forest.directory + "/b.git")
        _ = try forest.trib(["fetch", "b"])
        pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("; fix-ups \(id)"))

        // b's caller dropped from b: retired as dropped, once.
        try b.branch("for-next", at: try #require(ObjectID(hex: try b.git("rev-parse", "for-next~1").trimmed)))
        _ = try forest.trib(["fetch", "b"])
        pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("retired fix-up \(id): dropped"))
        #expect(try forest.trib(["resolve", "list"]).contains("\(id)  retired: dropped"))
        try b.branch("for-next", at: beforeMove)
        _ = try forest.trib(["fetch", "b"])
        pulled = try Self.rebuild(forest)
        #expect(!pulled.output.contains(id), "a retired fix-up is not made")

        // Learned again (active again), then b reverts its caller: retired as reverted.
        _ = try forest.trib(["resolve", "record", merge.hex])
        let callerCopy = try #require(try b.tip("for-next"))
        try b.commit(
            "Revert \"b: call old_name from feature.c\"\n\nThis reverts commit \(callerCopy.hex).",
            files: ["feature.c": .deleted], on: "for-next")
        _ = try forest.trib(["fetch", "b"])
        pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("retired fix-up \(id): reverted"), "\(pulled.output)")
        #expect(try forest.trib(["resolve", "list"]).contains("\(id)  retired: reverted"))
        try b.branch("for-next", at: beforeMove)
        _ = try forest.trib(["fetch", "b"])

        // Learned again, then both land upstream (as copies: merged there after a rebase).
        _ = try forest.trib(["resolve", "record", merge.hex])
        pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("; fix-ups \(id)"))
        let upstream = try forest.integration.commit(
            "Merge a and b upstream", tree: try repository.treeOfCommit(pulled.tip),
            parents: [
                try #require(try repository.referenceTarget("refs/tributary/trees/a")),
                try #require(try repository.referenceTarget("refs/tributary/trees/b")),
            ], updating: "refs/heads/mainline", expecting: try forest.integration.tip("mainline"))
        pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("retired fix-up \(id): landed upstream"))
        #expect(try repository.referenceTarget("refs/heads/next") == upstream)
        pulled = try Self.rebuild(forest)
        #expect(!pulled.output.contains("retired"))
    }

    @Test("a merge's modify/delete conflict and its changes beyond the conflicts are learned and made again")
    func settledConflict() throws {
        let (forest, a, b) = try Self.renameForest()
        let repository = forest.integration.repository
        // a deletes lib.h; b changes it. The human keeps b's lib.h, renamed, and fixes lib.c too.
        try a.commit("a: drop lib.h", files: ["lib.h": .deleted], on: "for-next", trailers: Self.signed)
        try b.commit(
            "b: lib.h grows", files: ["lib.h": "int old_name(void);\nint more(void);\n"], on: "for-next",
            trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let merge = try Self.handMerge(
            forest,
            resolutions: [
                "lib.h": "int new_name(void);\nint more(void);\n",
                "feature.c": .text(Self.caller.replacingOccurrences(of: "old_name", with: "new_name")),
            ])
        let learned = try forest.trib(["resolve", "record", merge.hex])
        #expect(learned.contains("0 resolutions, a fix-up touching 2 files"), "\(learned)")
        #expect(learned.contains("  settles the conflicts at lib.h\n"))
        let pulled = try MergeFixupTests.rebuild(forest)
        #expect(pulled.output.contains("fix-ups settle lib.h"), "\(pulled.output)")
        #expect(try repository.treeOfCommit(pulled.tip) == repository.treeOfCommit(merge))

        // b changes lib.h again: the fix-up no longer applies, so the conflict stands.
        try b.commit("b: lib.h again", files: ["lib.h": "int old_name(void);\nint most(void);\n"], on: "for-next")
        _ = try forest.trib(["fetch", "b"])
        let stopped = try TribCommand.run(["pull", "--rebuild"], in: forest.integration.path)
        #expect(stopped.status == 1, "\(stopped.output)\(stopped.errorOutput)")
        #expect(stopped.output.contains("STALE fix-ups"), "\(stopped.output)")
        #expect(stopped.output.contains("conflicts in lib.h"))
        #expect(try forest.integration.tip("next") == pulled.tip)
    }

    @Test("a fix-up made by one merge of a pull retires when a later tree of the same pull reverts its commit")
    func revertedLater() throws {
        let (forest, _, _) = try Self.renameForest()
        let repository = forest.integration.repository
        let merge = try Self.handMerge(forest)
        _ = try forest.trib(["resolve", "record", merge.hex])
        let id = try #require(try ResolutionStore(repository: repository).mergeFixups().first?.id)
        let caller = try #require(try repository.referenceTarget("refs/tributary/trees/b"))
        let c = try forest.addTree("c")
        try c.commit(
            "c: back out the caller\n\nThis reverts commit \(caller.hex).", files: ["C": "c\n"], on: "for-next")
        _ = try forest.trib(["fetch", "c"])
        let pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("  b  merged       2 new commits; fix-ups \(id)"), "\(pulled.output)")
        #expect(pulled.output.contains("retired fix-up \(id): reverted"))
    }

    @Test("bad input to record, show, drop, import and the manifest's fixups is refused and changes nothing")
    func refusals() throws {
        let (forest, _, _) = try Self.renameForest()
        let repository = forest.integration.repository
        let merge = try Self.handMerge(forest)
        _ = try forest.trib(["resolve", "record", merge.hex])
        let id = try #require(try ResolutionStore(repository: repository).mergeFixups().first?.id)
        let before = try repository.referenceTarget(ResolutionStore.reference)
        func refused(_ arguments: [String], _ message: String) throws {
            let result = try TribCommand.run(arguments, in: forest.integration.path)
            #expect(result.status == 2, "\(arguments): \(result.output)\(result.errorOutput)")
            #expect(result.errorOutput.contains(message), "\(arguments): \(result.errorOutput)")
            #expect(try repository.referenceTarget(ResolutionStore.reference) == before, "\(arguments)")
        }
        let aTip = try #require(try repository.referenceTarget("refs/tributary/trees/a"))
        try refused(["resolve", "record", aTip.hex], "\(aTip.abbreviated()) is not a merge of two parents")
        try refused(["resolve", "record", "no-such-commit"], "no-such-commit")
        try refused(["resolve", "show", "zzz"], "no resolution or fix-up zzz (see `trib resolve list`)")
        try refused(["resolve", "drop", id, "zzz"], "no resolution or fix-up zzz")
        #expect(try ResolutionStore(repository: repository).mergeFixups().map(\.id) == [id])
        try refused(
            ["resolve", "import", "--from", "dim", forest.directory + "/missing"],
            "cannot read the directory \(forest.directory)/missing")

        // A merge whose parents merge again into its very tree teaches nothing.
        try forest.integration.branch("plain", at: aTip)
        let plain = try forest.integration.merge("other", into: "plain", message: "plain")
        try refused(["resolve", "record", plain.hex], "gives its tree: there is nothing to learn")

        _ = try forest.integration.git("config", "-f", ".tributary", "integration.fixups", "sideways")
        let pull = try TribCommand.run(["pull", "--rebuild"], in: forest.integration.path)
        #expect(pull.status == 2)
        #expect(pull.errorOutput.contains(".tributary:"))
        #expect(
            pull.errorOutput.contains("integration.fixups 'sideways' is not merge or commit"), "\(pull.errorOutput)")
    }

    @Test("a resolution's path with a backslash, quotes, a tab and a semicolon is read back as it was written")
    func metaRoundTrip() throws {
        let fixture = try FixtureRepository()
        try fixture.commit("base", files: ["f": "f\n"])
        let store = ResolutionStore(repository: fixture.repository)
        let path = "dir\\odd \"name\"\t; #1.c"
        try store.record(
            [.init(id: "ab12", path: path, tree: "t", source: "save", recorded: 7, preimage: [1], postimage: [2])],
            message: "test")
        let read = try #require(try store.resolutions()["ab12"])
        #expect(read.path == path && read.tree == "t" && read.source == "save" && read.recorded == 7)
    }

    @Test("the same conflict in two files, resolved two ways, is kept as two variants, as git rerere keeps preimage.N")
    func conflictVariants() throws {
        let (forest, a, b) = try Self.renameForest()
        let repository = forest.integration.repository
        func config(_ name: String, _ value: String) -> FileContent {
            .text("# \(name)\nCONFIG_ONE=y\nCONFIG_SHARED=\(value)\nCONFIG_TWO=y\n# end of \(name)\n")
        }
        let base = try forest.integration.commit(
            "configs", files: ["one_defconfig": config("one", "0"), "two_defconfig": config("two", "0")],
            on: "mainline")
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        for tree in [a, b] {
            _ = try tree.git("fetch", "-q", forest.integration.path, "+refs/heads/mainline:refs/heads/for-next")
        }
        try a.commit(
            "a: shared = a", files: ["one_defconfig": config("one", "a"), "two_defconfig": config("two", "a")],
            on: "for-next", from: base)
        try b.commit(
            "b: shared = b", files: ["one_defconfig": config("one", "b"), "two_defconfig": config("two", "b")],
            on: "for-next", from: base)
        _ = try forest.trib(["fetch"])
        let merge = try Self.handMerge(
            forest, resolutions: ["one_defconfig": config("one", "a"), "two_defconfig": config("two", "b")])
        let learned = try forest.trib(["resolve", "record", merge.hex])
        #expect(learned.contains("learned from \(merge.abbreviated()): 2 resolutions\n"), "\(learned)")
        let stored = try ResolutionStore(repository: repository).resolutions()
        #expect(stored.count == 2 && Set(stored.values.map(\.conflictID)).count == 1)
        #expect(Set(stored.keys) == [stored.values.first!.conflictID, stored.values.first!.conflictID + ".1"])
        let pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("2 recorded resolution(s) applied"), "\(pulled.output)")
        #expect(try repository.treeOfCommit(pulled.tip) == repository.treeOfCommit(merge))
    }

    @Test("dim's fixups/BRANCH.patch files and git's refs/merge-fix/TOPIC commits are imported as trees' fix-ups")
    func imports() throws {
        let (forest, a, _) = try Self.renameForest()
        let repository = forest.integration.repository
        let patch = """
            diff --git a/lib.c b/lib.c
            --- a/lib.c
            +++ b/lib.c
            @@ -1,4 +1,4 @@
             int new_name(void)
             {
            -\treturn 1;
            +\treturn 2;
             }

            """
        let dim = forest.directory + "/rerere-cache/fixups"
        try FileManager.default.createDirectory(atPath: dim, withIntermediateDirectories: true)
        try patch.write(toFile: dim + "/a.patch", atomically: true, encoding: .utf8)
        try patch.write(toFile: dim + "/drm-unknown.patch", atomically: true, encoding: .utf8)
        let imported = try forest.trib(["resolve", "import", "--from", "dim", forest.directory + "/rerere-cache"])
        #expect(imported.contains("imported fix-up a/dim-a from \(dim)/a.patch\n"))
        #expect(
            imported.contains(
                "not imported: \(dim)/drm-unknown.patch: no tree is named drm-unknown or has it as its branch"))

        // A merge-fix commit for topic b, one for an unknown topic, one that is a merge.
        let aTip = try #require(try repository.referenceTarget("refs/tributary/trees/a"))
        let bTip = try #require(try repository.referenceTarget("refs/tributary/trees/b"))
        let fix = try forest.integration.commit(
            "merge-fix for b", files: ["NOTES": "notes, fixed\n"], parents: [bTip], updating: "refs/merge-fix/b")
        try forest.integration.branch("refs/merge-fix/jc/unknown", at: fix)
        let merge = try forest.integration.commit(
            "a merge", tree: try repository.treeOfCommit(aTip), parents: [aTip, fix], updating: "refs/merge-fix/a")
        _ = merge
        let fromMeta = try forest.trib(["resolve", "import", "--from", "merge-fix"])
        #expect(fromMeta.contains("imported fix-up b/merge-fix-b from refs/merge-fix/b\n"))
        #expect(fromMeta.contains("not imported: refs/merge-fix/a: not a commit with one parent"))
        #expect(fromMeta.contains("not imported: refs/merge-fix/jc/unknown: no tree is named jc/unknown"))
        let pulled = try Self.rebuild(forest)
        #expect(pulled.output.contains("  a  merged       1 new commits; fix-ups dim-a"), "\(pulled.output)")
        #expect(pulled.output.contains("; fix-ups merge-fix-b"), "\(pulled.output)")
        #expect(
            try repository.fileContents(at: "NOTES", in: repository.treeOfCommit(pulled.tip))
                == Array("notes, fixed\n".utf8))
        #expect(
            try repository.fileContents(at: "lib.c", in: repository.treeOfCommit(pulled.tip))
                == Array(Self.renamed.replacingOccurrences(of: "1;", with: "2;").utf8))
        _ = a
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
