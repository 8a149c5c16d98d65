import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// The trailer parser against `git interpret-trailers --parse`.
@Suite struct TrailerParserTests {
    /// git's answer for one message: a patch's (`--parse`) or, with `noDivider`, a commit's
    /// (`--parse --no-divider`, what `git log --format=%(trailers)` reads).
    static func gitTrailers(_ message: String, noDivider: Bool = false) throws -> [String] {
        let result = try Subprocess.run(
            "git", ["-c", "core.commentChar=#", "interpret-trailers", "--parse"] + (noDivider ? ["--no-divider"] : []),
            environment: ["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"], input: Data(message.utf8))
        #expect(result.status == 0, "\(result.errorOutput)")
        return result.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Messages built from pieces that exercise every rule: dividers, comments, continuation
    /// lines, the 25% rule, spaces before the colon, cherry-pick lines, scissors, Conflicts blocks.
    static func generatedMessages(count: Int) -> [String] {
        var random = SeededGenerator(seed: 404)
        let titles = ["mm: fix a leak", "slab: rework sheaves\n", "  indented title", "Subject only"]
        let bodies = [
            "", "This fixes the leak.\n", "Line one\nline two\n", "Body with Key: value in the middle.\n",
            "Closes: not really a trailer\nbecause this line is prose\n", "------\nunderlined heading\n",
        ]
        let trailerPool = [
            "Signed-off-by: Ada Author <ada@example.org>", "Acked-by: Max <max@example.org>",
            "Reviewed-by:Zed <z@example.org>",
            "Tested-by : Spacey <s@example.org>", "Link: https://patch.msgid.link/20260101.1-1-ada@example.org",
            "Fixes: 0123456789ab (\"mm: old subject\")", "Cc: stable@vger.kernel.org # 6.1+",
            "Co-developed-by: Co Dev <co@example.org>",
            "(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)", "Reported-by: R <r@example.org>",
            "Closes: https://example.org/bug/1", "Key\t: tabbed", "not-a-trailer line", "[maintainer: fixed typo]",
            "    continued value", "\tcontinued with a tab", "Bad Key: has a space", "Empty-Value:", "# a comment line",
            "Signed-off-by: Carl Committer <carl@example.org>", "http://example.org: url-like", "X-Header: x",
        ]
        let tails = [
            "", "\n", "\n\n", "\n# Please enter the commit message\n", "\n---\n mm/slub.c | 2 +-\n",
            "\n--- \ndiff --git a/x b/x\n",
            "\n# ------------------------ >8 ------------------------\nSigned-off-by: X <x@y>\n",
            "\nConflicts:\n\tmm/slub.c\n", "\n------\nafter an underline\n",
        ]
        var messages: [String] = []
        for _ in 0..<count {
            var message = titles.randomElement(using: &random)!
            if !message.hasSuffix("\n") { message += "\n" }
            let body = bodies.randomElement(using: &random)!
            if !body.isEmpty { message += "\n" + body }
            var block: [String] = []
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                block.append(trailerPool.randomElement(using: &random)!)
            }
            if !block.isEmpty {
                message += (Bool.random(using: &random) ? "\n" : "") + block.joined(separator: "\n") + "\n"
            }
            message += tails.randomElement(using: &random)!
            messages.append(message)
        }
        return messages
    }

