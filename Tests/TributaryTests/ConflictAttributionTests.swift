import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// Which commits a conflict is attributed to when our side is a running result (the integration
/// tip and the trees merged into it), compared with `git blame -L` over the same lines; and the
/// merge bases the plan keeps, compared with `git merge-base`.
@Suite struct ConflictAttributionTests {
    /// The commits `git blame` names for lines `lines` (0-based) of `path` at `tip`, bounded by
    /// `base` (boundary lines left out).
    static func gitBlame(
        _ fixture: FixtureRepository, _ path: String, at tip: ObjectID, since base: ObjectID, lines: Range<Int>
    )
        throws -> Set<ObjectID>
    {
        guard !lines.isEmpty else { return [] }
        let output = try fixture.git(
            "blame", "-l", "-s", "-L", "\(lines.lowerBound + 1),\(lines.upperBound)", tip.hex, "^\(base.hex)", "--",
            path)
        return Set(
            output.split(separator: "\n").compactMap { line in
                let first = line.prefix { $0 != " " }
                return first.hasPrefix("^") ? nil : ObjectID(hex: String(first))
            })
    }

    /// A base; an integration branch that moves its lines down and changes line 30; tree A (from
    /// the base) changes lines 20 and 21; tree C (from the integration tip, a newer mainline)
    /// changes another file only, so it carries the integration branch's version of `f.c`; tree
    /// T (from the base) conflicts with A at line 20 and with the integration branch at line 30.
    static func forest() throws -> (
        FixtureRepository, base: ObjectID, integration: ObjectID, a: [ObjectID], c: ObjectID, t: ObjectID,
        i: [ObjectID]
    ) {
        let fixture = try FixtureRepository()
        let text = (1...40).map { "line \($0)\n" }.joined()
        let base = try fixture.commit("base", files: ["f.c": .text(text), "g.c": "g\n"])
        var ours = "header 1\nheader 2\nheader 3\n" + text
        let i1 = try fixture.commit("integration: header", files: ["f.c": .text(ours)], on: "integration", from: base)
        ours = ours.replacingOccurrences(of: "line 30\n", with: "integration 30\n")
        let i2 = try fixture.commit("integration: line 30", files: ["f.c": .text(ours)], on: "integration")
        var aText = text.replacingOccurrences(of: "line 20\n", with: "a 20\n")
        let a1 = try fixture.commit("a: line 20", files: ["f.c": .text(aText)], on: "a", from: base)
        aText = aText.replacingOccurrences(of: "line 21\n", with: "a 21\n")
        let a2 = try fixture.commit("a: line 21", files: ["f.c": .text(aText)], on: "a")
        let c1 = try fixture.commit("c: g.c", files: ["g.c": "g from c\n"], on: "c", from: i2)
        let tText = text.replacingOccurrences(of: "line 20\n", with: "t 20\n")
            .replacingOccurrences(of: "line 30\n", with: "t 30\n")
        let t1 = try fixture.commit("t: lines 20 and 30", files: ["f.c": .text(tText)], on: "t", from: base)
        return (fixture, base, i2, [a1, a2], c1, t1, [i1, i2])
    }

    @Test("our side's commits are git blame's over the conflicting lines, through the trees that brought them")
    func attributionEqualsGitBlame() throws {
        let (fixture, base, integration, a, c, t, i) = try Self.forest()
        try fixture.branch("running", at: integration)
        try fixture.merge("a", into: "running")
        let running = try fixture.merge("c", into: "running")
        let trialMerge = TrialMerge(repository: fixture.repository)
        let throughSources = try trialMerge.merge(
            name: "t", tip: t, onto: running, ourSources: [integration, a[1], c])
        let whole = try TrialMerge(repository: fixture.repository).merge(name: "t", tip: t, onto: running)
        let conflict = try #require(throughSources.conflicts.first)
        #expect(throughSources.conflicts.map(\.path) == ["f.c"])
        #expect(conflict.hunks.count == 2)
        // Newest first: A's two commits for the first region, the integration branch's for the second.
        #expect(conflict.hunks.map(\.ourCommits) == [[a[1], a[0]], [i[1]]])
        #expect(conflict.hunks.map(\.theirCommits) == [[t], [t]])
        for hunk in conflict.hunks {
            let lines = hunk.ours.start..<(hunk.ours.start + hunk.ours.count)
            #expect(Set(hunk.ourCommits) == (try Self.gitBlame(fixture, "f.c", at: running, since: base, lines: lines)))
        }
        // Blaming the running result itself gives the same answer, and so does libgit2's blame.
        #expect(whole.conflicts.first?.hunks.map(\.ourCommits) == conflict.hunks.map(\.ourCommits))
        var withoutGit = TrialMerge(repository: fixture.repository)
        withoutGit.git = nil
        let byLibgit2 = try withoutGit.merge(name: "t", tip: t, onto: running, ourSources: [integration, a[1], c])
        #expect(byLibgit2.conflicts.first?.hunks.map(\.ourCommits) == conflict.hunks.map(\.ourCommits))
        #expect(byLibgit2.conflicts.first?.hunks.map(\.theirCommits) == conflict.hunks.map(\.theirCommits))
    }

