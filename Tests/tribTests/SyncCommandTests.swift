import Foundation
import Git
import GitFixtures
import Testing

/// `trib sync` on a sub-tree branch whose commits partly landed upstream.
@Suite struct SyncCommandTests {
    static let ada = Signature(name: "Ada Author", email: "ada@example.org", time: 1_700_000_000)

    /// `mainline` with the branch `work` on it; upstream then takes one commit as it was and one
    /// edited, and gains an unrelated one.
    static func repository() throws -> (FixtureRepository, exact: ObjectID, edited: ObjectID, kept: ObjectID) {
        let fixture = try FixtureRepository(initialBranch: "mainline")
        _ = try fixture.git("config", "user.name", "Sub Maintainer")
        _ = try fixture.git("config", "user.email", "sub@example.org")
        let base = try fixture.commit(
            "base", files: ["a.c": "a\n", "b.c": "int b;\nint b2;\nint b3;\n", "x.c": "x\n"], on: "mainline")
        let exact = try fixture.commit("mm: fix a", files: ["a.c": "a fixed\n"], on: "work", from: base, author: ada)
        let edited = try fixture.commit(
            "mm: fix b", files: ["b.c": "long b_fixed;\nlong b2_fixed;\nint b3;\n"], on: "work", author: ada)
        let kept = try fixture.commit("mm: add c", files: ["c.c": "c\n"], on: "work", author: ada)
        try fixture.commit("mm: fix a", files: ["a.c": "a fixed\n"], on: "mainline", author: ada)
        // Taken with one of its two changed lines edited.
        try fixture.commit(
            "mm: fix b", files: ["b.c": "long b_fixed;\nlong b2_fixed_better;\nint b3;\n"], on: "mainline",
            author: ada)
        try fixture.commit("unrelated", files: ["u.c": "u\n"], on: "mainline")
        return (fixture, exact, edited, kept)
    }

    @Test("commits already upstream are dropped, exact and edited; the rest moves with a backup and a reflog entry")
    func dropsUpstreamed() throws {
        let (fixture, exact, edited, kept) = try Self.repository()
        let repository = fixture.repository
        let before = try #require(try fixture.tip("work"))
        let dry = try TribCommand.run(["sync", "work", "--onto", "mainline", "--dry-run"], in: fixture.path)
        #expect(dry.status == 0)
        #expect(dry.output.hasPrefix("base ") && dry.output.contains(": in the new base\n"))
        #expect(try fixture.tip("work") == before)
        let result = try TribCommand.run(["sync", "work", "--onto", "mainline", "--json"], in: fixture.path)
        #expect(result.status == 0, "\(result.errorOutput)")
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        let commits = try #require(report["commits"] as? [[String: Any]])
        #expect(commits.map { $0["commit"] as? String } == [exact.hex, edited.hex, kept.hex])
        #expect(commits.map { $0["outcome"] as? String } == ["dropped", "dropped", "kept"])
        #expect(commits.map { $0["rule"] as? String } == ["patch-id", "content", nil])
        let tip = try #require(try fixture.tip("work"))
        let newCommit = try repository.commit(tip)
        #expect(newCommit.parents == [try #require(try fixture.tip("mainline"))])
        #expect(newCommit.summary == "mm: add c" && newCommit.author == Self.ada)
        #expect(try repository.fileContents(at: "c.c", in: newCommit.tree) == Array("c\n".utf8))
        let backup = try #require(report["backup"] as? String)
        #expect(try repository.referenceTarget(backup) == before)
        #expect(try repository.reflog(of: "refs/heads/work").first?.message.hasPrefix("trib sync: onto ") == true)
    }

