import CSpawn
import Foundation
import Git
import GitFixtures
import Testing

/// `trib verify` and `trib pull --verify` on forests whose base holds a small C program built by
/// the system's `cc`: a tree that breaks the build alone, two that break it only together (in
/// both merge orders), a flaky command, a timeout, and a verify killed with SIGKILL.
@Suite struct VerifyCommandTests {
    typealias Forest = PlanCommandTests.Forest
    static let signed = PlanCommandTests.signed
    /// Builds every C file with warnings about undeclared functions as errors, and runs the result.
    static let build = "cc -Werror=implicit-function-declaration -o prog *.c && ./prog"

    static let program: [String: FileContent] = [
        "api.h": "int helper(void);\n",
        "helper.c": "#include \"api.h\"\nint helper(void) { return 42; }\n",
        "main.c": "#include \"api.h\"\nint main(void) { return helper() == 42 ? 0 : 1; }\n",
    ]

    /// A forest whose mainline and integration branch hold the program, the branch checked out,
    /// and the build as the manifest's `[verify]` command.
    static func forest(command: String = build) throws -> Forest {
        let forest = try Forest()
        let base = try forest.integration.commit("the program", files: program, on: "next", trailers: signed)
        _ = try forest.integration.git("branch", "-f", "mainline", base.hex)
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        _ = try forest.integration.git(
            "config", "-f", forest.integration.path + "/.tributary", "verify.command", command)
        return forest
    }

    /// A tree with three commits, the second of which breaks the build (a syntax error).
    static func breakingTree(_ forest: Forest, _ name: String) throws -> ObjectID {
        let tree = try forest.addTree(name)
        try tree.commit("\(name): notes", files: ["NOTES.\(name)": "one\n"], on: "for-next", trailers: signed)
        let bad = try tree.commit(
            "\(name): helper returns 43", files: ["helper.c": "#include \"api.h\"\nint helper(void) { return 42 }\n"],
            on: "for-next", trailers: signed)
        try tree.commit("\(name): more notes", files: ["NOTES.\(name)": "two\n"], on: "for-next", trailers: signed)
        return bad
    }

    /// A tree that renames helper() to compute() everywhere it is called: builds alone.
    static func renamingTree(_ forest: Forest, _ name: String) throws -> ObjectID {
        let tree = try forest.addTree(name)
        return try tree.commit(
            "\(name): helper becomes compute",
            files: [
                "api.h": "int compute(void);\n",
                "helper.c": "#include \"api.h\"\nint compute(void) { return 42; }\n",
                "main.c": "#include \"api.h\"\nint main(void) { return compute() == 42 ? 0 : 1; }\n",
            ], on: "for-next", trailers: signed)
    }

    /// A tree that adds a new caller of helper(): builds alone, not with the rename.
    static func callingTree(_ forest: Forest, _ name: String) throws -> ObjectID {
        let tree = try forest.addTree(name)
        try tree.commit("\(name): docs", files: ["README.\(name)": "docs\n"], on: "for-next", trailers: signed)
        return try tree.commit(
            "\(name): a second caller",
            files: ["extra.c": "#include \"api.h\"\nint twice(void) { return 2 * helper(); }\n"], on: "for-next",
            trailers: signed)
    }

    static func verify(_ forest: Forest, _ arguments: [String] = [], expecting status: Int32) throws -> [String: Any] {
        let result = try TribCommand.run(["verify", "--json"] + arguments, in: forest.integration.path)
        #expect(result.status == status, "\(result.errorOutput)\(result.output)")
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
    }

    static func firstCommand(_ report: [String: Any]) -> [String: Any] {
        (report["commands"] as! [[String: Any]])[0]
    }

