import Foundation
import Git
import GitFixtures
import Testing
import Tributary

#if canImport(Glibc)
    import Glibc
#endif

/// `trib pull`, `trib resolve` and `trib log` on fixture forests.
@Suite struct PullCommandTests {
    typealias Forest = PlanCommandTests.Forest
    static let signed = PlanCommandTests.signed
    static let header = (1...40).map { "#define LINE_\($0)\n" }.joined()

    static func edit(_ text: String, _ replacements: [(String, String)]) -> FileContent {
        .text(replacements.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) })
    }

    /// Two trees that change line 10 of include/mm.h differently.
    static func conflictingForest() throws -> (Forest, FixtureRepository, FixtureRepository) {
        let forest = try Forest()
        try forest.integration.commit(
            "header", files: ["include/mm.h": .text(header)], on: "next", trailers: Self.signed)
        let mainline = try #require(try forest.integration.tip("next"))
        try forest.integration.branch("mainline", at: mainline)
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        let one = try forest.addTree("one")
        let two = try forest.addTree("two")
        _ = try one.git("fetch", "-q", forest.integration.path, "+refs/heads/mainline:refs/heads/for-next")
        _ = try two.git("fetch", "-q", forest.integration.path, "+refs/heads/mainline:refs/heads/for-next")
        try one.commit(
            "one: line 10", files: ["include/mm.h": edit(header, [("LINE_10\n", "ONE_10\n")])], on: "for-next",
            trailers: Self.signed)
        try two.commit(
            "two: line 10", files: ["include/mm.h": edit(header, [("LINE_10\n", "TWO_10\n")])], on: "for-next",
            trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        return (forest, one, two)
    }

    @Test(
        "a conflict stops the pull with every ref kept; a saved resolution is reused on rebuilds, and goes stale when the conflict changes"
    )
    func resolutionLifecycle() throws {
        let (forest, one, two) = try Self.conflictingForest()
        let repository = forest.integration.repository
        let before = try repository.references(matching: "refs/*")
        let stopped = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(stopped.status == 1)
        #expect(stopped.output.contains("stopped at two"))
        #expect(try repository.references(matching: "refs/*") == before)

        let start = try forest.trib(["resolve", "start", "two"])
        #expect(start.contains("include/mm.h"))
        let directory = repository.gitDirectory + "tributary/resolve/two/include/mm.h"
        let marked = try String(contentsOfFile: directory, encoding: .utf8)
        #expect(marked.contains("<<<<<<< integration\n#define ONE_10\n=======\n#define TWO_10\n>>>>>>> two\n"))
        let resolvedText = Self.header.replacingOccurrences(of: "LINE_10\n", with: "ONE_10\nTWO_10\n")
        try resolvedText.write(toFile: directory, atomically: true, encoding: .utf8)
        #expect(try forest.trib(["resolve", "save", "two"]).contains("recorded"))
        #expect(!FileManager.default.fileExists(atPath: directory))

        let pulled = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(pulled.status == 0, "\(pulled.output)\(pulled.errorOutput)")
        #expect(pulled.output.contains("1 recorded resolution(s) applied"))
        let tip = try #require(try forest.integration.tip("next"))
        #expect(
            try repository.fileContents(at: "include/mm.h", in: repository.treeOfCommit(tip))
                == Array(resolvedText.utf8))
        #expect(try forest.integration.git("status", "--porcelain", "--untracked-files=no") == "")
        let message = try repository.commit(tip).message
        #expect(message.hasPrefix("Merge tree 'two' into next\n"))
        #expect(message.contains("Branch: for-next\nTip:    \(try #require(try two.tip("for-next")).hex)\n"))
        #expect(message.contains("1 new commit:\n  two: line 10\n"))
        #expect(try repository.reflog(of: "refs/heads/next").first?.message == "trib pull: merged one, two")
        #expect(try repository.referenceTarget("refs/tributary/pulled/two") == two.tip("for-next"))

        // Both trees gain unrelated commits, far from line 10: the rebuild reuses the resolution.
        try one.commit(
            "one: line 30",
            files: ["include/mm.h": Self.edit(Self.header, [("LINE_10\n", "ONE_10\n"), ("LINE_30\n", "ONE_30\n")])],
            on: "for-next", trailers: Self.signed)
        try two.commit("two: other file", files: ["mm/vma.c": "vma 2\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let rebuilt = try TribCommand.run(["pull", "--rebuild"], in: forest.integration.path)
        #expect(rebuilt.status == 0, "\(rebuilt.output)\(rebuilt.errorOutput)")
        #expect(rebuilt.output.contains("1 recorded resolution(s) applied"))
        #expect(rebuilt.output.contains("old tip kept as refs/tributary/backup/next/"))
        let rebuiltTip = try #require(try forest.integration.tip("next"))
        let expected = resolvedText.replacingOccurrences(of: "LINE_30\n", with: "ONE_30\n")
        #expect(
            try repository.fileContents(at: "include/mm.h", in: repository.treeOfCommit(rebuiltTip))
                == Array(expected.utf8))

        // Two changes its side of the conflict: the resolution no longer matches.
        try two.commit(
            "two: line 10 again", files: ["include/mm.h": Self.edit(Self.header, [("LINE_10\n", "TWO_10_V2\n")])],
            on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let changed = try TribCommand.run(["pull", "--rebuild"], in: forest.integration.path)
        #expect(changed.status == 1)
        #expect(changed.output.contains("stale: recorded resolution"))
        #expect(try forest.integration.tip("next") == rebuiltTip)
        let log = try forest.trib(["log"])
        #expect(log.contains("(rebuild)") && log.contains("two merged"))
    }

    @Test("a fix-up is committed after its tree's merge, reported stale when it no longer applies, and dropped")
    func fixups() throws {
        let (forest, one, _) = try Self.conflictingForest()
        let repository = forest.integration.repository
        let patch = """
            diff --git a/mm/slab.c b/mm/slab.c
            --- a/mm/slab.c
            +++ b/mm/slab.c
            @@ -1 +1 @@
            -slab
            +slab fixed up

            """
        let patchPath = forest.directory + "/slab-build-fix.patch"
        try patch.write(toFile: patchPath, atomically: true, encoding: .utf8)
        _ = try forest.trib(["resolve", "fixup", "one", patchPath])
        #expect(try forest.trib(["resolve", "list"]).contains("fixup one/slab-build-fix"))
        let pulled = try TribCommand.run(["pull", "one"], in: forest.integration.path)
        #expect(pulled.status == 0, "\(pulled.output)\(pulled.errorOutput)")
        #expect(pulled.output.contains("fix-ups slab-build-fix"))
        // By default the fix-up is made in the merge commit, which says so.
        let merged = try repository.commit(try #require(try forest.integration.tip("next")))
        #expect(merged.summary == "Merge tree 'one' into next")
        #expect(merged.message.contains("Fix-ups made in this merge:\n  slab-build-fix (refs/tributary/resolutions)\n"))
        #expect(try repository.fileContents(at: "mm/slab.c", in: merged.tree) == Array("slab fixed up\n".utf8))
        // With `fixups = commit`, as a commit of its own after the merge.
        _ = try forest.integration.git("config", "-f", ".tributary", "integration.fixups", "commit")
        let separate = try TribCommand.run(["pull", "--rebuild", "one"], in: forest.integration.path)
        #expect(separate.status == 0, "\(separate.output)\(separate.errorOutput)")
        let tip = try #require(try forest.integration.tip("next"))
        let fixCommit = try repository.commit(tip)
        #expect(fixCommit.summary == "one: fix-up slab-build-fix after the merge")
        #expect(try repository.commit(fixCommit.parents[0]).summary == "Merge tree 'one' into next")
        #expect(try repository.fileContents(at: "mm/slab.c", in: fixCommit.tree) == Array("slab fixed up\n".utf8))

        // The tree changes the lines the fix-up touches: it no longer applies.
        try one.commit("one: slab", files: ["mm/slab.c": "slab rewritten\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch", "one"])
        let stale = try TribCommand.run(["pull", "--rebuild", "one"], in: forest.integration.path)
        #expect(stale.status == 0, "\(stale.output)\(stale.errorOutput)")
        #expect(stale.output.contains("STALE fix-ups slab-build-fix"))
        #expect(try forest.trib(["resolve", "list"]).contains("fixup one/slab-build-fix  STALE (did not apply)"))
        #expect(try forest.trib(["log", "--json"]).contains("\"staleFixups\" : [\n          \"slab-build-fix\""))
        _ = try forest.trib(["resolve", "drop", "one/slab-build-fix"])
        let unknown = try TribCommand.run(["resolve", "drop", "one/slab-build-fix"], in: forest.integration.path)
        #expect(unknown.status == 2 && unknown.errorOutput.contains("no fix-up one/slab-build-fix"))
        #expect(try forest.trib(["resolve", "list"]) == "no recorded resolutions or fix-ups\n")
    }

    @Test(
        "a dirty work tree is refused with nothing changed; a second pull fails while one holds the lock; a dead holder's lock and .lock files are taken over"
    )
    func refusals() throws {
        let (forest, _, _) = try Self.conflictingForest()
        let repository = forest.integration.repository
        try "changed\n".write(toFile: forest.integration.path + "/mm/vma.c", atomically: true, encoding: .utf8)
        let before = try repository.references(matching: "refs/*")
        let dirty = try TribCommand.run(["pull", "--on-conflict", "skip"], in: forest.integration.path)
        #expect(dirty.status == 2)
        #expect(dirty.errorOutput.contains("has changes (mm/vma.c)"))
        #expect(try repository.references(matching: "refs/*") == before)
        #expect(try String(contentsOfFile: forest.integration.path + "/mm/vma.c", encoding: .utf8) == "changed\n")
        _ = try forest.integration.git("checkout", "-q", "--", "mm/vma.c")

        // Another command holds the lock (this process, for real).
        let lock = repository.gitDirectory + "tributary/lock"
        let held = try IntegrationLock(repository: repository, command: "trib resolve start")
        let busy = try TribCommand.run(["pull", "--on-conflict", "skip"], in: forest.integration.path)
        #expect(busy.status == 3)
        #expect(
            busy.errorOutput.contains("another trib command holds")
                && busy.errorOutput.contains(
                    "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), trib resolve start")
        )
        #expect(try repository.references(matching: "refs/*") == before)
        held.release()
        #expect(!FileManager.default.fileExists(atPath: lock), "a released lock leaves no file")
        // A lock file left with content by a process that was killed (the kernel let go of its
        // lock) is taken over, with the .lock files it left while
        // writing trib's own references after it started; older ones, and those of references
        // other commands write, stay.
        let since = Int(Date().timeIntervalSince1970) - 60
        try "pid 999999\nhost \(ProcessInfo.processInfo.hostName)\ncommand trib pull\nsince \(since)\n".write(
            toFile: lock, atomically: true, encoding: .utf8)
        let leftovers = [
            "refs/tributary/pulled/one.lock", "logs/refs/tributary/pulled/one.lock", "refs/tributary/log.lock",
        ]
        let kept = ["refs/tributary/trees/one.lock", "logs/refs/tributary/backup/old.lock"]
        for file in leftovers + kept {
            let path = repository.gitDirectory + file
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "".write(toFile: path, atomically: false, encoding: .utf8)
        }
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: TimeInterval(since - 3600))],
            ofItemAtPath: repository.gitDirectory + kept[1])
        let skipped = try TribCommand.run(["pull", "--on-conflict", "skip"], in: forest.integration.path)
        #expect(skipped.status == 1, "\(skipped.output)\(skipped.errorOutput)")
        #expect(skipped.output.contains("  two  skipped"))
        #expect(!FileManager.default.fileExists(atPath: lock))
        for file in leftovers {
            #expect(skipped.output.contains("removed \(file), left by a killed trib command"))
            #expect(!FileManager.default.fileExists(atPath: repository.gitDirectory + file))
        }
        for file in kept {
            #expect(FileManager.default.fileExists(atPath: repository.gitDirectory + file), "\(file) is kept")
        }
        #expect(try repository.referenceTarget("refs/tributary/pulled/one") != nil)
    }

    @Test("a bare integration repository is pulled into, with its manifest in the git directory")
    func bare() throws {
        let (forest, _, _) = try Self.conflictingForest()
        let barePath = forest.directory + "/bare.git"
        _ = try forest.integration.git("clone", "-q", "--bare", forest.integration.path, barePath)
        let bare = try Repository(at: barePath)
        try FileManager.default.createDirectory(atPath: barePath + "/tributary", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: forest.integration.path + "/.tributary", toPath: barePath + "/tributary/manifest")
        _ = try FixtureGit(directory: barePath)("config", "user.name", "Integration Maintainer")
        _ = try FixtureGit(directory: barePath)("config", "user.email", "integration@example.org")
        let fetched = try TribCommand.run(["fetch"], in: barePath)
        #expect(fetched.status == 0, "\(fetched.errorOutput)")
        let before = try bare.referenceTarget("refs/heads/next")
        let result = try TribCommand.run(["pull", "one"], in: barePath)
        #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
        let after = try #require(try bare.referenceTarget("refs/heads/next"))
        #expect(after != before)
        #expect(try bare.commit(after).parents.first == before)
        #expect(try bare.reflog(of: "refs/heads/next").first?.message == "trib pull: merged one")
    }

    @Test("a resolution learned from a merge commit reproduces its tree when its parents are merged again")
    func recordFromMerge() throws {
        let (forest, _, _) = try Self.conflictingForest()
        let repository = forest.integration.repository
        let oneTip = try #require(try repository.referenceTarget("refs/tributary/trees/one"))
        let twoTip = try #require(try repository.referenceTarget("refs/tributary/trees/two"))
        // Someone merged one and two by hand.
        try forest.integration.branch("hand", at: oneTip)
        try forest.integration.branch("other", at: twoTip)
        let resolved = Self.header.replacingOccurrences(of: "LINE_10\n", with: "TWO_10\nONE_10\n")
        let handMerge = try forest.integration.merge(
            "other", into: "hand", resolutions: ["include/mm.h": .text(resolved)])
        #expect(try forest.trib(["resolve", "record", handMerge.hex]).contains("recorded"))
        // Pulling one then two onto the integration branch gives the same tree.
        let pulled = try TribCommand.run(["pull", "--dry-run", "--json"], in: forest.integration.path)
        #expect(pulled.status == 0, "\(pulled.output)\(pulled.errorOutput)")
        let report = try JSONSerialization.jsonObject(with: Data(pulled.output.utf8)) as! [String: Any]
        let newTipText = try #require(report["newTip"] as? String)
        let newTip = try #require(ObjectID(hex: newTipText))
        #expect(try repository.treeOfCommit(newTip) == repository.treeOfCommit(handMerge))
        #expect(try forest.integration.tip("next") != newTip)
    }

    @Test("recorded resolutions give git rerere's ids and merged text, whichever side is ours")
    func rerereDifferential() throws {
        var random = SeededGenerator(seed: 31)
        for round in 0..<6 {
            let fixture = try FixtureRepository()
            let git = fixture.git
            _ = try git("config", "rerere.enabled", "true")
            _ = try git("config", "user.name", "Ada")
            _ = try git("config", "user.email", "ada@example.org")
            let lines = (1...60).map { "line \($0)\n" }
            let conflictLine = Int.random(in: 10..<50, using: &random)
            func file(_ changes: [Int: String]) -> FileContent {
                .text(lines.enumerated().map { changes[$0.offset] ?? $0.element }.joined())
            }
            let base = try fixture.commit("base", files: ["f.c": file([:])])
            try fixture.commit("a", files: ["f.c": file([conflictLine: "A \(round)\n"])], on: "a", from: base)
            try fixture.commit(
                "b", files: ["f.c": file([conflictLine: "B \(round)\n", conflictLine + 1: "B2\n"])], on: "b", from: base
            )
            _ = try git("checkout", "-q", "a")
            _ = try git.run(["merge", "-q", "b"])
            let firstMarked = try String(contentsOfFile: fixture.path + "/f.c", encoding: .utf8)
            let resolution = lines.enumerated().map {
                $0.offset == conflictLine ? "A+B \(round)\n" : ($0.offset == conflictLine + 1 ? "" : $0.element)
            }.joined()
            try resolution.write(toFile: fixture.path + "/f.c", atomically: true, encoding: .utf8)
            _ = try git("add", "f.c")
            _ = try git("commit", "-q", "--no-edit")
            let rrCache = try FileManager.default.contentsOfDirectory(atPath: fixture.path + "/.git/rr-cache")
            // Our id and preimage for the same conflict.
            let image = try #require(ConflictImage.parse(Array(firstMarked.utf8)))
            #expect(rrCache == [image.id], "round \(round)")

            // Both sides gain unrelated changes; the second merge goes the other way round.
            try fixture.commit(
                "a2", files: ["f.c": file([conflictLine: "A \(round)\n", 2: "A far\n"])], on: "a2", from: base)
            try fixture.commit(
                "b2", files: ["f.c": file([conflictLine: "B \(round)\n", conflictLine + 1: "B2\n", 58: "B far\n"])],
                on: "b2",
                from: base)
            _ = try git("checkout", "-q", "b2")
            _ = try git.run(["merge", "-q", "a2"])
            let gitResolved = try String(contentsOfFile: fixture.path + "/f.c", encoding: .utf8)
            #expect(!gitResolved.contains("<<<<<<<"), "git rerere resolved it")
            _ = try git("reset", "-q", "--hard")
            let b2 = try #require(try fixture.tip("b2"))
            let a2 = try #require(try fixture.tip("a2"))
            let secondIndex = try fixture.repository.merge(ours: b2, theirs: a2)
            let conflict = try #require(try secondIndex.conflicts().first)
            let marked = try secondIndex.mergedFile(for: conflict, ourLabel: "HEAD", theirLabel: "a2").contents
            let secondImage = try #require(ConflictImage.parse(marked))
            #expect(secondImage.id == image.id, "swapped sides keep the id")
            let ours = try #require(
                try secondImage.applying(preimage: image.normalized, postimage: Array(resolution.utf8)))
            #expect(String(decoding: ours, as: UTF8.self) == gitResolved, "round \(round)")
        }
    }
}