    @Test("a commit that becomes empty on the new base is dropped as git rebase drops it, naming the upstream commit")
    func becomesEmpty() throws {
        let fixture = try FixtureRepository(initialBranch: "mainline")
        _ = try fixture.git("config", "user.name", "Sub Maintainer")
        _ = try fixture.git("config", "user.email", "sub@example.org")
        let lines = (1...8).map { "d\($0)\n" }
        let base = try fixture.commit("base", files: ["d.c": .text(lines.joined())], on: "mainline")
        var tidied = lines
        tidied[1] = "d2 tidied\n"
        let tidy = try fixture.commit(
            "mm: tidy d", files: ["d.c": .text(tidied.joined())], on: "work", from: base, author: Self.ada)
        let keep = try fixture.commit("mm: add e", files: ["e.c": "e\n"], on: "work", author: Self.ada)
        // Upstream reworked d.c, the same line 2 among others, by someone else under another title.
        var reworked = tidied
        reworked[4] = "d5 reworked\n"
        try fixture.commit(
            "mm: rework d", files: ["d.c": .text(reworked.joined())], on: "mainline",
            author: Signature(name: "Rita Reworker", email: "rita@example.org", time: 1_700_000_000))
        let rework = try #require(try fixture.tip("mainline"))
        try fixture.commit("unrelated", files: ["u.c": "u\n"], on: "mainline")

        let text = try TribCommand.run(["sync", "work", "--onto", "mainline", "--dry-run"], in: fixture.path)
        #expect(
            text.output.contains(
                "dropped  \(tidy.abbreviated()) \"mm: tidy d\": became empty on the new base, upstream as \(rework.abbreviated())\n"
            ), "\(text.output)")
        let result = try TribCommand.run(["sync", "work", "--onto", "mainline", "--json"], in: fixture.path)
        #expect(result.status == 0, "\(result.errorOutput)")
        try SchemaValidation.validate(result.output, schema: "sync")
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        let commits = try #require(report["commits"] as? [[String: Any]])
        #expect(commits.map { $0["commit"] as? String } == [tidy.hex, keep.hex])
        #expect(commits.map { $0["outcome"] as? String } == ["dropped", "kept"])
        #expect(commits.first?["becameEmpty"] as? Bool == true)
        #expect(commits.first?["upstream"] as? String == rework.hex)
        // As git rebase: the commit that became empty is gone, the other replayed.
        let tip = try #require(try fixture.tip("work"))
        #expect(try fixture.repository.commit(tip).parents == [try #require(try fixture.tip("mainline"))])
        #expect(try fixture.git("log", "--format=%s", "mainline..work") == "mm: add e\n")

    }

    @Test("a conflicting commit is reported and nothing moves; a dirty checked-out branch is refused")
    func conflictAndDirty() throws {
        let (fixture, _, _, _) = try Self.repository()
        try fixture.commit("work: x", files: ["x.c": "x from work\n"], on: "work", author: Self.ada)
        try fixture.commit("mainline: x", files: ["x.c": "x from mainline\n"], on: "mainline")
        let before = try #require(try fixture.tip("work"))
        let result = try TribCommand.run(["sync", "work", "--onto", "mainline"], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.output.contains("CONFLICT") && result.output.contains("x.c"))
        #expect(result.output.contains("work: conflicts; nothing was changed"))
        #expect(try fixture.tip("work") == before)
        #expect(try fixture.repository.references(matching: "refs/tributary/backup/*").isEmpty)

        _ = try fixture.git("checkout", "-q", "work")
        try "dirty\n".write(toFile: fixture.path + "/a.c", atomically: true, encoding: .utf8)
        let dirty = try TribCommand.run(["sync", "--onto", "mainline"], in: fixture.path)
        #expect(dirty.status == 2 && dirty.errorOutput.contains("has changes (a.c)"))
        #expect(try fixture.tip("work") == before)
    }

    @Test("a sync killed after moving the checked-out branch is finished by the next one")
    func killedAfterTheMove() throws {
        let (fixture, _, _, _) = try Self.repository()
        _ = try fixture.git("checkout", "-q", "work")
        let before = try #require(try fixture.tip("work"))
        let journal = fixture.repository.gitDirectory + "tributary/move-journal.json"
        let killed = try TribCommand.run(
            ["sync", "--onto", "mainline"], in: fixture.path, environment: ["TRIB_TEST_CRASH_AT": "branch-moved"])
        #expect(killed.status != 0)
        let moved = try #require(try fixture.tip("work"))
        #expect(moved != before && FileManager.default.fileExists(atPath: journal))
        #expect(try fixture.git("status", "--porcelain", "--untracked-files=no") != "", "the work tree was left behind")

        let next = try TribCommand.run(["sync", "--onto", "mainline"], in: fixture.path)
        #expect(next.status == 0, "\(next.output)\(next.errorOutput)")
        #expect(
            next.output.contains(
                "finished a killed trib sync of work (\(before.abbreviated())..\(moved.abbreviated())): the work tree now follows work"
            ))
        #expect(try fixture.git("status", "--porcelain", "--untracked-files=no") == "")
        #expect(try String(contentsOfFile: fixture.path + "/c.c", encoding: .utf8) == "c\n")
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(try fixture.tip("work") == moved, "nothing more to drop or replay")
        #expect(next.output.contains("work is up to date: already on "))
        #expect(try fixture.repository.references(matching: "refs/tributary/backup/*").count == 1)
    }
}
