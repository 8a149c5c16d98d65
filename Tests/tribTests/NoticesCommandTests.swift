import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// `trib notices` on the demo forest: every kind of notice once, with its recipients and
/// threading, read back with the project's mail parser and with `git mailinfo`; nothing twice; an
/// update when a resolution changes; delivery through a sendmail stand-in, and a failing one.
@Suite(.serialized) struct NoticesCommandTests {
    /// The demo forest with [notices] set, its integration branch put back to the base (so the
    /// trees' series are not in it), and one tree contact with a hostile and one with a non-ASCII
    /// name.
    final class Demo {
        let directory: String
        var mm: String { directory + "/mm" }

        init() throws {
            directory =
                FileManager.default.temporaryDirectory.appendingPathComponent("trib-notices-\(UUID().uuidString)").path
            let built = try TribCommand.run(["demo", directory], in: FileManager.default.temporaryDirectory.path)
            #expect(built.status == 0, "\(built.errorOutput)")
            var manifest = try String(contentsOfFile: mm + "/.tributary", encoding: .utf8)
            manifest += """
                [notices]
                \tfrom = MM Integration <mm-integration@example.org>
                \tto = mm-notices@example.org

                """
            try manifest.write(toFile: mm + "/.tributary", atomically: true, encoding: .utf8)
            try git(
                "config", "-f", ".tributary", "--add", "tree.thp.contact",
                "Evil\nBcc: victim@example.org <thp-contact@example.org>")
            try git("config", "-f", ".tributary", "--add", "tree.vma.contact", "Jürgen Müller <jm@example.org>")
            let base = try git("rev-parse", "v7.0-rc1").trimmingCharacters(in: .whitespacesAndNewlines)
            try git("update-ref", "refs/heads/mm-next", base)
            try git("reset", "-q", "--hard", "mm-next")
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        @discardableResult
        func git(_ arguments: String...) throws -> String {
            let result = try Subprocess.run("git", arguments, in: mm)
            #expect(result.status == 0, "git \(arguments): \(result.errorOutput)")
            return result.text
        }

        func trib(_ arguments: [String], expecting status: Int32 = 0, environment: [String: String] = [:]) throws
            -> String
        {
            let result = try TribCommand.run(arguments, in: mm, environment: environment)
            #expect(result.status == status, "trib \(arguments): \(result.errorOutput)\(result.output)")
            return result.output
        }

        /// The messages of an mbox, parsed by the project's mail parser.
        func messages(_ path: String) throws -> [MailMessage] {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            return Mbox.messages(in: bytes).map { MailMessage($0.bytes) }
        }
    }

    static func notice(_ messages: [MailMessage], _ idPart: String) -> MailMessage? {
        messages.first { $0.header("Message-ID")?.contains("trib.\(idPart).") == true }
    }

