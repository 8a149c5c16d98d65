import Foundation
import Git
import GitFixtures
import Testing

/// `Diff.gitStatText` against `git diff -M --stat --summary`.
@Suite struct DiffStatTests {
    static func compare(_ fixture: FixtureRepository, _ old: ObjectID, _ new: ObjectID) throws -> (String, String) {
        let expected = try fixture.git.run(["diff", "-M", "--stat=80", "--summary", old.hex, new.hex]).text
        let diff = try fixture.repository.diff(
            from: fixture.repository.treeOfCommit(old), to: fixture.repository.treeOfCommit(new))
        return (try diff.gitStatText(width: 80), expected)
    }

    @Test("the diffstat of 60 generated changes equals git diff -M --stat --summary")
    func generated() throws {
        let fixture = try FixtureRepository()
        var generator = MergeScenarioGenerator(seed: 77)
        for pair in try generator.makePairs(60, in: fixture) {
            guard let base = try fixture.repository.mergeBase(pair.ours, pair.theirs) else { continue }
            for side in [pair.ours, pair.theirs] {
                let (ours, expected) = try Self.compare(fixture, base, side)
                #expect(ours == expected, "\(pair.scenarios)")
            }
        }
    }

    @Test("binary files, mode changes, deletions, long names and large changes are printed as git prints them")
    func edgeCases() throws {
        let fixture = try FixtureRepository()
        let long = "drivers/gpu/drm/amd/display/dc/dcn401/very/deeply/nested/directory/with/a/long/name/file.c"
        let big = (1...300).map { "line \($0)\n" }.joined()
        let base = try fixture.commit(
            "base",
            files: [
                "bin.dat": .bytes([0, 1, 2, 3]), "script.sh": "echo\n", "gone.c": "x\n", "mm/a.c": "a\n",
                "lib/{odd} name.c": "y\n",
            ])
        let changed = try fixture.commit(
            "changed",
            files: [
                "bin.dat": .bytes([0, 1, 2, 3, 4, 5, 6]), "script.sh": .executable("echo\n"), "gone.c": .deleted,
                "mm/a.c": .text(big), long: "new\n", "lib/{odd} name.c": "y\nz\n",
            ])
        let (ours, expected) = try Self.compare(fixture, base, changed)
        #expect(ours == expected)
        let renamed = try fixture.commit(
            "renamed",
            files: [
                "mm/a.c": .deleted, "mm/sub/a.c": .text(big + "more\n"), "script.sh": .deleted,
                "tools/script.sh": .executable("echo\n"),
            ])
        let (ours2, expected2) = try Self.compare(fixture, changed, renamed)
        #expect(ours2 == expected2)
    }
}
