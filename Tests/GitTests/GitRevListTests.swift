import Foundation
import Git
import GitFixtures
import Testing

/// `GitProgram.commits(changing:from:excluding:in:)` against `git rev-list` and the tree
/// comparison it stands for.
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

    @Test(
        "the commits changing paths are git log --no-merges BASE..TIP -- PATHS: a side branch the merge dropped is not")
    func commitsChanging() throws {
        let (fixture, main, side, merge) = try Self.history()
        let git = GitProgram()
        let directory = fixture.repository.gitDirectory
        // The merge kept main's dir/a: the side branch did not make it what it is.
        #expect(try git.commits(changing: ["dir"], from: merge, excluding: [], in: directory) == [main[2], main[0]])
        #expect(
            try git.commits(changing: ["dir/a", "b"], from: merge, excluding: [main[1]], in: directory)
                == [main[3], main[2]])
        #expect(try git.commits(changing: ["c"], from: merge, excluding: [main[1]], in: directory) == [])
        // A pattern is a path, not a glob.
        #expect(try git.commits(changing: ["*"], from: merge, excluding: [], in: directory) == [])
        // Taking the side's version, the merge makes the side's commit the one that changed it.
        let taking = try fixture.commit(
            "merge side, its dir/a", files: ["dir/a": "side\n"], parents: [main[3], side])
        #expect(try git.commits(changing: ["dir"], from: taking, excluding: [main[1]], in: directory) == [side])
        for (tip, paths) in [(merge, ["dir"]), (merge, ["dir/a", "b"]), (taking, ["dir", "c"]), (taking, ["b"])] {
            let logged = try fixture.git(
                ["log", "--no-merges", "--format=%H", "^" + main[0].hex, tip.hex, "--"] + paths
            )
            .split(separator: "\n").compactMap { ObjectID(hex: String($0)) }
            #expect(try git.commits(changing: paths, from: tip, excluding: [main[0]], in: directory) == logged)
        }
    }
}
