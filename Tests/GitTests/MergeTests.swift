import Foundation
import GitFixtures
import Testing

@testable import Git

/// Differential tests: in-memory merges against `git merge-tree --write-tree`.
@Suite struct MergeTests {
    /// git's answer: the tree id when clean, else the conflicted paths.
    enum Outcome: Equatable, CustomStringConvertible {
        case clean(String)
        case conflicted(Set<String>)
        var description: String {
            switch self {
            case .clean(let tree): "clean \(tree)"
            case .conflicted(let paths): "conflicts in \(paths.sorted())"
            }
        }
    }

    static func gitOutcome(_ fixture: FixtureRepository, _ ours: ObjectID, _ theirs: ObjectID) throws -> Outcome {
        let output = try fixture.git.run([
            "merge-tree", "--write-tree", "--name-only", "--no-messages", ours.hex, theirs.hex,
        ])
        let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if output.status == 0 { return .clean(lines[0]) }
        #expect(output.status == 1, "git merge-tree failed: \(output.errorOutput)")
        return .conflicted(Set(lines.dropFirst().prefix { !$0.isEmpty }))
    }

    static func ourOutcome(_ repository: Repository, _ ours: ObjectID, _ theirs: ObjectID) throws -> Outcome {
        let index = try repository.merge(ours: ours, theirs: theirs)
        if !index.hasConflicts { return .clean(try index.writeTree().hex) }
        return .conflicted(Set(try index.conflictedPaths()))
    }

    @Test("merges of 66 generated branch pairs equal git merge-tree --write-tree")
    func generatedPairs() throws {
        let fixture = try FixtureRepository()
        var generator = MergeScenarioGenerator(seed: 2026)
        let pairs = try generator.makePairs(66, in: fixture)
        var covered = Set<MergeScenarioGenerator.Scenario>()
        var cleanCount = 0
        for pair in pairs {
            covered.formUnion(pair.scenarios)
            let expected = try Self.gitOutcome(fixture, pair.ours, pair.theirs)
            let actual = try Self.ourOutcome(fixture.repository, pair.ours, pair.theirs)
            #expect(actual == expected, "scenarios \(pair.scenarios.map(\.rawValue))")
            if case .clean = expected { cleanCount += 1 }
        }
        #expect(covered.count == MergeScenarioGenerator.Scenario.allCases.count)
        #expect(cleanCount > 5 && cleanCount < pairs.count - 5, "both clean and conflicted merges are covered")
    }

    @Test("merging only the files theirs changed gives git merge-tree's tree, or declines, on 160 generated pairs")
    func changedFilesMergeOnGeneratedPairs() throws {
        let fixture = try FixtureRepository()
        var generator = MergeScenarioGenerator(seed: 4242)
        var taken = 0
        var declinedClean = 0
        for pair in try generator.makePairs(160, in: fixture) {
            let repository = fixture.repository
            let base = try #require(try repository.mergeBase(pair.ours, pair.theirs))
            let merged = try repository.mergeTreesByChangedFiles(
                ancestor: repository.treeOfCommit(base), ours: repository.treeOfCommit(pair.ours),
                theirs: repository.treeOfCommit(pair.theirs))
            let expected = try Self.gitOutcome(fixture, pair.ours, pair.theirs)
            if let merged {
                #expect(expected == .clean(merged.hex), "scenarios \(pair.scenarios.map(\.rawValue))")
                #expect(try Self.ourOutcome(repository, pair.ours, pair.theirs) == .clean(merged.hex))
                taken += 1
            } else if case .clean = expected {
                declinedClean += 1
            }
        }
        // Both answers are exercised: taken, and declined where a whole merge is needed.
        #expect(taken > 20 && declinedClean > 5, "taken \(taken), declined though clean \(declinedClean)")
    }

