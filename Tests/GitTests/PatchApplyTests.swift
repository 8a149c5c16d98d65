import Foundation
import Git
import GitFixtures
import Testing

/// `Repository.apply(patch:to:)` against `git apply --cached` on the same tree and patch.
@Suite struct PatchApplyTests {
    /// git's answer: the tree after `git apply --cached` into a scratch index, or nil when it
    /// refuses.
    static func gitApply(_ fixture: FixtureRepository, _ patch: [UInt8], to tree: ObjectID) throws -> ObjectID? {
        let index = fixture.path + "/.git/apply-test-index"
        let patchPath = fixture.path + "/.git/apply-test.patch"
        defer {
            try? FileManager.default.removeItem(atPath: index)
            try? FileManager.default.removeItem(atPath: patchPath)
        }
        try Data(patch).write(to: URL(fileURLWithPath: patchPath))
        let git = GitProgram(environment: ["GIT_INDEX_FILE": index])
        #expect(try git.run(["read-tree", tree.hex], in: fixture.path).status == 0)
        guard try git.run(["apply", "--cached", patchPath], in: fixture.path).status == 0 else { return nil }
        return ObjectID(hex: try git.run(["write-tree"], in: fixture.path).text.trimmingCharacters(in: .newlines))
    }

    @Test("a hunk whose lines moved applies where they are now, as git apply does; changed context is refused")
    func movedHunk() throws {
        let fixture = try FixtureRepository()
        let repository = fixture.repository
        let lines = (1...40).map { "line \($0)\n" }.joined()
        let base = try fixture.commit("base", files: ["a.c": .text(lines)])
        let edited = try fixture.commit(
            "edit", files: ["a.c": .text(lines.replacingOccurrences(of: "line 30\n", with: "thirty\n"))],
            parents: [base])
        var options = DiffOptions()
        options.detectRenames = false
        let patch = try repository.diff(
            from: repository.treeOfCommit(base), to: repository.treeOfCommit(edited), options: options
        )
        .patchBytes()
        // The file elsewhere has three lines more above the hunk (libgit2 alone refuses this).
        let moved = try fixture.commit("moved", files: ["a.c": .text("one\ntwo\nthree\n" + lines)], parents: [base])
        let movedTree = try repository.treeOfCommit(moved)
        let ours = try #require(try repository.apply(patch: patch, to: movedTree))
        #expect(ours == (try Self.gitApply(fixture, patch, to: movedTree)))
        let content = try repository.blob(try #require(try repository.entry(at: "a.c", in: ours)).id)
        #expect(
            String(decoding: content, as: UTF8.self) == "one\ntwo\nthree\n"
                + lines.replacingOccurrences(of: "line 30\n", with: "thirty\n"))
        // Its context changed: git refuses, and so does this.
        let changed = try fixture.commit(
            "changed", files: ["a.c": .text(lines.replacingOccurrences(of: "line 29\n", with: "twenty-nine\n"))],
            parents: [base])
        let changedTree = try repository.treeOfCommit(changed)
        #expect(try Self.gitApply(fixture, patch, to: changedTree) == nil)
        #expect(try repository.apply(patch: patch, to: changedTree) == nil)
    }

    @Test(
        "patches apply, or are refused, as git apply --cached does: edits, a file that exists, a failed hunk, binary, latin-1"
    )
    func againstGit() throws {
        let fixture = try FixtureRepository()
        let repository = fixture.repository
        let lines = (1...30).map { "line \($0)\n" }.joined()
        let base = try fixture.commit(
            "base",
            files: [
                "a.txt": .text(lines), "notes": "notes\n", "image.bin": .bytes([0, 1, 2, 3, 255, 0, 7]),
                "latin.txt": .bytes(Array("caf".utf8) + [0xE9, 0x0A]),
            ])
        let baseTree = try repository.treeOfCommit(base)
        var options = DiffOptions()
        options.showBinary = true
        options.detectRenames = false
        func patch(_ files: [String: FileContent]) throws -> [UInt8] {
            let changed = try fixture.commit("change", files: files, parents: [base])
            return try repository.diff(from: baseTree, to: repository.treeOfCommit(changed), options: options)
                .patchBytes()
        }
        let cases: [(String, [UInt8], ObjectID)] = [
            (
                "an edit", try patch(["a.txt": .text(lines.replacingOccurrences(of: "line 7\n", with: "seven\n"))]),
                baseTree
            ),
            ("a new file", try patch(["new.txt": "new\n"]), baseTree),
            ("a binary edit", try patch(["image.bin": .bytes([9, 0, 8, 255])]), baseTree),
            ("a latin-1 edit", try patch(["latin.txt": .bytes(Array("caf".utf8) + [0xE9, 0x21, 0x0A])]), baseTree),
            ("a deletion", try patch(["notes": .deleted]), baseTree),
        ]
        // Each applies to the base; applied again to its own result, git refuses, and so must we
        // (the new file exists, the hunk's lines are gone, the deleted file is gone).
        for (name, bytes, tree) in cases {
            let ours = try repository.apply(patch: bytes, to: tree)
            let theirs = try Self.gitApply(fixture, bytes, to: tree)
            #expect(ours == theirs, "\(name)")
            let again = try #require(ours, "\(name) applies")
            #expect(
                try repository.apply(patch: bytes, to: again) == Self.gitApply(fixture, bytes, to: again),
                "\(name), again")
            #expect(try repository.apply(patch: bytes, to: again) == nil, "\(name), again")
        }
    }
}
