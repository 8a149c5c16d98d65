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
