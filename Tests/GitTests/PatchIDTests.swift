import Foundation
import Git
import GitFixtures
import Testing

/// Differential tests: our patch-ids against `git log -p | git patch-id --stable`.
@Suite struct PatchIDTests {
    /// Runs git's pipeline over `revision` and returns commit → patch-id.
    static func gitPatchIDs(_ fixture: FixtureRepository, _ arguments: [String]) throws -> [String: String] {
        let log = try fixture.git.run(["log", "-p", "--no-merges"] + arguments)
        #expect(log.status == 0, "git log failed: \(log.errorOutput)")
        let ids = try fixture.git.run(["patch-id", "--stable"], input: log.output)
        var result: [String: String] = [:]
        for line in ids.text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            result[String(fields[1])] = String(fields[0])
        }
        return result
    }

    @Test("patch-ids of 240 generated text commits equal git's", arguments: [UInt64(7), 1234])
    func generatedTextCommits(seed: UInt64) throws {
        let fixture = try FixtureRepository()
        var generator = HistoryGenerator(seed: seed)
        let commits = try generator.makeCommits(240, in: fixture)
        let expected = try Self.gitPatchIDs(fixture, ["main"])
        var kinds = Set<HistoryGenerator.Kind>()
        var mismatches: [String] = []
        for (id, kind) in commits {
            kinds.insert(kind)
            let ours = try fixture.repository.patchID(of: fixture.repository.commit(id))
            if ours?.hex != expected[id.hex] {
                mismatches.append("\(kind) \(id): ours \(ours?.hex ?? "none"), git \(expected[id.hex] ?? "none")")
            }
        }
        #expect(
            mismatches.isEmpty,
            "\(mismatches.count) of \(commits.count) differ:\n\(mismatches.prefix(10).joined(separator: "\n"))")
        #expect(kinds.count == HistoryGenerator.Kind.allCases.count - 1, "kinds covered: \(kinds)")
        // Empty commits have no patch-id in either tool.
        #expect(commits.contains { $0.kind == .empty })
    }

    @Test("patch-ids without rename detection equal git log --no-renames")
    func withoutRenames() throws {
        let fixture = try FixtureRepository()
        var generator = HistoryGenerator(seed: 99)
        let commits = try generator.makeCommits(120, in: fixture)
        let expected = try Self.gitPatchIDs(fixture, ["--no-renames", "main"])
        var options = DiffOptions()
        options.detectRenames = false
        for (id, kind) in commits {
            let ours = try fixture.repository.patchID(of: fixture.repository.commit(id), options: options)
            #expect(ours?.hex == expected[id.hex], "\(kind) \(id)")
        }
    }

    @Test("the patch-id does not depend on the order of files")
    func fileOrderDoesNotMatter() throws {
        var first = PatchIDHasher()
        first.add(
            text:
                "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-x\n+y\ndiff --git a/b b/b\n--- a/b\n+++ b/b\n@@ -1 +1 @@\n-p\n+q\n"
        )
        var second = PatchIDHasher()
        second.add(
            text:
                "diff --git a/b b/b\n--- a/b\n+++ b/b\n@@ -1 +1 @@\n-p\n+q\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-x\n+y\n"
        )
        let one = first.finalize()
        #expect(one != nil)
        #expect(one == second.finalize())
    }

    @Test("text that holds no diff has no patch-id")
    func noDiff() {
        var hasher = PatchIDHasher()
        hasher.add(text: "Subject: hello\n\nJust words.\n")
        #expect(hasher.finalize() == nil)
    }
}

extension PatchIDTests {
    /// Binary files are hashed by the blob ids of their `index` line. git abbreviates those ids
    /// to a length that grows with the repository, so our patch-ids use full ids, as
    /// `git log -p --full-index` and `git format-patch --binary` print them.
    @Test("commits with binary files equal git log -p --full-index")
    func binaryFiles() throws {
        let fixture = try FixtureRepository()
        var generator = HistoryGenerator(seed: 5)
        let commits = try generator.makeCommits(120, in: fixture, includeBinary: true)
        let expected = try Self.gitPatchIDs(fixture, ["--full-index", "main"])
        #expect(commits.filter { $0.kind == .addBinary }.count >= 3)
        for (id, kind) in commits {
            let ours = try fixture.repository.patchID(of: fixture.repository.commit(id))
            #expect(ours?.hex == expected[id.hex], "\(kind) \(id)")
        }
    }
}