    @Test("a source's lines are found however far the running result moved them")
    func unmap() {
        // Old: 10 lines. New: 3 lines inserted before old line 2, old lines 5 and 6 replaced by one.
        let changes = [
            LineChange(oldStart: 2, oldCount: 0, newStart: 2, newCount: 3),
            LineChange(oldStart: 5, oldCount: 2, newStart: 8, newCount: 1),
        ]
        let expected: [Int?] = [0, 1, nil, nil, nil, 2, 3, 4, nil, 7, 8, 9]
        #expect((0..<12).map { changes.oldLine(becoming: $0) } == expected)
        // And back: every old line that survives maps to the new line it became.
        for (new, old) in expected.enumerated() {
            if let old { #expect(changes.newLine(from: old) == new) }
        }
    }

    @Test("merge bases equal git merge-base --all, are kept in the index, and not for a shallow clone")
    func mergeBases() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["f": "0\n"])
        let x1 = try fixture.commit("x1", files: ["x": "1\n"], on: "x", from: base)
        let y1 = try fixture.commit("y1", files: ["y": "1\n"], on: "y", from: base)
        // Criss-cross: each side merges the other's first commit.
        let x2 = try fixture.commit("x2", parents: [x1, y1], updating: "refs/heads/x", expecting: x1)
        let y2 = try fixture.commit("y2", parents: [y1, x1], updating: "refs/heads/y", expecting: y1)
        let x3 = try fixture.commit("x3", files: ["x": "3\n"], on: "x")
        let y3 = try fixture.commit("y3", files: ["y": "3\n"], on: "y")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bases-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = try IndexDatabase(path: directory.appendingPathComponent("index.sqlite").path)
        let bases = MergeBases(repository: fixture.repository, index: index)
        for (one, two) in [(x3, y3), (y3, x3), (x2, y2), (x3, base), (x1, x3), (y1, x3)] {
            let git = try fixture.git("merge-base", "--all", one.hex, two.hex)
            let expected = Set(git.split(separator: "\n").compactMap { ObjectID(hex: String($0)) })
            #expect(Set(try bases.all(one, two)) == expected)
            #expect(try index.mergeBases(of: one, two) == (try bases.all(one, two)))
            let isAncestor = (try? fixture.git("merge-base", "--is-ancestor", one.hex, two.hex)) != nil
            #expect(try bases.isAncestor(one, of: two) == isAncestor)
        }
        #expect(Set(try bases.all(x3, y3)) == [x1, y1])
        // A second handle answers from the index without computing: a planted answer shows it.
        try index.storeMergeBases([base], of: x3, y3)
        #expect(try MergeBases(repository: fixture.repository, index: index).all(x3, y3) == [base])

