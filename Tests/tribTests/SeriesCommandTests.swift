import Foundation
import Git
import GitFixtures
import Testing
import Tributary

#if canImport(Glibc)
    import Glibc
#endif

/// `trib series` on a posting made with git format-patch and a tree that applied it partly.
@Suite struct SeriesCommandTests {
    @Test("a series applied partly: exact patch by patch-id, edited one by its Link:, an ack lost on the way")
    func partialLanding() throws {
        let forest = try PlanCommandTests.Forest()
        let tree = try forest.addTree("one")
        let base = forest.base
        // What was posted.
        let author = Signature(name: "Ada Author", email: "ada@example.org", time: 1_700_000_000)
        try tree.branch("posted", at: base)
        for (number, file) in ["a.c", "b.c", "c.c"].enumerated() {
            try tree.commit(
                "mm: add \(file)", files: ["mm/\(file)": .text("int x\(number);\n")], on: "posted", author: author,
                trailers: [("Signed-off-by", "Ada Author <ada@example.org>")])
        }
        var mbox = try tree.git(
            "format-patch", "--stdout", "--cover-letter", "--thread=shallow", "\(base.hex)..posted")
        let posted = Mbox.messages(in: Array(mbox.utf8)).map { MailMessage($0.bytes) }
        let ids = posted.compactMap(\.messageID)
        #expect(ids.count == 4)
        // A reply acking the first patch.
        mbox += """
            From core@example.org Mon Sep 17 00:00:00 2001
            From: Core Maintainer <core@example.org>
            Subject: Re: [PATCH 1/3] mm: add a.c
            Message-ID: <ack-1@example.org>
            In-Reply-To: <\(ids[1])>
            References: <\(ids[0])> <\(ids[1])>

            > mm: add a.c

            Acked-by: Core Maintainer <core@example.org>

            """
        let mboxPath = forest.directory + "/posted.mbox"
        try mbox.write(toFile: mboxPath, atomically: true, encoding: .utf8)

        // What the tree applied: patch 1 as posted (without the ack), patch 2 edited with its
        // Link:, patch 3 not at all.
        let first = try tree.commit(
            "mm: add a.c", files: ["mm/a.c": "int x0;\n"], on: "for-next", author: author,
            trailers: [("Signed-off-by", "Ada Author <ada@example.org>")])
        let second = try tree.commit(
            "mm: add b.c, fixed", files: ["mm/b.c": "int x1 = 1;\n"], on: "for-next", author: author,
            trailers: [
                ("Signed-off-by", "Ada Author <ada@example.org>"), ("Link", "https://patch.msgid.link/\(ids[2])"),
            ])
        _ = try forest.trib(["fetch"])

        let imported = try forest.trib(["series", "import", mboxPath])
        #expect(imported.contains("5 messages"))
        #expect(try forest.trib(["series", "import", mboxPath]).contains("(imported before)"))

        let list = try forest.trib(["series", "list", "--json"])
        try SchemaValidation.validate(list, schema: "series")
        let document = try JSONSerialization.jsonObject(with: Data(list.utf8)) as! [String: Any]
        let series = try #require((document["series"] as? [[String: Any]])?.first)
        let version = try #require((series["versions"] as? [[String: Any]])?.first)
        let states = try #require(version["states"] as? [String: String])
        #expect(states["one"] == "partial")
        #expect(states["next"] == "not-landed")
        let patches = try #require(version["patches"] as? [[String: Any]])
        let landings = patches.map { ($0["landings"] as? [[String: Any]] ?? []).first }
        #expect(landings[0]?["commit"] as? String == first.hex && landings[0]?["rule"] as? String == "patch-id")
        #expect(landings[1]?["commit"] as? String == second.hex && landings[1]?["rule"] as? String == "message-id")
        #expect(landings[2] == nil)
        #expect(patches[0]["missingInCommit"] as? [String] == ["Acked-by: Core Maintainer <core@example.org>"])

        let show = try forest.trib(["series", "show", String((series["id"] as! String).prefix(6))])
        #expect(show.contains("one: \(first.abbreviated()) (patch-id)"))
        #expect(show.contains("given on the list, missing in the commit: Acked-by: Core Maintainer <core@example.org>"))
        #expect(show.contains("not landed"))
        // trib where: from the commit, from the posting's message-id, from the patch as a file.
        let fromCommit = try forest.trib(["where", first.hex])
        #expect(fromCommit.contains("one: \(first.abbreviated()) \"mm: add a.c\" (patch-id)"))
        #expect(fromCommit.contains("posted: ") && fromCommit.contains("<\(ids[1])>"))
        let fromMessage = try forest.trib(["where", "<\(ids[2])>"])
        #expect(fromMessage.contains("one: \(second.abbreviated()) \"mm: add b.c, fixed\" (message-id)"))
        let patchFile = forest.directory + "/third.patch"
        try tree.git("format-patch", "--stdout", "-1", "posted").write(
            toFile: patchFile, atomically: true, encoding: .utf8)
        let fromFile = try TribCommand.run(["where", "--json", patchFile], in: forest.integration.path)
        #expect(fromFile.status == 0)
        try SchemaValidation.validate(fromFile.output, schema: "where")
        #expect(fromFile.output.contains("\"commits\" : [\n\n  ]") || fromFile.output.contains("\"commits\" : []"))
        let nowhere = try TribCommand.run(["where", "nobody@example.org"], in: forest.integration.path)
        #expect(nowhere.status == 1 && nowhere.output == "nowhere\n")
        // The series' mbox: an answer per patch, and per place how many of them it carries.
        let fromMbox = try TribCommand.run(["where", "--json", mboxPath], in: forest.integration.path)
        #expect(fromMbox.status == 0)
        try SchemaValidation.validate(fromMbox.output, schema: "where-list")
        let mboxText = try forest.trib(["where", mboxPath])
        #expect(mboxText.hasPrefix("== [PATCH 1/3] mm: add a.c\n") && mboxText.hasSuffix("one: partial (2 of 3)\n"))
        // A range: each of its commits.
        let fromRange = try forest.trib(["where", "\(first.hex)~1..\(second.hex)"])
        #expect(fromRange.components(separatedBy: "== ").count == 3 && fromRange.hasSuffix("one: landed (2 of 2)\n"))
        // The index holds only what can be computed again: deleting it, or killing a command
        // while it writes, changes no answer.
        let index = forest.integration.repository.gitDirectory + "tributary/index.sqlite"
        var random = SeededGenerator(seed: 5)
        for _ in 0..<8 {
            try? FileManager.default.removeItem(atPath: index)
            let pid = try Subprocess.startDetached(
                TribCommand.executable, ["series", "list", "--json"], in: forest.integration.path)
            usleep(UInt32.random(in: 0..<150_000, using: &random))
            kill(pid, SIGKILL)
            _ = Subprocess.waitForExit(pid)
            #expect(try forest.trib(["series", "list", "--json"]) == list)
        }
        try FileManager.default.removeItem(atPath: index)
        #expect(try forest.trib(["series", "list", "--json"]) == list)
        // An update reads only what is new (the first, the mainline, which series list does not
        // look in); a rebuild reads everything again, same answers.
        let mainlineRead = try forest.trib(["index", "update"])
        #expect(!mainlineRead.contains(", 0 new,"), "\(mainlineRead)")
        #expect(try forest.trib(["index", "update"]).contains(", 0 new,"))
        try tree.commit("mm: later", files: ["mm/later.c": "later\n"], on: "for-next", author: author)
        _ = try forest.trib(["fetch"])
        #expect(try forest.trib(["index", "update"]).contains(", 0 new,"), "fetch already read it")
        #expect(try forest.trib(["index", "rebuild"]).contains("index rebuilt: "))
        let after = try forest.trib(["series", "list", "--json"])
        #expect(
            after.replacingOccurrences(of: #""tip" : "[0-9a-f]{40}""#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #""commits" : \d+"#, with: "", options: .regularExpression)
                == list.replacingOccurrences(of: #""tip" : "[0-9a-f]{40}""#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #""commits" : \d+"#, with: "", options: .regularExpression))
        // The landings are stored in the index as rows: patch, place, branch, commit, date, rule.
        let stored = try IndexDatabase(repository: forest.integration.repository).landings()
        #expect(
            stored.map { "\($0.messageID) \($0.place) \($0.branch) \($0.commit.hex) \($0.rule)" }.sorted()
                == [
                    "\(ids[1]) one for-next \(first.hex) patch-id", "\(ids[2]) one for-next \(second.hex) message-id",
                ].sorted())
        let committed = try forest.integration.repository.commit(first).committer.time
        #expect(stored.first { $0.commit == first }?.date == committed)
        let filtered = try forest.trib(["series", "list", "--tree", "one", "--state", "landed"])
        #expect(filtered.contains("no series"))
    }

    @Test("a broken mbox: a warning per bad message, and the rest imported")
    func brokenMbox() throws {
        let forest = try PlanCommandTests.Forest()
        var mbox = """
            From a Mon Jan  1 00:00:00 2026
            From: Ada Author <ada@example.org>
            Subject: [PATCH] mm: a good patch
            Message-ID: <good@example.org>

            Fix it.
            ---
            diff --git a/mm/a.c b/mm/a.c
            --- a/mm/a.c
            +++ b/mm/a.c
            @@ -1 +1 @@
            -a
            +b

            From b Mon Jan  1 00:00:00 2026
            this is not a header
            Subject: no message id

            body
            From c Mon Jan  1 00:00:00 2026

            """
        var bytes = Array(mbox.utf8)
        bytes += (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        mbox = "\nFrom d Mon Jan  1 00:00:00 2026\nSubject: huge\nMessage-ID: <huge@example.org>\n\n"
        bytes += Array(mbox.utf8) + Array(repeating: 0x61, count: 10_000_000)
        bytes += Array("\nFrom e Mon Jan  1 00:00:00 2026\nSubject: truncated".utf8)
        let path = forest.directory + "/broken.mbox"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try TribCommand.run(["series", "import", path], in: forest.integration.path)
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.output.contains("5 messages"))
        let warnings = result.errorOutput.split(separator: "\n").filter { $0.contains("warning:") }
        #expect(warnings.count >= 3, "\(result.errorOutput)")
        #expect(result.errorOutput.contains("no Message-ID header"))
        let list = try forest.trib(["series", "list"])
        #expect(list.contains("mm: a good patch"))
    }

    @Test("series are found in the trees themselves: Link:s to one posting, and merges of a patch series")
    func discovered() throws {
        let forest = try PlanCommandTests.Forest()
        let tree = try forest.addTree("one")
        for number in 1...2 {
            try tree.commit(
                "mm: linked \(number)", files: ["mm/l\(number).c": "l\n"], on: "for-next",
                trailers: [("Link", "https://patch.msgid.link/20260101120000.\(number)-ada@example.org")])
        }
        try tree.branch("topic", at: forest.base)
        try tree.commit("topic: one", files: ["mm/t1.c": "t\n"], on: "topic")
        try tree.commit("topic: two", files: ["mm/t2.c": "t\n"], on: "topic")
        let merge = try tree.merge("topic", into: "for-next", message: "Merge patch series \"mm: topic\"")
        _ = try forest.trib(["fetch"])
        let text = try forest.trib(["series", "list", "--discovered", "--tree", "one"])
        #expect(
            text
                == "one  posting  2 commits  20260101120000@example.org\none  merge  2 commits  Merge patch series \"mm: topic\"\n"
        )
        let json = try forest.trib(["series", "list", "--discovered", "--json"])
        #expect(json.contains(merge.hex))
        // Once the posting is imported, the series found by its Link:s is joined with it.
        var mbox = ""
        for number in 1...2 {
            mbox += """
                From ada@example.org Thu Jan  1 12:00:00 2026
                From: Ada Author <ada@example.org>
                Subject: [PATCH \(number)/2] mm: linked \(number)
                Date: Thu, 1 Jan 2026 12:00:0\(number) +0000
                Message-ID: <20260101120000.\(number)-ada@example.org>

                Linked.
                ---
                diff --git a/mm/l\(number).c b/mm/l\(number).c
                new file mode 100644
                --- /dev/null
                +++ b/mm/l\(number).c
                @@ -0,0 +1 @@
                +posted

                """
        }
        try mbox.write(toFile: forest.directory + "/linked.mbox", atomically: true, encoding: .utf8)
        _ = try forest.trib(["series", "import", forest.directory + "/linked.mbox"])
        let listed = try forest.trib(["series", "list", "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(listed.utf8)) as! [String: Any]
        let id = try #require((document["series"] as? [[String: Any]])?.first?["id"] as? String)
        let joined = try forest.trib(["series", "list", "--discovered", "--tree", "one"])
        #expect(joined.hasPrefix("one  posting  2 commits  20260101120000@example.org  mailed as \(id)\n"), "\(joined)")
    }

    @Test("series route: by file, Message-ID and id, JSON in its schema; 1 where it does not apply, 2 for no series")
    func route() throws {
        let forest = try PlanCommandTests.Forest()
        let tree = try forest.addTree("slab", owns: "SLAB")
        let author = Signature(name: "Ada Author", email: "ada@example.org", time: 1_700_000_000)
        try tree.branch("posted", at: forest.base)
        try tree.commit(
            "mm/slab: shout", files: ["mm/slab.c": "SLAB\n"], on: "posted", author: author,
            trailers: [("Signed-off-by", "Ada Author <ada@example.org>")])
        let mbox = try tree.git(
            "format-patch", "--stdout", "--cover-letter", "--thread=shallow", "\(forest.base.hex)..posted")
        let path = forest.directory + "/posted.mbox"
        try mbox.write(toFile: path, atomically: true, encoding: .utf8)
        _ = try forest.trib(["fetch"])

        let text = try forest.trib(["series", "route", path])
        #expect(text.contains("\nroute: slab\n"), "\(text)")
        #expect(text.contains("  slab  applies cleanly\n"), "\(text)")
        let json = try forest.trib(["series", "route", "--json", path])
        try SchemaValidation.validate(json, schema: "route")
        let route = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect((route["decision"] as? [String: Any])?["place"] as? String == "slab")
        #expect(route["series"].flatMap { ($0 as? [String: Any])?["id"] } == nil)

        _ = try forest.trib(["series", "import", path])
        let cover = try #require(Mbox.messages(in: Array(mbox.utf8)).first.flatMap { MailMessage($0.bytes).messageID })
        let byMessageID = try forest.trib(["series", "route", "<\(cover)>"])
        #expect(byMessageID.hasSuffix(text.split(separator: "\n", maxSplits: 1)[1] + ""), "\(byMessageID)")
        let listed = try forest.trib(["series", "list"])
        #expect(listed.contains("    routing: slab (applies)\n"), "\(listed)")

        // Once the tree has taken it, it is there already, as git am says ("No changes").
        try tree.git("update-ref", "refs/heads/for-next", "posted")
        _ = try forest.trib(["fetch"])
        let again = try forest.trib(["series", "route", path])
        #expect(again.contains("  slab  already there (every patch)\n"), "\(again)")
        #expect(again.contains("  - this version is in slab already (landed)\n"), "\(again)")

        let nowhere = """
            From ada@example.org Mon Sep 17 00:00:00 2001
            From: Ada Author <ada@example.org>
            Subject: [PATCH] mm/slab: change a file nobody has
            Message-ID: <nowhere@example.org>

            Signed-off-by: Ada Author <ada@example.org>
            ---
            diff --git a/mm/none.c b/mm/none.c
            index 1234567..89abcde 100644
            --- a/mm/none.c
            +++ b/mm/none.c
            @@ -1 +1 @@
            -none
            +NONE

            """
        try nowhere.write(toFile: forest.directory + "/nowhere.mbox", atomically: true, encoding: .utf8)
        let refused = try forest.trib(["series", "route", forest.directory + "/nowhere.mbox"], expecting: 1)
        #expect(
            refused.contains("  slab  fails: patch 1 fails in mm/none.c (it does not exist), and the blobs"),
            "\(refused)")
        _ = try forest.trib(["series", "route", "nosuch"], expecting: 2)
        try "garbage\n".write(toFile: forest.directory + "/empty.mbox", atomically: true, encoding: .utf8)
        _ = try forest.trib(["series", "route", forest.directory + "/empty.mbox"], expecting: 2)
    }
}