/// `trib pull` killed with SIGKILL at random moments.
@Suite struct PullCrashTests {
    /// Two trees that change different lines of one header, fetched into a checked-out `next`.
    static func twoTrees() throws -> (PlanCommandTests.Forest, tips: [String: ObjectID]) {
        let forest = try PlanCommandTests.Forest()
        let header = PullCommandTests.header
        try forest.integration.commit(
            "header", files: ["include/mm.h": .text(header)], on: "next", trailers: PullCommandTests.signed)
        try forest.integration.branch("mainline", at: try #require(try forest.integration.tip("next")))
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        var tips: [String: ObjectID] = [:]
        for (name, line) in [("one", "LINE_2\n"), ("two", "LINE_39\n")] {
            let tree = try forest.addTree(name)
            _ = try tree.git("fetch", "-q", forest.integration.path, "+refs/heads/mainline:refs/heads/for-next")
            tips[name] = try tree.commit(
                "\(name): a line", files: ["include/mm.h": PullCommandTests.edit(header, [(line, "\(name)\n")])],
                on: "for-next", trailers: PullCommandTests.signed)
        }
        _ = try forest.trib(["fetch"])
        return (forest, tips)
    }

    @Test("a pull killed while it held the branch's .lock: the next one removes that lock and pulls")
    func killedHoldingTheBranchLock() throws {
        let (forest, _) = try Self.twoTrees()
        let repository = forest.integration.repository
        let old = try #require(try forest.integration.tip("next"))
        // Killed after writing its journal; then the lock libgit2 takes to move the branch, as a
        // kill inside the reference update leaves it (made by hand: that moment is inside libgit2).
        let killed = try TribCommand.run(
            ["pull"], in: forest.integration.path, environment: ["TRIB_TEST_CRASH_AT": "journal-written"])
        #expect(killed.status != 0)
        let lock = repository.gitDirectory + "refs/heads/next.lock"
        try "\(old.hex)\n".write(toFile: lock, atomically: false, encoding: .utf8)
        let next = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(next.status == 0, "\(next.output)\(next.errorOutput)")
        #expect(
            next.output.contains(
                "a killed trib pull had not moved next, or it was moved again since: removed refs/heads/next.lock; its journal was removed"
            ))
        #expect(!FileManager.default.fileExists(atPath: lock))
        #expect(try forest.integration.tip("next") != old)
        #expect(try forest.integration.git("status", "--porcelain", "--untracked-files=no") == "")

        // A branch .lock from before the journal may be someone else's: left alone, and named.
        _ = try forest.integration.git("reset", "-q", "--hard", old.hex)
        try "\(old.hex)\n".write(toFile: lock, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: lock)
        _ = try TribCommand.run(
            ["pull"], in: forest.integration.path, environment: ["TRIB_TEST_CRASH_AT": "journal-written"])
        let refused = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(refused.status == 3)
        #expect(refused.errorOutput.contains("next.lock") && refused.errorOutput.contains("remove the .lock file"))
        #expect(FileManager.default.fileExists(atPath: lock))
    }