    @Test("every kind once, with recipients and threading; nothing twice; an update when a resolution changes")
    func everyKind() throws {
        let demo = try Demo()
        let first = try demo.trib(["notices", "--out", demo.directory + "/first.mbox", "--as-of", "2026-04-01"])
        #expect(first.contains("wrote 3 notices"), "\(first)")
        let messages = try demo.messages(demo.directory + "/first.mbox")
        // The conflict note: to the thp tree's people, the list in Cc, the resolution as a diff.
        let conflict = try #require(Self.notice(messages, "conflict"))
        #expect(conflict.header("Subject") == "manual merge of the thp tree with the vma tree")
        #expect(conflict.header("To")?.contains("thp-contact@example.org") == true)
        #expect(conflict.header("Cc")?.contains("mm-notices@example.org") == true)
        // The files' people, as `trib who` (get_maintainer.pl) answers for them, are in To or Cc.
        let who = try demo.trib(["who", "include/linux/mm.h", "mm/huge_memory.c"])
        let addressed = (conflict.header("To") ?? "") + ", " + (conflict.header("Cc") ?? "")
        for line in who.split(separator: "\n") {
            let address = String(line.split(separator: " (").first!)
            #expect(addressed.contains(address), "\(address) not in \(addressed)")
        }
        #expect(conflict.body.contains("resolution of include/linux/mm.h") && conflict.body.contains("-<<<<<<<"))
        // The hostile contact adds no header; the name is kept, quoted, on the To line.
        #expect(conflict.header("Bcc") == nil)
        #expect(conflict.header("To")?.contains("\"Evil Bcc: victim@example.org\" <thp-contact@example.org>") == true)
        // The review nudge answers the posting; the digest goes to the list.
        let nudge = try #require(Self.notice(messages, "review-wait"))
        #expect(nudge.header("In-Reply-To") == "<20260312090000.1-slab-contributor@example.org>")
        #expect(nudge.header("References") == "<20260312090000.1-slab-contributor@example.org>")
        #expect(nudge.header("To") == "mm-notices@example.org")
        // The posting went to linux-mm@example.org: the nudge goes there too.
        #expect(nudge.header("Cc") == "slab-contributor@example.org, linux-mm@example.org")
        let digest = try #require(Self.notice(messages, "summary"))
        #expect(digest.header("Subject") == "mm-next: Tree for 2026-04-01")

        // Again: nothing new.
        #expect(try demo.trib(["notices", "--as-of", "2026-04-01"]) == "no notices due\n")

        // A build break found by trib verify.
        _ = try demo.trib(
            ["verify", "--command", "! grep -q VM_HUGEPAGE mm/huge_memory.c", "--no-confirm"], expecting: 1)
        // The series: compared with a report in which some were elsewhere, or an older version.
        let baseline = try demo.git("show", "refs/tributary/notices:baseline.json")
        var report = try JSONSerialization.jsonObject(with: Data(baseline.utf8)) as! [String: Any]
        var series = report["series"] as! [[String: Any]]
        func edit(_ key: String, _ change: (inout [String: Any]) -> Void) {
            let index = series.firstIndex { $0["key"] as? String == key }!
            change(&series[index])
        }
        let thpFix = series.first { $0["key"] as? String == "5e2fc67fc370" }!
        let thpCommits = (thpFix["commits"] as! [String: [String]])["thp"]!
        edit("5e2fc67fc370") { row in  // not in thp before: applied now
            var states = row["states"] as! [String: String]
            states["thp"] = "not-landed"
            row["states"] = states
        }
        edit("fe73235d6031") { row in  // in vma before, in thp now: moved
            var states = row["states"] as! [String: String]
            states["thp"] = "not-landed"
            states["vma"] = "landed"
            row["states"] = states
            row["commits"] = ["vma": thpCommits]
        }
        edit("ed4f37ea6fb6") { row in  // in slab before, gone from it now: dropped (rewound)
            var states = row["states"] as! [String: String]
            states["slab"] = "landed"
            row["states"] = states
        }
        edit("97c7b8e23f07") { row in row["version"] = 3 }  // v4 posted since: superseded
        report["series"] = series
        let edited = demo.directory + "/baseline.json"
        try JSONSerialization.data(withJSONObject: report).write(to: URL(fileURLWithPath: edited))
        let second = try demo.trib([
            "notices", "--since", edited, "--format", "eml", "--out", demo.directory + "/second", "--as-of",
            "2026-04-02",
        ])
        #expect(second.contains("wrote 6 notices"), "\(second)")
        let files = try FileManager.default.contentsOfDirectory(atPath: demo.directory + "/second").sorted()
        let parsed = try files.map {
            MailMessage(Array(try Data(contentsOf: URL(fileURLWithPath: demo.directory + "/second/" + $0))))
        }
        let kinds = parsed.compactMap {
            $0.header("Message-ID")?.split(separator: ".").dropFirst().first.map(String.init)
        }
        #expect(Set(kinds) == ["build", "applied", "moved", "dropped", "superseded", "summary"], "\(kinds)")
        let build = try #require(Self.notice(parsed, "build"))
        #expect(build.header("Subject") == "build failure after merge of the thp tree")
        #expect(build.body.contains("Caused by commit"))
        let applied = try #require(Self.notice(parsed, "applied"))
        #expect(applied.header("To") == "thp-contributor@example.org")
        #expect(applied.header("Cc")?.contains("linux-mm@example.org") == true)  // the posting's To
        #expect(applied.header("In-Reply-To") == "<20260305090000.1-thp-contributor@example.org>")
        #expect(
            applied.body.contains("applied to the thp tree, as posted")
                && applied.body.contains(thpCommits[0].prefix(12)))
        let moved = try #require(Self.notice(parsed, "moved"))
        #expect(moved.body.contains("moved from the vma tree to the thp tree"))
        // The non-ASCII contact of vma is an encoded-word, and the parser reads it back.
        #expect(moved.header("Cc")?.contains("Jürgen Müller <jm@example.org>") == true)
        let dropped = try #require(Self.notice(parsed, "dropped"))
        #expect(dropped.body.contains("no longer in the slab tree: the tree was rewound without it"))
        #expect(try #require(Self.notice(parsed, "superseded")).body.contains("(v3 → v4)"))
        // git mailinfo reads each the same way.
        for (file, message) in zip(files, parsed) {
            let info = try Subprocess.run(
                "git", ["mailinfo", "/dev/null", "/dev/null"],
                input: try Data(contentsOf: URL(fileURLWithPath: demo.directory + "/second/" + file)))
            let subject = message.header("Subject")!.replacingOccurrences(of: "Re: ", with: "")
            #expect(info.text.contains("Subject: \(subject)"), "\(file): \(info.text)")
        }