    @Test("agrees with git interpret-trailers --parse on 600 generated messages")
    func generated() throws {
        var differences: [String] = []
        for message in Self.generatedMessages(count: 600) {
            let ours = TrailerParser.trailers(in: message, from: .patch).map(\.description)
            let theirs = try Self.gitTrailers(message)
            if ours != theirs {
                differences.append("\(message.debugDescription)\n  ours:   \(ours)\n  theirs: \(theirs)")
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differ:\n\(differences.prefix(5).joined(separator: "\n"))")
    }

    @Test("read as commit messages, agrees with git interpret-trailers --parse --no-divider on 600 generated messages")
    func generatedCommitMessages() throws {
        var differences: [String] = []
        var changedByDivider = 0
        for message in Self.generatedMessages(count: 600) {
            let ours = TrailerParser.trailers(in: message, from: .commit).map(\.description)
            let theirs = try Self.gitTrailers(message, noDivider: true)
            if ours != theirs {
                differences.append("\(message.debugDescription)\n  ours:   \(ours)\n  theirs: \(theirs)")
            }
            if ours != TrailerParser.trailers(in: message, from: .patch).map(\.description) { changedByDivider += 1 }
        }
        // The generated messages do hold trailers below a `---` line.
        #expect(changedByDivider >= 20, "\(changedByDivider)")
        #expect(differences.isEmpty, "\(differences.count) differ:\n\(differences.prefix(5).joined(separator: "\n"))")
    }

    @Test("a commit's trailers below a --- line count, as git log --format=%(trailers) shows; a patch's do not")
    func commitMessageHasNoDivider() throws {
        let repository = try FixtureRepository()
        let message = "mm: fix\n\nBody.\n---\nv2: rebased\n\nAcked-by: A <a@x>\nSigned-off-by: B <b@x>\n"
        let commit = try repository.commit(message, files: ["a": "1\n"])
        let fromGit = try repository.git("log", "-1", "--format=%(trailers)", commit.hex)
        let ours = try TrailerParser.trailers(in: repository.repository.commit(commit).message, from: .commit)
        #expect(ours.map(\.description) == ["Acked-by: A <a@x>", "Signed-off-by: B <b@x>"])
        #expect(fromGit.split(separator: "\n").map(String.init) == ours.map(\.description))
        #expect(TrailerParser.trailers(in: message, from: .patch).isEmpty)
        // trib check reads the commit's trailers the same way.
        let checked = try TagCheck(repository: repository.repository, policy: TagPolicy())
            .check(repository.repository.commit(commit))
        #expect(checked.trailers.map(\.description) == ours.map(\.description))
    }

    @Test(
        "agrees with git interpret-trailers --parse on the messages of the shared mboxes",
        .enabled(if: SharedData.isAvailable, "../shared/data is absent: no real messages to compare on")
    )
    func realMessages() throws {
        let mboxRoot = SharedData.dataDirectory!.appendingPathComponent("mbox")
        var bodies: [String] = []
        let enumerator = FileManager.default.enumerator(at: mboxRoot, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "mbox" else { continue }
            for message in try SharedData.messages(inMbox: url) {
                // The body: everything after the first blank line.
                guard let range = message.range(of: "\n\n") else { continue }
                bodies.append(String(message[range.upperBound...]))
            }
        }
        #expect(bodies.count >= 400)
        var differences: [String] = []
        var withTrailers = 0
        for body in bodies {
            let ours = TrailerParser.trailers(in: body, from: .patch).map(\.description)
            let theirs = try Self.gitTrailers(body)
            if !theirs.isEmpty { withTrailers += 1 }
            if ours != theirs {
                differences.append("\(body.prefix(300).debugDescription)\n  ours:   \(ours)\n  theirs: \(theirs)")
            }
        }
        #expect(withTrailers >= 200)
        #expect(
            differences.isEmpty,
            "\(differences.count) of \(bodies.count) differ:\n\(differences.prefix(5).joined(separator: "\n"))")
    }

    @Test("the cases SEMANTICS §2 names")
    func namedCases() {
        // A `------` underline is not the patch divider (libgit2 gets this wrong).
        #expect(
            TrailerParser.trailers(in: "t\n\nHeading\n------\n\nAcked-by: A <a@x>\n", from: .patch).map(\.description)
                == [
                    "Acked-by: A <a@x>"
                ])
        // Continuation lines are unfolded.
        #expect(
            TrailerParser.trailers(in: "t\n\nLink: https://x\n  /more\n", from: .patch).map(\.value) == [
                "https://x /more"
            ])
        // A one-paragraph message has no trailers.
        #expect(TrailerParser.trailers(in: "Signed-off-by: A <a@x>\n", from: .patch).isEmpty)
        // Space before the colon counts.
        #expect(TrailerParser.trailers(in: "t\n\nTested-by : T <t@x>\n", from: .patch).map(\.key) == ["Tested-by"])
        // 25% rule: one git-generated trailer among prose lines.
        #expect(
            TrailerParser.trailers(in: "t\n\nsome prose\nmore prose\nand more\nSigned-off-by: A <a@x>\n", from: .patch)
                .count == 1)
        #expect(
            TrailerParser.trailers(
                in: "t\n\nsome prose\nmore prose\nand more\nmore still\nSigned-off-by: A <a@x>\n", from: .patch
            )
            .isEmpty)
    }
}