    @Test("a tree that breaks the build alone: found, with the commit; a rerun runs nothing")
    func breaksAlone() throws {
        let forest = try Self.forest()
        for name in ["one", "two"] {
            let tree = try forest.addTree(name)
            try tree.commit("\(name): file", files: ["\(name).txt": "x\n"], on: "for-next", trailers: Self.signed)
        }
        let bad = try Self.breakingTree(forest, "bad")
        _ = try forest.trib(["fetch"])
        let report = try Self.verify(forest, expecting: 1)
        #expect(report["verdict"] as? String == "broken")
        let command = Self.firstCommand(report)
        let culprit = command["culprit"] as! [String: Any]
        #expect(culprit["tree"] as? String == "bad")
        #expect(culprit["commit"] as? String == bad.hex)
        #expect(culprit["alone"] as? Bool == true)
        #expect(culprit["partner"] == nil)
        let failure = command["failure"] as! [String: Any]
        #expect(failure["outcome"] as? String == "failed")
        #expect((failure["excerpt"] as! String).contains("error"))
        #expect(FileManager.default.fileExists(atPath: failure["log"] as! String))
        let json = try TribCommand.run(["verify", "--json"], in: forest.integration.path).output
        try SchemaValidation.validate(json, schema: "verify")

        let again = try Self.verify(forest, expecting: 1)
        #expect(Self.firstCommand(again)["runs"] as? Int == 0)
        #expect((Self.firstCommand(again)["culprit"] as! [String: Any])["commit"] as? String == bad.hex)

        // The plan shows the verdict kept.
        let plan = try forest.plan()
        let build = PlanCommandTests.tree(plan, "bad")["build"] as? String
        #expect(build?.hasPrefix("broke at \(bad.abbreviated())") == true, "\(String(describing: build))")
        #expect(PlanCommandTests.tree(plan, "one")["build"] as? String == "passed")

        // The report: a build column, and the failure with the end of its log.
        let reported = try TribCommand.run(["report", "--json"], in: forest.integration.path)
        let digest = try JSONSerialization.jsonObject(with: Data(reported.output.utf8)) as! [String: Any]
        let row = (digest["trees"] as! [[String: Any]]).first { $0["name"] as? String == "bad" }!
        #expect((row["build"] as? String)?.hasPrefix("broke at \(bad.abbreviated())") == true)
        let broken = row["buildFailure"] as! [String: Any]
        #expect(broken["commit"] as? String == bad.hex)
        #expect((broken["excerpt"] as! String).contains("error"))
        try SchemaValidation.validate(reported.output, schema: "report")
        let site = forest.directory + "/site"
        #expect(try TribCommand.run(["report", "--html", site], in: forest.integration.path).status <= 1)
        let page = try String(contentsOfFile: site + "/build.html", encoding: .utf8)
        #expect(page.contains("bad: broke at \(bad.abbreviated())") && page.contains("error"))
    }