        // The conflict's resolution changes: an update, threaded as a new message.
        let store = ResolutionStore(repository: try Repository(at: demo.mm))
        var resolution = try #require(try store.resolutions().values.first { $0.path == "include/linux/mm.h" })
        resolution.postimage += Array("/* resolved again */\n".utf8)
        _ = try store.record([resolution], message: "test: another resolution")
        let third = try demo.trib(["notices", "--as-of", "2026-04-02"])
        #expect(third.hasPrefix("conflict (update)  conflict/thp\n  Subject: [update] manual merge"), "\(third)")
    }

    @Test("an .eml still in the outbox is withdrawn once it stops being true; due again when it is true again")
    func withdrawal() throws {
        let demo = try Demo()
        let breaks = ["verify", "--command", "! grep -q VM_HUGEPAGE mm/huge_memory.c", "--no-confirm"]
        _ = try demo.trib(breaks, expecting: 1)
        let outbox = demo.directory + "/outbox"
        _ = try demo.trib(["notices", "--format", "eml", "--out", outbox, "--as-of", "2026-04-01"])
        let build = try #require(
            try FileManager.default.contentsOfDirectory(atPath: outbox).first { $0.contains("build-thp") })
        // Fixed before anyone sent it: withdrawn, its file removed; the others stay.
        _ = try demo.trib(["verify", "--command", "true"])
        let second = try demo.trib(["notices", "--as-of", "2026-04-01"])
        #expect(second.hasPrefix("withdrawn build/thp: no longer true (removed \(outbox)/\(build))\n"), "\(second)")
        #expect(second.hasSuffix("no notices due\n"), "\(second)")
        #expect(!FileManager.default.fileExists(atPath: outbox + "/" + build))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox).count == 3)
        // Broken again: due again.
        _ = try demo.trib(
            ["verify", "--command", "! grep -q VM_HUGEPAGE mm/huge_memory.c", "--no-confirm", "--log-kilobytes", "1"],
            expecting: 1)
        #expect(try demo.trib(["notices", "--as-of", "2026-04-01"]).contains("build  build/thp\n"))
        _ = try demo.trib(["notices", "--format", "eml", "--out", outbox, "--as-of", "2026-04-01"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: outbox).sorted() == [
                "build-thp.eml", "conflict-thp.eml", "review-wait-ffba0e6e25d5-v1.eml", "summary-2026-04-01.eml",
            ])
        // An update replaces the message it updates while that still waits in the outbox.
        let store = ResolutionStore(repository: try Repository(at: demo.mm))
        var resolution = try #require(try store.resolutions().values.first { $0.path == "include/linux/mm.h" })
        resolution.postimage += Array("/* resolved again */\n".utf8)
        _ = try store.record([resolution], message: "test: another resolution")
        let update = try demo.trib(["notices", "--format", "eml", "--out", outbox, "--as-of", "2026-04-01"])
        #expect(update == "wrote 1 notice to \(outbox)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox).count == 4)
        let replaced = try String(contentsOfFile: outbox + "/conflict-thp.eml", encoding: .utf8)
        #expect(
            replaced.contains("Subject: [update] manual merge of the thp tree") && replaced.contains("resolved again"))
        // An mbox --out onto a directory, or an outbox onto a file, is refused before anything.
        let refused = try TribCommand.run(["notices", "--out", outbox], in: demo.mm)
        #expect(refused.status == 2 && refused.errorOutput.contains("is a directory"), "\(refused.errorOutput)")

        // The pull request of thp notes its conflict with vma, merged before it, and the resolution.
        let request = try demo.trib(["request-pull", "thp"], expecting: 1)
        #expect(
            request.contains(
                "Note: merging this after the vma tree conflicts in include/linux/mm.h, mm/huge_memory.c; the resolution recorded:"
            ), "\(request)")
        #expect(request.contains("resolution of include/linux/mm.h") && request.contains("+#define VM_HUGEPAGE"))
        let json = try TribCommand.run(["request-pull", "thp", "--json"], in: demo.mm).output
        try SchemaValidation.validate(json, schema: "request-pull")
    }

    @Test("--send hands each message to the mail program; a failing one leaves it unrecorded, due next time")
    func sending() throws {
        let demo = try Demo()
        let spool = demo.directory + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let program = demo.directory + "/sendmail"
        try """
        #!/bin/sh
        [ -e "\(demo.directory)/refuse" ] && { echo "refused" >&2; exit 75; }
        n=$(ls "\(spool)" | wc -l)
        printf '%s\\n' "$@" > "\(spool)/$n.args"
        cat > "\(spool)/$n.eml"

        """.write(toFile: program, atomically: true, encoding: .utf8)
        chmod(program, 0o755)
        try demo.git("config", "sendemail.sendmailCmd", program)
        // What is due, as JSON (nothing recorded by listing).
        let listed =
            try JSONSerialization.jsonObject(
                with: Data(try demo.trib(["notices", "--json", "--as-of", "2026-04-01"]).utf8)) as! [[String: Any]]
        let due = listed.map { ($0["mail"] as! [String: Any])["messageID"] as! String }
        try SchemaValidation.validate(try demo.trib(["notices", "--json", "--as-of", "2026-04-01"]), schema: "notices")
        #expect(due.count == 3)
        FileManager.default.createFile(atPath: demo.directory + "/refuse", contents: Data())
        _ = try demo.trib(["notices", "--send", "--as-of", "2026-04-01"], expecting: 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool).isEmpty)
        // Refused: nothing recorded, so the same messages are due.
        try FileManager.default.removeItem(atPath: demo.directory + "/refuse")
        let sent = try demo.trib(["notices", "--send", "--as-of", "2026-04-01"])
        #expect(
            sent.contains("sent conflict/thp to ") && sent.contains("sent summary/2026-04-01 to mm-notices@example.org")
        )
        let written = try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasSuffix(".eml") }
            .sorted()
        #expect(written.count == 3)
        // The messages that were due, and the recipients as arguments after -i.
        let spooled = try written.map {
            MailMessage(Array(try Data(contentsOf: URL(fileURLWithPath: spool + "/" + $0)))).header("Message-ID")!
        }
        #expect(Set(spooled) == Set(due.map { "<\($0)>" }))
        let arguments = try String(contentsOfFile: spool + "/0.args", encoding: .utf8)
        #expect(arguments.hasPrefix("-i\n"))
        #expect(arguments.contains("thp-contact@example.org\n") && arguments.contains("mm-notices@example.org\n"))
        let message = MailMessage(Array(try Data(contentsOf: URL(fileURLWithPath: spool + "/0.eml"))))
        #expect(message.header("From") == "MM Integration <mm-integration@example.org>")
        #expect(try demo.trib(["notices", "--as-of", "2026-04-01"]) == "no notices due\n")
    }
}