    @Test("merging only the files theirs changed declines every case a whole merge must decide")
    func changedFilesMergeEdges() throws {
        let fixture = try FixtureRepository()
        let repository = fixture.repository
        let text = (1...30).map { "line \($0)\n" }.joined()
        let base = try fixture.commit(
            "base",
            files: ["a.c": .text(text), "b.c": "b\n", "run.sh": .executable("echo\n"), "link": .symlink("a.c")],
            on: "base")
        func outcome(ours: [String: FileContent], theirs: [String: FileContent], _ name: String) throws -> (
            ObjectID?, Outcome
        ) {
            let our = try fixture.commit("ours \(name)", files: ours, on: "ours-\(name)", from: base)
            let their = try fixture.commit("theirs \(name)", files: theirs, on: "theirs-\(name)", from: base)
            let merged = try repository.mergeTreesByChangedFiles(
                ancestor: repository.treeOfCommit(base), ours: repository.treeOfCommit(our),
                theirs: repository.treeOfCommit(their))
            return (merged, try Self.gitOutcome(fixture, our, their))
        }
        let edited = text.replacingOccurrences(of: "line 3\n", with: "line three\n")
        let editedFar = text.replacingOccurrences(of: "line 28\n", with: "line twenty-eight\n")
        let editedSame = text.replacingOccurrences(of: "line 3\n", with: "line 3, theirs\n")
        // Taken: git's tree.
        for (name, ours, theirs) in [
            ("disjoint", ["b.c": "b2\n"], ["a.c": FileContent.text(edited)]),
            ("same-file", ["a.c": .text(edited)], ["a.c": .text(editedFar)]),
            ("removal", ["a.c": .text(edited)], ["b.c": .deleted]),
            ("new-directory", ["b.c": "b2\n"], ["drivers/new/x.c": "x\n"]),
            ("link-retargeted", ["a.c": .text(edited)], ["link": .symlink("b.c")]),
            ("mode-only-theirs", ["a.c": .text(edited)], ["run.sh": .text("echo\n")]),
        ] as [(String, [String: FileContent], [String: FileContent])] {
            let (merged, expected) = try outcome(ours: ours, theirs: theirs, name)
            #expect(merged != nil, "\(name) is settled without a whole merge")
            #expect(merged.map { Outcome.clean($0.hex) } == expected, "\(name)")
        }
        // Declined: a whole merge decides (conflicts, or clean only through renames or modes).
        for (name, ours, theirs) in [
            ("conflict", ["a.c": FileContent.text(edited)], ["a.c": .text(editedSame)]),
            ("modify-delete", ["a.c": .text(edited)], ["a.c": .deleted]),
            ("delete-modify", ["a.c": .deleted], ["a.c": .text(edited)]),
            ("add-add", ["n.c": "ours\n"], ["n.c": "theirs\n"]),
            ("file-under-file", ["x": "file\n"], ["x/y.c": "y\n"]),
            ("file-over-directory", ["x/y.c": "y\n"], ["x": "file\n"]),
            ("mode-and-edit", ["run.sh": .executable("echo ours\n")], ["run.sh": .text("echo\n")]),
            ("binary", ["b.c": .bytes([0, 1, 2, 10, 3])], ["b.c": .bytes([0, 1, 2, 10, 4])]),
            ("rename-and-edit", ["a.c": .deleted, "moved.c": .text(text)], ["a.c": .text(edited)]),
            ("rename-delete", ["a.c": .deleted, "moved.c": .text(text)], ["a.c": .deleted]),
            ("rename-rename", ["a.c": .deleted, "ours.c": .text(text)], ["a.c": .deleted, "theirs.c": .text(text)]),
        ] as [(String, [String: FileContent], [String: FileContent])] {
            let (merged, _) = try outcome(ours: ours, theirs: theirs, name)
            #expect(merged == nil, "\(name) needs a whole merge")
        }
    }