    @Test("two trees that build alone but not together: the pair, in either merge order", arguments: [false, true])
    func breaksTogether(callerFirst: Bool) throws {
        let forest = try Self.forest()
        let other = try forest.addTree("other")
        try other.commit("other: file", files: ["other.txt": "x\n"], on: "for-next", trailers: Self.signed)
        let caller: ObjectID
        let renamer: ObjectID
        if callerFirst {
            caller = try Self.callingTree(forest, "caller")
            renamer = try Self.renamingTree(forest, "renamer")
        } else {
            renamer = try Self.renamingTree(forest, "renamer")
            caller = try Self.callingTree(forest, "caller")
        }
        _ = try forest.trib(["fetch"])
        let report = try Self.verify(forest, expecting: 1)
        let culprit = Self.firstCommand(report)["culprit"] as! [String: Any]
        #expect(culprit["alone"] as? Bool == false)
        if callerFirst {
            #expect(culprit["tree"] as? String == "renamer")
            #expect(culprit["commit"] as? String == renamer.hex)
            #expect(culprit["partner"] as? String == "caller")
        } else {
            #expect(culprit["tree"] as? String == "caller")
            #expect(culprit["commit"] as? String == caller.hex)
            #expect(culprit["partner"] as? String == "renamer")
        }
        let text = try TribCommand.run(["verify"], in: forest.integration.path)
        #expect(text.status == 1)
        #expect(text.output.contains("breaks with \(callerFirst ? "caller" : "renamer")"), "\(text.output)")

        // A fix-up recorded from a hand-made merge of the two (the new caller moved to the new
        // name) is part of the pull's merges, so of what is verified: the result builds.
        let repository = forest.integration.repository
        try forest.integration.branch(
            "hand", at: try #require(try repository.referenceTarget("refs/tributary/trees/renamer")))
        try forest.integration.branch(
            "other", at: try #require(try repository.referenceTarget("refs/tributary/trees/caller")))
        let merge = try forest.integration.merge(
            "other", into: "hand",
            resolutions: ["extra.c": "#include \"api.h\"\nint twice(void) { return 2 * compute(); }\n"])
        _ = try forest.trib(["resolve", "record", merge.hex])
        let fixed = try Self.verify(forest, expecting: 0)
        #expect(fixed["verdict"] as? String == "passed")
    }

    @Test("a command that fails once and then passes is reported flaky; a timeout as a timeout")
    func flakyAndTimeout() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("trib-flaky-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let forest = try Self.forest(command: "if [ -e '\(marker)' ]; then exit 0; else touch '\(marker)'; exit 1; fi")
        let one = try forest.addTree("one")
        try one.commit("one: file", files: ["one.txt": "x\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let flaky = try Self.verify(forest, expecting: 0)
        #expect(flaky["verdict"] as? String == "flaky")
        #expect(Self.firstCommand(flaky)["runs"] as? Int == 2)

        // A tree whose merge makes the build hang: the run is stopped and said to have timed out.
        let slow = try forest.addTree("slow")
        try slow.commit("slow: hang", files: ["HANG": "yes\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let report = try Self.verify(
            forest, ["--command", "if [ -e HANG ]; then sleep 60; fi; \(Self.build)", "--timeout", "1"], expecting: 1)
        let command = Self.firstCommand(report)
        #expect((command["culprit"] as! [String: Any])["tree"] as? String == "slow")
        #expect((command["failure"] as! [String: Any])["outcome"] as? String == "timed-out")
    }

    @Test("pull --verify: a breaking tree stops the pull, or is left out and the rest verified and pulled")
    func verifiedPull() throws {
        let forest = try Self.forest()
        let good = try forest.addTree("good")
        let goodTip = try good.commit("good: file", files: ["good.txt": "x\n"], on: "for-next", trailers: Self.signed)
        let bad = try Self.breakingTree(forest, "bad")
        let later = try forest.addTree("later")
        let laterTip = try later.commit(
            "later: file", files: ["later.txt": "x\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let before = try forest.integration.tip("next")
        let why = "breaks build alone at \(bad.abbreviated()) (bad: helper returns 43)"

        // A dry run says what the verified pull would do, and moves nothing.
        let dry = try TribCommand.run(["pull", "--verify", "--dry-run", "--json"], in: forest.integration.path)
        #expect(dry.status == 1, "\(dry.errorOutput)\(dry.output)")
        try SchemaValidation.validate(dry.output, schema: "pull")
        let planned = try JSONSerialization.jsonObject(with: Data(dry.output.utf8)) as! [String: Any]
        #expect(planned["stoppedAt"] as? String == "bad")
        // The trees after the one that stops the pull are not listed, as after a conflict.
        let listed = (planned["trees"] as! [[String: Any]]).map { "\($0["name"]!) \($0["outcome"]!)" }
        #expect(listed == ["good merged", "bad broken"])
        #expect((planned["trees"] as! [[String: Any]])[1]["broken"] as? String == why)
        #expect(try forest.integration.tip("next") == before)

        let stopped = try TribCommand.run(["pull", "--verify"], in: forest.integration.path)
        #expect(stopped.status == 1, "\(stopped.errorOutput)\(stopped.output)")
        #expect(stopped.output.contains("  bad   broken       \(why)\n"), "\(stopped.output)")
        #expect(stopped.output.contains("stopped at bad, which breaks the build"), "\(stopped.output)")
        #expect(try forest.integration.tip("next") == before)

        let skipped = try TribCommand.run(
            ["pull", "--verify", "--on-broken", "skip", "--json"], in: forest.integration.path)
        #expect(skipped.status == 1, "\(skipped.errorOutput)\(skipped.output)")
        let pulled = try JSONSerialization.jsonObject(with: Data(skipped.output.utf8)) as! [String: Any]
        // In merge order: bad left out (broken, with why), the trees before and after it merged.
        let outcomes = (pulled["trees"] as! [[String: Any]]).map { "\($0["name"]!) \($0["outcome"]!)" }
        #expect(outcomes == ["good merged", "bad broken", "later merged"])
        #expect((pulled["verified"] as? String)?.hasPrefix("passed build (") == true)
        let after = try #require(try forest.integration.tip("next"))
        #expect(after != before)
        #expect(try forest.integration.git("merge-base", "--is-ancestor", goodTip.hex, after.hex) == "")
        #expect(try forest.integration.git("merge-base", "--is-ancestor", laterTip.hex, after.hex) == "")
        // What the branch moved to builds: git's own checkout of it, built here.
        let checkout = forest.directory + "/check"
        _ = try forest.integration.git("worktree", "add", "-q", "--detach", checkout, after.hex)
        #expect(try Subprocess.run("/bin/sh", ["-c", Self.build], in: checkout).status == 0)
        // What the last pull made, made again from its log: the same tree, already run.
        let last = try Self.verify(forest, ["--last-pull"], expecting: 0)
        #expect(last["verdict"] as? String == "passed")
        #expect(last["target"] as? String == "last-pull")
        #expect(Self.firstCommand(last)["runs"] as? Int == 0)
    }

    @Test("a bad [verify] or [notices] entry is an error naming the file and line, and nothing runs")
    func manifestErrors() throws {
        let forest = try Self.forest()
        let manifest = forest.integration.path + "/.tributary"
        let good = try String(contentsOfFile: manifest, encoding: .utf8)
        let lines = good.split(separator: "\n", omittingEmptySubsequences: false).count
        let cases: [(String, String)] = [
            ("[verify \"../../escape\"]\n\tcommand = true\n", "verify \"../../escape\": a name of letters, digits"),
            ("[verify \"test\"]\n\ttimeout = 10\n", "verify \"test\" has no command"),
            ("[verify]\n\ttimeout = soon\n", "verify \"build\": timeout 'soon' is not a number of seconds"),
            ("[verify]\n\tcommnd = make\n", "unknown key commnd (did you mean \"command\"?)"),
            ("[notices]\n\treview-wait = 14 weeks\n", "notices.review-wait '14 weeks' is not a number of days"),
            ("[notices]\n\tfrom = nobody\n", "notices.from 'nobody' is not an address"),
        ]
        for (text, message) in cases {
            try (good + text).write(toFile: manifest, atomically: true, encoding: .utf8)
            let result = try TribCommand.run(["verify", "--json"], in: forest.integration.path)
            #expect(result.status == 2, "\(text): \(result.errorOutput)")
            #expect(result.errorOutput.contains(".tributary:\(lines + 1): "), "\(text): \(result.errorOutput)")
            #expect(result.errorOutput.contains(message), "\(text): \(result.errorOutput)")
        }
        try (good + "[tree \"slab\"]\n\tcontact = slab maintainers\n").write(
            toFile: manifest, atomically: true, encoding: .utf8)
        let contact = try TribCommand.run(["verify"], in: forest.integration.path)
        #expect(
            contact.status == 2 && contact.errorOutput.contains("contact 'slab maintainers' is not an address"),
            "\(contact.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: forest.integration.path + "/.git/tributary/verify"))
    }

    @Test("--jobs 3 tries several states a round and comes to the same culprit")
    func parallel() throws {
        let forest = try Self.forest()
        for index in 0..<6 {
            let tree = try forest.addTree("t\(index)")
            try tree.commit("t\(index): file", files: ["t\(index).txt": "x\n"], on: "for-next", trailers: Self.signed)
        }
        let bad = try Self.breakingTree(forest, "bad")
        for index in 6..<9 {
            let tree = try forest.addTree("t\(index)")
            try tree.commit("t\(index): file", files: ["t\(index).txt": "x\n"], on: "for-next", trailers: Self.signed)
        }
        _ = try forest.trib(["fetch"])
        let report = try Self.verify(forest, ["--jobs", "3"], expecting: 1)
        let culprit = Self.firstCommand(report)["culprit"] as! [String: Any]
        #expect(culprit["tree"] as? String == "bad")
        #expect(culprit["commit"] as? String == bad.hex)
        #expect(culprit["alone"] as? Bool == true)
        // Each scratch work tree ran what it was given: three of them were used.
        let work = forest.integration.path + "/.git/tributary/verify/work"
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: work)).isSuperset(of: ["0", "1", "2"]))
    }

    @Test("Ctrl-C (SIGINT) stops the command's whole process group: trib ends 130, nothing keeps running")
    func interrupted() throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("trib-verify-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let forest = try Self.forest(command: "sleep 30 & echo $! > '\(pidFile)'; wait")
        let one = try forest.addTree("one")
        try one.commit("one: file", files: ["one.txt": "x\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let pid = try Subprocess.startDetached(TribCommand.executable, ["verify"], in: forest.integration.path)
        for _ in 0..<200 where (try? String(contentsOfFile: pidFile, encoding: .utf8))?.isEmpty ?? true {
            usleep(50_000)
        }
        let sleeper = try #require(
            Int32(
                (try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, SIGINT)
        #expect(Subprocess.waitForExit(pid) == 130)
        // The command's child (a grandchild of trib) got the signal too.
        var gone = false
        for _ in 0..<100 {
            if kill(sleeper, 0) != 0 {
                gone = true
                break
            }
            usleep(50_000)
        }
        #expect(gone, "the command's sleep \(sleeper) still runs")
        if !gone { kill(sleeper, SIGKILL) }
    }

    @Test("a verify killed with SIGKILL leaves the branch and the user's work tree as they were")
    func killed() throws {
        let forest = try Self.forest(command: "sleep 3")
        let one = try forest.addTree("one")
        try one.commit("one: file", files: ["one.txt": "x\n"], on: "for-next", trailers: Self.signed)
        _ = try forest.trib(["fetch"])
        let before = try forest.integration.tip("next")
        let status = try forest.integration.git("status", "--porcelain", "--untracked-files=all")
        let pid = try Subprocess.startDetached(
            TribCommand.executable, ["verify"], in: forest.integration.path)
        // Wait until the command runs in the scratch work tree, then kill trib.
        let work = forest.integration.path + "/.git/tributary/verify/work/0"
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: work + "/main.c") { usleep(50_000) }
        usleep(300_000)
        kill(pid, SIGKILL)
        _ = Subprocess.waitForExit(pid)
        #expect(try forest.integration.tip("next") == before)
        #expect(try forest.integration.git("status", "--porcelain", "--untracked-files=all") == status)
        // Only trib's own scratch work tree was added beside the user's.
        let worktrees = try forest.integration.git("worktree", "list", "--porcelain").split(separator: "\n")
            .filter { $0.hasPrefix("worktree ") }
        #expect(worktrees.count == 2 && worktrees.contains { $0.hasSuffix("/tributary/verify/work/0") })
        // The next verify works (nothing half-written is in its way); --clean removes the work trees.
        let result = try TribCommand.run(
            ["verify", "--command", Self.build, "--no-confirm"], in: forest.integration.path)
        #expect(result.status == 0, "\(result.errorOutput)\(result.output)")
        let cleaned = try TribCommand.run(["verify", "--clean"], in: forest.integration.path)
        #expect(cleaned.status == 0 && cleaned.output.contains("removed "), "\(cleaned.output)")
        #expect(!FileManager.default.fileExists(atPath: work))
        #expect(!(try forest.integration.git("worktree", "list")).contains("tributary/verify"))
        #expect(FileManager.default.fileExists(atPath: forest.integration.path + "/.git/tributary/verify/results.json"))
    }
}