        let shallowPath = directory.appendingPathComponent("shallow").path
        _ = try fixture.git("clone", "-q", "--depth", "1", "--branch", "x", "file://\(fixture.path)", shallowPath)
        let shallow = try Repository(at: shallowPath)
        #expect(shallow.isShallow)
        #expect(!fixture.repository.isShallow)
        let shallowIndex = try IndexDatabase(path: directory.appendingPathComponent("shallow.sqlite").path)
        let tip = try #require(try shallow.head())
        _ = try MergeBases(repository: shallow, index: shallowIndex).all(tip, tip)
        #expect(try shallowIndex.mergeBases(of: tip, tip) == nil)
    }

    /// Ours changes line 3 of `f.c` and deletes `h.c` (o1), then makes four commits, one of which
    /// (o5) changes line 9 of `f.c`; theirs changes line 3 and `h.c` from the base.
    static func deepSide() throws -> (FixtureRepository, ours: [ObjectID], theirs: ObjectID, base: ObjectID) {
        let fixture = try FixtureRepository()
        let text = (1...10).map { "line \($0)\n" }
        let base = try fixture.commit("base", files: ["f.c": .text(text.joined()), "g.c": "0\n", "h.c": "h\n"])
        var ours = text
        ours[2] = "ours 3\n"
        var commits = [
            try fixture.commit(
                "o1: line 3, h.c deleted", files: ["f.c": .text(ours.joined()), "h.c": .deleted], on: "ours", from: base
            )
        ]
        for number in 2...6 {
            if number == 5 {
                ours[8] = "ours 9\n"
                commits.append(try fixture.commit("o5: line 9", files: ["f.c": .text(ours.joined())], on: "ours"))
            } else {
                commits.append(try fixture.commit("o\(number): g.c", files: ["g.c": .text("\(number)\n")], on: "ours"))
            }
        }
        var theirs = text
        theirs[2] = "theirs 3\n"
        let t1 = try fixture.commit(
            "t1: line 3 and h.c", files: ["f.c": .text(theirs.joined()), "h.c": "h changed\n"], on: "theirs", from: base
        )
        return (fixture, commits, t1, base)
    }

    @Test("a side's commits are searched within its window only, as git blame ^END does")
    func historyWindowBoundsTheSearch() throws {
        let (fixture, ours, theirs, base) = try Self.deepSide()
        let whole = try TrialMerge(repository: fixture.repository).merge(name: "theirs", tip: theirs, onto: ours[5])
        #expect(whole.conflicts.map(\.path) == ["f.c", "h.c"])
        #expect(whole.conflicts.map(\.ourCommits) == [[ours[0]], [ours[0]]])
        #expect(whole.conflicts.map(\.theirCommits) == [[theirs], [theirs]])
        // At most three commits: o6, o5 and o4 are searched; o3 is where the search ends.
        let end = try HistoryWindow(margin: 0, limit: 3).end(of: ours[5], base: base, in: fixture.repository)
        #expect(end == ours[2])
        #expect(try HistoryWindow().end(of: ours[5], base: base, in: fixture.repository) == nil)
        var shallow = TrialMerge(repository: fixture.repository)
        shallow.historyWindow = HistoryWindow(margin: 0, limit: 3)
        let bounded = try shallow.merge(name: "theirs", tip: theirs, onto: ours[5])
        #expect(bounded.conflicts.map(\.path) == ["f.c", "h.c"])
        // Line 3 is older than the window: no commit, not o5 (which changed f.c elsewhere);
        // h.c's deletion is older too. Their side, one commit deep, is searched whole.
        #expect(bounded.conflicts.map(\.hunks).map { $0.map(\.ourCommits) } == [[[]], []])
        #expect(bounded.conflicts.map(\.ourCommits) == [[], []])
        #expect(bounded.conflicts.map(\.theirCommits) == [[theirs], [theirs]])
        // git blame bounded the same way finds no commit for line 3 either.
        let blame = try fixture.git(
            "blame", "-l", "-s", "-L", "3,3", ours[5].hex, "^\(base.hex)", "^\(ours[2].hex)", "--", "f.c")
        #expect(blame.hasPrefix("^"))
    }

    @Test(
        "the window reaches past the merge base's date by its margin: a side branch older than the base, merged after it"
    )
    func historyWindowMargin() throws {
        let fixture = try FixtureRepository()
        let text = (1...10).map { "line \($0)\n" }
        let root = try fixture.commit("root", files: ["f.c": .text(text.joined()), "g.c": "0\n"])
        var old = text
        old[2] = "old branch 3\n"
        // Committed before the base, on a branch from the root.
        let oldCommit = try fixture.commit("old: line 3", files: ["f.c": .text(old.joined())], on: "old", from: root)
        let base = try fixture.commit("base: g.c", files: ["g.c": "1\n"], on: "ours", from: root)
        let ours = try fixture.commit(
            "merge old", files: ["f.c": .text(old.joined())], parents: [base, oldCommit], updating: "refs/heads/ours",
            expecting: base)
        var theirs = text
        theirs[2] = "theirs 3\n"
        let theirCommit = try fixture.commit(
            "theirs: line 3", files: ["f.c": .text(theirs.joined())], on: "theirs", from: base)
        #expect(try fixture.repository.mergeBase(ours, theirCommit) == base)
        // The merge and the base are no older than the base; the old commit is the first older
        // one, and the base does not reach it: a window, ending there without a margin.
        #expect(try HistoryWindow(margin: 0).end(of: ours, base: base, in: fixture.repository) == oldCommit)
        #expect(try HistoryWindow(margin: 1).end(of: ours, base: base, in: fixture.repository) == root)
        #expect(try HistoryWindow().end(of: ours, base: base, in: fixture.repository) == nil)
        var noMargin = TrialMerge(repository: fixture.repository)
        noMargin.historyWindow = HistoryWindow(margin: 0)
        let without = try noMargin.merge(name: "theirs", tip: theirCommit, onto: ours)
        #expect(without.conflicts.map(\.ourCommits) == [[]])
        let with = try TrialMerge(repository: fixture.repository).merge(name: "theirs", tip: theirCommit, onto: ours)
        #expect(with.conflicts.map(\.ourCommits) == [[oldCommit]])
        #expect(with.conflicts.map(\.theirCommits) == [[theirCommit]])
    }
}