    @Test(
        "a pull killed after moving a checked-out branch is finished by the next one: work tree, pulled refs, log",
        arguments: ["branch-moved", "work-tree-updated", "pulled-references-written"])
    func finishedByTheNextPull(point: String) throws {
        let (forest, tips) = try Self.twoTrees()
        let repository = forest.integration.repository
        let old = try #require(try forest.integration.tip("next"))
        let journal = repository.gitDirectory + "tributary/move-journal.json"

        let killed = try TribCommand.run(
            ["pull"], in: forest.integration.path, environment: ["TRIB_TEST_CRASH_AT": point])
        #expect(killed.status != 0, "killed at \(point)")
        let moved = try #require(try forest.integration.tip("next"))
        #expect(moved != old, "the branch had moved")
        #expect(FileManager.default.fileExists(atPath: journal))
        let status = try forest.integration.git("status", "--porcelain", "--untracked-files=no")
        #expect(status.isEmpty == (point != "branch-moved"), "the work tree follows only after it was updated")
        #expect(try PullLog(repository: repository).entries().isEmpty)

        let next = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(next.status == 0, "\(next.output)\(next.errorOutput)")
        #expect(
            next.output.contains("finished a killed trib pull of next (\(old.abbreviated())..\(moved.abbreviated()))"))
        #expect(next.output.contains("next is up to date"))
        #expect(try forest.integration.tip("next") == moved)
        #expect(try forest.integration.git("status", "--porcelain", "--untracked-files=no") == "")
        let merged = try repository.fileContents(at: "include/mm.h", in: repository.treeOfCommit(moved))
        #expect(
            try String(contentsOfFile: forest.integration.path + "/include/mm.h", encoding: .utf8)
                == String(decoding: try #require(merged), as: UTF8.self))
        for (name, tip) in tips {
            #expect(try repository.referenceTarget("refs/tributary/pulled/\(name)") == tip)
        }
        let entries = try PullLog(repository: repository).entries()
        #expect(entries.map(\.newTip) == [moved] && entries.first?.previousTip == old)
        #expect(!FileManager.default.fileExists(atPath: journal))
        let again = try TribCommand.run(["pull"], in: forest.integration.path)
        #expect(again.status == 0 && !again.output.contains("finished"))
        #expect(try PullLog(repository: repository).entries().count == 1)

        // Killed again, but this time the maintainer puts the branch back by hand before pulling:
        // the journal no longer describes the branch, and is only removed.
        if point == "branch-moved" {
            _ = try forest.integration.git("reset", "-q", "--hard", old.hex)
            _ = try forest.integration.git("update-ref", "-d", "refs/tributary/log")
            let killedAgain = try TribCommand.run(
                ["pull"], in: forest.integration.path, environment: ["TRIB_TEST_CRASH_AT": point])
            #expect(killedAgain.status != 0 && FileManager.default.fileExists(atPath: journal))
            _ = try forest.integration.git("reset", "-q", "--hard", old.hex)
            let fresh = try TribCommand.run(["pull"], in: forest.integration.path)
            #expect(fresh.status == 0, "\(fresh.output)\(fresh.errorOutput)")
            #expect(
                fresh.output.contains(
                    "a killed trib pull had not moved next, or it was moved again since: its journal was removed"))
            let anew = try #require(try forest.integration.tip("next"))
            #expect(try repository.treeOfCommit(anew) == repository.treeOfCommit(moved), "pulled anew: the same tree")
            #expect(try PullLog(repository: repository).entries().map(\.previousTip) == [old])
            #expect(!FileManager.default.fileExists(atPath: journal))
        }
    }

    @Test("a pull killed at 24 random moments leaves the branch old or new, fsck clean, and the index usable")
    func killedPulls() throws {
        let forest = try PlanCommandTests.Forest()
        // A base of 3,000 files, so that each merge takes a while, and 16 trees.
        var files: [String: FileContent] = [:]
        for index in 0..<3000 { files["drivers/d\(index % 40)/f\(index).c"] = .text("int f\(index);\n") }
        try forest.integration.commit("many files", files: files, on: "next", trailers: PullCommandTests.signed)
        try forest.integration.branch("mainline", at: try #require(try forest.integration.tip("next")))
        for number in 0..<16 {
            let tree = try forest.addTree("t\(number)")
            _ = try tree.git("fetch", "-q", forest.integration.path, "+refs/heads/mainline:refs/heads/for-next")
            for commit in 0..<3 {
                try tree.commit(
                    "t\(number): change \(commit)",
                    files: ["drivers/d\(number)/f\(number * 40 + commit).c": "int changed;\n"],
                    on: "for-next", trailers: PullCommandTests.signed)
            }
        }
        _ = try forest.trib(["fetch"])
        // Pull into a bare copy, whose branch has no work tree to follow it.
        let barePath = forest.directory + "/bare.git"
        _ = try forest.integration.git("clone", "-q", "--bare", forest.integration.path, barePath)
        let bareGit = FixtureGit(directory: barePath)
        _ = try bareGit("config", "user.name", "Integration Maintainer")
        _ = try bareGit("config", "user.email", "integration@example.org")
        try FileManager.default.createDirectory(atPath: barePath + "/tributary", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: forest.integration.path + "/.tributary", toPath: barePath + "/tributary/manifest")
        #expect(try TribCommand.run(["fetch"], in: barePath).status == 0)
        let bare = try Repository(at: barePath)

        let started = Date()
        let dry = try TribCommand.run(["pull", "--rebuild", "--dry-run", "--json"], in: barePath)
        let duration = Date().timeIntervalSince(started)
        let report = try JSONSerialization.jsonObject(with: Data(dry.output.utf8)) as! [String: Any]
        let expectedTip = try #require(ObjectID(hex: report["newTip"] as? String ?? ""))
        let expectedTree = try bare.treeOfCommit(expectedTip)

        var random = SeededGenerator(seed: 1234)
        var moved = 0
        for _ in 0..<24 {
            let old = try bare.referenceTarget("refs/heads/next")
            let pid = try Subprocess.startDetached(TribCommand.executable, ["pull", "--rebuild"], in: barePath)
            usleep(UInt32(Double.random(in: 0..<(duration * 1.2), using: &random) * 1_000_000))
            kill(pid, SIGKILL)
            _ = Subprocess.waitForExit(pid)
            let now = try #require(try bare.referenceTarget("refs/heads/next"))
            if now != old {
                #expect(try bare.treeOfCommit(now) == expectedTree, "the branch is old or new, nothing between")
                moved += 1
            }
            let fsck = try bareGit.run(["fsck", "--no-progress", "--no-dangling"])
            #expect(fsck.status == 0 && fsck.text.isEmpty, "\(fsck.text)\(fsck.errorOutput)")
            let plan = try TribCommand.run(["plan", "--no-duplicates"], in: barePath)
            #expect(plan.status <= 1, "the index opens and answers: \(plan.errorOutput)")
        }
        // A pull left to finish after all that works (and takes over any lock left behind).
        let final = try TribCommand.run(["pull", "--rebuild"], in: barePath)
        #expect(final.status == 0, "\(final.output)\(final.errorOutput)")
        #expect(try bare.treeOfCommit(try #require(try bare.referenceTarget("refs/heads/next"))) == expectedTree)
        print("killed pulls: 24, of which the branch had already moved in \(moved)")
    }
}
