import Git
import GitFixtures
import Testing

/// `GitProgram.changedPaths(of:in:)`: what one `git log --name-only` run lists equals libgit2's
/// tree comparison.
@Suite struct ChangedPathsLogTests {
    @Test("the paths of 240 generated commits, odd names, kind changes, a merge, a root and an empty commit")
    func equalsTreeComparison() throws {
        let fixture = try FixtureRepository()
        var generator = HistoryGenerator(seed: 7)
        var commits = try generator.makeCommits(240, in: fixture, includeBinary: true).map(\.id)
        commits.append(
            try fixture.commit(
                "odd paths",
                files: [
                    "odd/a\tb.c": "tab\n", "odd/q\"uote.c": "quote\n", "odd/new\nline.c": "nl\n", "odd/é.c": "e\n",
                    "odd/sp ace.c": "sp\n", "kind": "a file\n", "dir/inside.c": "in\n",
                ]))
        // A file that becomes a directory and a directory that becomes a file, a mode change, a
        // symbolic link: in one commit, whose tree is made in two steps on a side branch.
        let before = commits.last!
        _ = try fixture.commit(
            "remove", files: ["kind": .deleted, "dir/inside.c": .deleted], on: "steps", from: before)
        let after = try fixture.commit(
            "add",
            files: [
                "kind/now-a-directory.c": "x\n", "dir": "now a file\n", "odd/sp ace.c": .executable("sp\n"),
                "link": .symlink("odd/é.c"),
            ], on: "steps")
        commits.append(
            try fixture.commit(
                "kinds", tree: try fixture.repository.treeOfCommit(after), parents: [before],
                updating: "refs/heads/main", expecting: before))
        commits.append(try fixture.commit("empty", files: [:]))
        let side = try fixture.commit("side", files: ["side.c": "side\n"], on: "side", from: commits[10])
        commits.append(
            try fixture.commit(
                "Merge branch 'side'", parents: [commits.last!, side], updating: "refs/heads/main",
                expecting: commits.last!))
        commits.append(try fixture.commit("a root", files: ["root.c": "root\n", "sub/r.c": "r\n"], parents: []))
        let lists = try GitProgram().changedPaths(of: commits, in: fixture.repository.gitDirectory)
        #expect(lists.count == commits.count)
        var mismatches: [String] = []
        for (id, listed) in zip(commits, lists) {
            let commit = try fixture.repository.commit(id)
            let parentTree = try commit.parents.first.map { try fixture.repository.treeOfCommit($0) }
            let compared = commit.isMerge ? [] : try fixture.repository.changedPaths(from: parentTree, to: commit.tree)
            if listed != compared { mismatches.append("\(id.abbreviated()): \(listed) vs \(compared)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ:\n\(mismatches.prefix(5).joined(separator: "\n"))")
        #expect(lists.contains { $0.contains("odd/new\nline.c") && $0.contains("odd/a\tb.c") })
        #expect(
            lists.contains { $0 == ["dir", "dir/inside.c", "kind", "kind/now-a-directory.c", "link", "odd/sp ace.c"] })
        #expect(lists.contains { $0 == [] })
    }
}
