import Foundation
import Git
import GitFixtures
import Testing

/// `PatchText` and `Repository.applyAsMail` against git: the sections git apply reads, and the
/// outcome of `git am --3way` on the same commit and mail.
@Suite struct MailPatchApplyTests {
    static let mail = """
        From: Ada Author <ada@example.org>
        Subject: [PATCH] mm: two files

        Text above the diff.
        ---
         a.c | 2 +-
        diff --git a/a.c b/a.c
        index 1111111..2222222 100644
        --- a/a.c
        +++ b/a.c
        @@ -1,3 +1,3 @@
         one
        -two
        +TWO
         three
        diff --git a/new file.c b/new file.c
        new file mode 100644
        index 0000000..3333333
        --- /dev/null
        +++ b/new file.c
        @@ -0,0 +1 @@
        +new
        diff --git a/old.c b/renamed.c
        similarity index 90%
        rename from old.c
        rename to renamed.c
        index 4444444..5555555 100755
        --- a/old.c
        +++ b/renamed.c
        @@ -1 +1 @@
        -x
        \\ No newline at end of file
        +y
        \\ No newline at end of file
        --\u{20}
        2.43.0

        """

    @Test("the sections of a patch mail: paths, index blobs and mode, hunks ending where their counts say")
    func readsSections() throws {
        let patch = PatchText(Self.mail)
        #expect(patch.files.count == 3)
        #expect(patch.files.map(\.oldPath) == ["a.c", nil, "old.c"])
        #expect(patch.files.map(\.newPath) == ["a.c", "new file.c", "renamed.c"])
        #expect(patch.files.map(\.oldBlob) == ["1111111", "0000000", "4444444"])
        #expect(patch.files[2].oldMode == .executable)
        #expect(patch.files[0].hunks.map(\.header) == ["@@ -1,3 +1,3 @@"])
        #expect(
            patch.files[0].hunks[0].preimage.map { String(decoding: $0, as: UTF8.self) } == [
                "one\n", "two\n", "three\n",
            ])
        #expect(patch.paths == ["a.c", "new file.c", "old.c", "renamed.c"])
        let diff = String(decoding: patch.diff, as: UTF8.self)
        #expect(diff.hasPrefix("diff --git a/a.c b/a.c\n"))
        #expect(diff.hasSuffix("+y\n\\ No newline at end of file\n"), "the signature is not part of the last hunk")
        #expect(!diff.contains("Text above"))
    }

    /// A repository with a file written on, a mail of one change to it made with git format-patch
    /// on `from`, and git am --3way's outcome on `onto`: the tree, or nil.
    static func gitAm(_ fixture: FixtureRepository, mail: String, onto: ObjectID) throws -> ObjectID? {
        let git = FixtureGit(directory: fixture.path)
        let path = fixture.path + "/.git/test.mbox"
        try mail.write(toFile: path, atomically: true, encoding: .utf8)
        try git("checkout", "-q", "-f", "--detach", onto.hex)
        let result = try git.run(["am", "-3", "-q", path])
        if result.status != 0 {
            _ = try git.run(["am", "--abort"])
            return nil
        }
        return ObjectID(hex: try git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("as it is, by a three-way merge, already applied, conflicting, missing blobs: as git am --3way says")
    func outcomesAgreeWithGitAm() throws {
        let fixture = try FixtureRepository()
        let repository = fixture.repository
        let lines = (1...12).map { "line \($0)\n" }.joined()
        let base = try fixture.commit("base", files: ["a.c": .text(lines)])
        let changed = try fixture.commit(
            "change line 6", files: ["a.c": .text(lines.replacingOccurrences(of: "line 6\n", with: "six\n"))],
            parents: [base])
        let mail = try FixtureGit(directory: fixture.path)("format-patch", "--stdout", "-1", changed.hex)
        let patch = PatchText(mail)
        // Lines next to it changed: the context no longer matches, the three-way merge takes it.
        let neighbour = try fixture.commit(
            "change line 3", files: ["a.c": .text(lines.replacingOccurrences(of: "line 4\n", with: "four\n"))],
            parents: [base])
        // The same line changed otherwise: a conflict.
        let rival = try fixture.commit(
            "change line 6 too", files: ["a.c": .text(lines.replacingOccurrences(of: "line 6\n", with: "SIX\n"))],
            parents: [base])
        for (name, commit) in [("base", base), ("neighbour", neighbour), ("changed", changed), ("rival", rival)] {
            let outcome = try repository.applyAsMail(patch, to: repository.treeOfCommit(commit))
            let expected = try Self.gitAm(fixture, mail: mail, onto: commit)
            let tree = outcome.tree(after: try repository.treeOfCommit(commit))
            #expect(tree == expected, "\(name): \(outcome)")
            switch name {
            case "base": #expect({ if case .applied = outcome { true } else { false } }())
            case "neighbour": #expect({ if case .merged = outcome { true } else { false } }())
            case "changed": #expect(outcome == .alreadyApplied)
            default:
                #expect(
                    outcome
                        == .failed(
                            PatchFailure(reason: .conflict, file: "a.c", hunk: "@@ -3,7 +3,7 @@", conflicts: ["a.c"])))
            }
        }
        // Blobs the repository does not have: no three-way merge.
        let foreign = PatchText(mail.replacingOccurrences(of: "index ", with: "index 1"))
        #expect(
            try repository.applyAsMail(foreign, to: repository.treeOfCommit(rival))
                == .failed(PatchFailure(reason: .missingBlobs, file: "a.c", hunk: "@@ -3,7 +3,7 @@")))
        #expect(
            try repository.applyAsMail(PatchText("no diff here\n"), to: repository.treeOfCommit(base))
                == .failed(PatchFailure(reason: .empty)))
    }

    @Test("an abbreviated blob id is expanded when one object has it")
    func expandsBlobIDs() throws {
        let fixture = try FixtureRepository()
        let blob = try fixture.repository.writeBlob("hello\n")
        #expect(try fixture.repository.expand(blob: blob.abbreviated(7)) == blob)
        #expect(try fixture.repository.expand(blob: blob.hex) == blob)
        #expect(try fixture.repository.expand(blob: "0000000") == nil)
        #expect(try fixture.repository.expand(blob: "abc") == nil)
    }
}