extension PatchIDTests {
    /// A patch kept as a file: its hunk lines themselves begin with `diff`, `---`, `+++`, `@@`.
    static let patchFile = """
        From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
        Subject: [PATCH] x

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
        -- 
        2.40.0

        """

    @Test("commits that add, change and delete patch files, and add or delete empty files, equal git's patch-ids")
    func patchFilesAndEmptyFiles() throws {
        let fixture = try FixtureRepository()
        var commits: [ObjectID] = []
        commits.append(try fixture.commit("base", files: ["keep.c": "keep\n"]))
        commits.append(try fixture.commit("add a patch file", files: ["fix.patch": .text(Self.patchFile)]))
        commits.append(
            try fixture.commit(
                "edit the patch file",
                files: [
                    "fix.patch": .text(Self.patchFile.replacingOccurrences(of: "+TWO", with: "+Two\n+@@ not a hunk"))
                ]))
        // An empty file added beside others (git prints no ---/+++ for it: its section is hashed
        // with the next file's), then deleted.
        commits.append(try fixture.commit("add empty", files: ["t/empty": .text(""), "t/info": "one\ntwo\n"]))
        commits.append(try fixture.commit("empty alone", files: ["t/other-empty": .text("")]))
        commits.append(try fixture.commit("delete the patch", files: ["fix.patch": .deleted, "t/empty": .deleted]))
        let expected = try Self.gitPatchIDs(fixture, ["--full-index", "main"])
        for id in commits {
            let commit = try fixture.repository.commit(id)
            let ours = try fixture.repository.patchID(of: commit)
            #expect(ours?.hex == expected[id.hex], "\(commit.message)")
        }
        let log = try GitProgram().commitLog(of: commits, in: fixture.repository.gitDirectory)
        #expect(log.map { $0.patchID?.hex } == commits.map { expected[$0.hex] })
    }
}

/// `GitProgram.commitLog`: what one `git log -p --raw` run gives equals what libgit2 gives.
@Suite struct CommitLogTests {
    @Test("patch-ids, changed paths and messages from git log equal libgit2's on 240 generated commits")
    func equalsLibgit2() throws {
        let fixture = try FixtureRepository()
        var generator = HistoryGenerator(seed: 99)
        var commits = try generator.makeCommits(240, in: fixture, includeBinary: true).map(\.id)
        // Paths git quotes (a tab, a double quote, a backslash, non-ASCII), a merge and a root commit.
        commits.append(
            try fixture.commit(
                "odd paths",
                files: ["odd/a\tb.c": "tab\n", "odd/q\"uote.c": "quote\n", "odd/b\\s.c": "bs\n", "odd/é.c": "e\n"],
                on: "main"))
        let side = try fixture.commit("side", files: ["side.c": "side\n"], on: "side", from: commits[10])
        commits.append(
            try fixture.commit(
                "Merge branch 'side'", parents: [commits.last!, side], updating: "refs/heads/main",
                expecting: commits.last!))
        let root = try fixture.commit("a root", files: ["root.c": "root\n"], parents: [])
        commits.append(root)
        let entries = try GitProgram().commitLog(of: commits, in: fixture.repository.gitDirectory)
        #expect(entries.map(\.id) == commits)
        var mismatches: [String] = []
        for entry in entries {
            let commit = try fixture.repository.commit(entry.id)
            let parentTree = try commit.parents.first.map { try fixture.repository.treeOfCommit($0) }
            let patchID = commit.isMerge ? nil : try fixture.repository.patchID(of: commit)
            let files = commit.isMerge ? [] : try fixture.repository.changedPaths(from: parentTree, to: commit.tree)
            if entry.patchID != patchID || entry.files != files || entry.message != commit.message
                || entry.parents != commit.parents || entry.authorEmail != commit.author.email
                || entry.committerTime != commit.committer.time
            {
                mismatches.append(
                    "\(entry.id): \(entry.files) vs \(files), \(String(describing: entry.patchID)) vs \(String(describing: patchID))"
                )
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ:\n\(mismatches.prefix(5).joined(separator: "\n"))")
        #expect(entries.contains { $0.files.contains("odd/a\tb.c") && $0.files.contains("odd/é.c") })
    }
}