    @Test("a content conflict reports its three stages and merges to text with markers")
    func conflictDetails() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["mm/slub.c": "a\nb\nc\n"])
        let ours = try fixture.commit("ours", files: ["mm/slub.c": "a\nB1\nc\n"], on: "ours", from: base)
        let theirs = try fixture.commit("theirs", files: ["mm/slub.c": "a\nB2\nc\n"], on: "theirs", from: base)
        let index = try fixture.repository.merge(ours: ours, theirs: theirs)
        let conflicts = try index.conflicts()
        #expect(conflicts.count == 1)
        let conflict = try #require(conflicts.first)
        #expect(conflict.path == "mm/slub.c")
        #expect(conflict.ancestor != nil && conflict.ours != nil && conflict.theirs != nil)
        let merged = try index.mergedFile(for: conflict, ourLabel: "slab", theirLabel: "vma")
        #expect(!merged.isClean)
        #expect(
            String(decoding: merged.contents, as: UTF8.self) == "a\n<<<<<<< slab\nB1\n=======\nB2\n>>>>>>> vma\nc\n")
        #expect(throws: GitError.self) { try index.writeTree() }
        try index.resolve("mm/slub.c", blob: fixture.repository.writeBlob("a\nB1\nB2\nc\n"), mode: .regular)
        #expect(!index.hasConflicts)
        let tree = try index.writeTree()
        #expect(try fixture.repository.fileContents(at: "mm/slub.c", in: tree) == Array("a\nB1\nB2\nc\n".utf8))
    }

    @Test("unrelated histories are refused, as git does")
    func unrelatedHistories() throws {
        let fixture = try FixtureRepository()
        let one = try fixture.commit("one", files: ["a": "1\n"], on: "one")
        let two = try fixture.commit("two", files: ["b": "2\n"], on: "two")
        #expect(try fixture.repository.mergeBase(one, two) == nil)
        #expect(throws: GitError.self) { try fixture.repository.merge(ours: one, theirs: two) }
    }

    @Test("criss-cross histories merge like git (several merge bases)")
    func crissCross() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["f": "1\n2\n3\n4\n5\n6\n7\n8\n9\n"])
        let a1 = try fixture.commit("a1", files: ["f": "1a\n2\n3\n4\n5\n6\n7\n8\n9\n"], on: "a", from: base)
        let b1 = try fixture.commit("b1", files: ["f": "1\n2\n3\n4\n5\n6\n7\n8\n9b\n"], on: "b", from: base)
        let a2 = try fixture.commit(
            "a2", files: ["f": "1a\n2\n3\n4\n5\n6\n7\n8\n9b\n"], parents: [a1, b1], updating: "refs/heads/a",
            expecting: a1)
        let b2 = try fixture.commit(
            "b2", files: ["f": "1a\n2\n3\n4\n5\n6\n7\n8\n9b\n", "g": "new\n"], parents: [b1, a1],
            updating: "refs/heads/b", expecting: b1)
        let a3 = try fixture.commit("a3", files: ["f": "1a\n2\n3\n4 from a\n5\n6\n7\n8\n9b\n"], on: "a")
        #expect(try fixture.repository.mergeBases(a3, b2).count == 2)
        _ = a2
        #expect(try Self.ourOutcome(fixture.repository, a3, b2) == Self.gitOutcome(fixture, a3, b2))
    }

    /// A sub-project (its files at the top) merged into a project that keeps it under `sub/`
    /// and also has a file more like one of the sub-project's than its own copy is, but under
    /// another name; their side changes that file (`lib/option.tcl`), and `Makefile` as `makefile`
    /// says (a conflict when the project changed it too).
    static func subProject(conflicting: Bool) throws -> (FixtureRepository, ObjectID, ObjectID) {
        let fixture = try FixtureRepository()
        let option = (1...20).map { "option line \($0) of the sub-project\n" }
        let other = (1...20).map { "other line \($0)\n" }.joined()
        let base = try fixture.commit(
            "sub-project",
            files: ["lib/option.tcl": .text(option.joined()), "lib/other.tcl": .text(other), "Makefile": "all:\n"])
        var copy = option
        copy[0] = "moved 1\n"
        copy[1] = "moved 2\n"
        copy[2] = "moved 3\n"
        var lookalike = option
        lookalike[19] = "a look-alike\n"
        var project: [String: FileContent] = [
            "lib/option.tcl": .deleted, "lib/other.tcl": .deleted, "sub/lib/option.tcl": .text(copy.joined()),
            "sub/lib/other.tcl": .text(other), "tools/options.tcl": .text(lookalike.joined()),
        ]
        for number in 1...30 { project["src/file\(number).c"] = .text("int f\(number);\n") }
        if conflicting { project["Makefile"] = "all: project\n" }
        let ours = try fixture.commit("the project", files: project, on: "ours", from: base)
        var changed = option
        changed[9] = "option line 10, changed\n"
        let theirs = try fixture.commit(
            "sub-project: line 10", files: ["lib/option.tcl": .text(changed.joined()), "Makefile": "all: sub\n"],
            on: "theirs", from: base)
        return (fixture, ours, theirs)
    }

    @Test("rename candidates git would not weigh are left out: same-name match, kept sources, set-aside files back")
    func renameCandidatesAsGit() throws {
        for conflicting in [false, true] {
            let (fixture, ours, theirs) = try Self.subProject(conflicting: conflicting)
            let repository = fixture.repository
            let base = try #require(try repository.mergeBase(ours, theirs))
            let index = try repository.mergeTrees(
                ancestor: try repository.treeOfCommit(base), ours: try repository.treeOfCommit(ours),
                theirs: try repository.treeOfCommit(theirs))
            let actual: Outcome =
                index.hasConflicts
                ? .conflicted(Set(try index.conflictedPaths())) : .clean(try index.writeTree().hex)
            #expect(actual == (try Self.gitOutcome(fixture, ours, theirs)), "conflicting: \(conflicting)")
            if conflicting {
                #expect(actual == .conflicted(["Makefile"]))
                // The files set aside are back: resolving the one conflict gives git's tree.
                try index.resolve("Makefile", blob: try repository.writeBlob(Array("all: both\n".utf8)), mode: .regular)
                let tree = try index.writeTree()
                #expect(try repository.fileContents(at: "src/file30.c", in: tree) == Array("int f30;\n".utf8))
                #expect(
                    try repository.fileContents(at: "sub/lib/option.tcl", in: tree).map {
                        String(decoding: $0, as: UTF8.self)
                    }?
                    .contains("option line 10, changed") == true)
                #expect(try repository.entry(at: "lib/option.tcl", in: tree) == nil)
                // A file set aside and then written (a fix-up) keeps what was written.
                try index.resolve("src/file29.c", blob: try repository.writeBlob(Array("fixed\n".utf8)), mode: .regular)
                #expect(
                    try repository.fileContents(at: "src/file29.c", in: try index.writeTree()) == Array("fixed\n".utf8))
            }
        }
    }

    @Test("the candidates taken out: the kept source and the unmatched added files; none past the rename limit")
    func renameCandidatesTakenOut() throws {
        let (fixture, ours, theirs) = try Self.subProject(conflicting: false)
        let repository = fixture.repository
        let trees = try (
            base: repository.treeOfCommit(try #require(try repository.mergeBase(ours, theirs))),
            ours: repository.treeOfCommit(ours), theirs: repository.treeOfCommit(theirs)
        )
        let candidates = try repository.renameCandidates(
            ancestor: trees.base, ours: trees.ours, theirs: trees.theirs, threshold: 50, limit: 7000)
        // lib/other.tcl: removed by ours, kept by theirs. lib/option.tcl, which theirs changed,
        // matches sub/lib/option.tcl by name: every other file ours added is set aside.
        #expect(candidates.irrelevant.map(\.path) == ["lib/other.tcl"])
        #expect(candidates.irrelevant.map(\.keptByOurs) == [false])
        let setAside = candidates.setAside.map(\.entry.path).sorted()
        let expected = ((1...30).map { "src/file\($0).c" } + ["sub/lib/other.tcl", "tools/options.tcl"]).sorted()
        #expect(setAside == expected)
        #expect(candidates.setAside.map(\.ours) == Array(repeating: true, count: expected.count))
        // 36 changed paths (35 of ours, the Makefile of theirs): past a limit of 35 libgit2
        // compares nothing, and nothing is taken out; at 36 it compares.
        for (limit, empty) in [(35, true), (36, false)] {
            let limited = try repository.renameCandidates(
                ancestor: trees.base, ours: trees.ours, theirs: trees.theirs, threshold: 50, limit: limit)
            #expect(limited.isEmpty == empty, "limit \(limit)")
        }
    }

    @Test("an added file is set aside only where putting it back meets nothing: not at, above or below a hazard")
    func setAsideHazards() {
        let hazards = SetAsideHazards(["a/b/file", "top", "dir/x"])
        #expect(hazards.leaveFree("a/b/other"))
        #expect(hazards.leaveFree("a/c"))
        #expect(!hazards.leaveFree("a/b/file"))
        // Below a file: a directory/file clash.
        #expect(!hazards.leaveFree("top/new"))
        #expect(!hazards.leaveFree("a/b/file/deeper"))
        // A file where the others have a directory.
        #expect(!hazards.leaveFree("a"))
        #expect(!hazards.leaveFree("a/b"))
        #expect(!hazards.leaveFree("dir"))
        #expect(hazards.leaveFree("directory"))
        #expect(hazards.leaveFree("to"))
    }
}
