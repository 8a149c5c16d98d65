import Foundation
import Git
import GitFixtures
import Testing

/// `GitProgram.commit(skipping:from:in:)` and `commits(changing:from:excluding:in:)` against
/// `git rev-list` and the tree comparison they stand for.
@Suite struct GitRevListTests {
    /// main: five commits, the third touching `dir/a` and the fourth `b`; a side branch from the
    /// second changes `dir/a` and is merged keeping main's version.
    static func history() throws -> (FixtureRepository, [ObjectID], side: ObjectID, merge: ObjectID) {
        let fixture = try FixtureRepository()
        var main = [try fixture.commit("one", files: ["dir/a": "1\n", "b": "1\n"])]
        main.append(try fixture.commit("two", files: ["c": "2\n"]))
        let side = try fixture.commit("side: dir/a", files: ["dir/a": "side\n"], on: "side", from: main[1])
        main.append(try fixture.commit("three: dir/a", files: ["dir/a": "3\n"]))
        main.append(try fixture.commit("four: b", files: ["b": "4\n"]))
        let merge = try fixture.commit(
            "merge side", tree: try fixture.repository.commit(main[3]).tree, parents: [main[3], side],
            updating: "refs/heads/main", expecting: main[3])
        return (fixture, main, side, merge)
    }

    @Test("the commit N back is the line after N of git rev-list; nil past the root")
    func commitSkipping() throws {
        let (fixture, _, _, merge) = try Self.history()
        let listed = try fixture.git("rev-list", merge.hex).split(separator: "\n").map(String.init)
        let git = GitProgram()
        for count in 0..<listed.count {
            let found = try git.commit(skipping: count, from: merge, in: fixture.repository.gitDirectory)
            #expect(found?.hex == listed[count], "skipping \(count)")
        }
        #expect(try git.commit(skipping: listed.count, from: merge, in: fixture.repository.gitDirectory) == nil)
    }

    @Test("the commits changing paths: every non-merge commit that changed them, side branches included")
    func commitsChanging() throws {
        let (fixture, main, side, merge) = try Self.history()
        let git = GitProgram()
        let directory = fixture.repository.gitDirectory
        // git's default history simplification would hide the side branch: the merge kept main's dir/a.
        #expect(try fixture.git("rev-list", merge.hex, "--", "dir").split(separator: "\n").count == 2)
        #expect(
            try git.commits(changing: ["dir"], from: merge, excluding: [], in: directory) == [main[2], side, main[0]])
        #expect(
            try git.commits(changing: ["dir/a", "b"], from: merge, excluding: [main[1]], in: directory)
                == [main[3], main[2], side])
        #expect(try git.commits(changing: ["c"], from: merge, excluding: [main[1]], in: directory) == [])
        // A pattern is a path, not a glob.
        #expect(try git.commits(changing: ["*"], from: merge, excluding: [], in: directory) == [])
    }
}
