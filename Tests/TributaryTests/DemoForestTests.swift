import Foundation
import Git
import GitFixtures
import Testing
import Tributary
import TributaryDemo

@Suite struct DemoForestTests {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trib-forest-\(UUID().uuidString)").path
    }

    @Test("the forest is deterministic: the same commit ids on every build")
    func deterministic() throws {
        let first = Self.temporaryDirectory()
        let second = Self.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let one = try DemoForest.build(in: first)
        let two = try DemoForest.build(in: second)
        #expect(one.base == two.base)
        #expect(one.trees.map(\.commits) == two.trees.map(\.commits))
        #expect(one.trees.map(\.name) == ["slab", "memblock", "vma", "thp"])
        #expect(one.trees.flatMap(\.plantedProblems).count == 3)
        // Each sub-tree's own repository holds the same commits that were fetched.
        for tree in one.trees {
            let repository = try Repository(at: tree.repositoryPath)
            #expect(try repository.referenceTarget("refs/heads/for-next") == tree.commits.last)
            let integration = try Repository(at: one.integrationPath)
            #expect(try integration.referenceTarget("refs/tributary/trees/\(tree.name)") == tree.commits.last)
        }
    }

    @Test("a non-empty directory is refused and left alone")
    func refusesNonEmptyDirectory() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "keep me\n".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(throws: TributaryError.self) { try DemoForest.build(in: directory) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"])
    }
}

@Suite struct TrialMergeSequenceTests {
    @Test("merges in order, leaves out a conflicting tree, reports what is already merged")
    func sequence() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["mm.h": "a\nb\nc\nd\ne\nf\ng\n", "slab.c": "1\n"])
        let slab = try fixture.commit("slab", files: ["slab.c": "2\n"], on: "slab", from: base)
        let vma = try fixture.commit("vma", files: ["mm.h": "a\nVMA\nc\nd\ne\nf\ng\n"], on: "vma", from: base)
        let thp = try fixture.commit("thp", files: ["mm.h": "a\nTHP\nc\nd\ne\nf\ng\n"], on: "thp", from: base)
        let late = try fixture.commit("late", files: ["mm.h": "a\nb\nc\nd\ne\nf\nLATE\n"], on: "late", from: base)
        let steps = try TrialMerge(repository: fixture.repository).run(
            base: base, references: [("slab", slab), ("vma", vma), ("thp", thp), ("late", late), ("slab-again", slab)])
        #expect(steps.map(\.name) == ["slab", "vma", "thp", "late", "slab-again"])
        #expect(steps[2].conflicts.map(\.path) == ["mm.h"])
        #expect(steps[2].conflicts.first?.theirCommits == [thp])
        #expect(steps[2].conflicts.first?.ourCommits == [vma])
        #expect(steps[4].outcome == .upToDate)
        #expect(steps.map(\.newCommits.count) == [1, 1, 1, 1, 0])
        guard case .clean(let tree) = steps[3].outcome else {
            Issue.record("late should merge cleanly")
            return
        }
        // The running result holds slab, vma and late, but not thp.
        #expect(try fixture.repository.fileContents(at: "mm.h", in: tree) == Array("a\nVMA\nc\nd\ne\nf\nLATE\n".utf8))
        #expect(try fixture.repository.fileContents(at: "slab.c", in: tree) == Array("2\n".utf8))
        // Nothing moved.
        #expect(
            try fixture.repository.references(matching: "refs/*").map(\.name) == [
                "refs/heads/late", "refs/heads/main", "refs/heads/slab", "refs/heads/thp", "refs/heads/vma",
            ])
    }
}

@Suite struct DuplicatePatchTests {
    @Test("the same diff committed twice is found; a different diff is not")
    func duplicates() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["a.c": "1\n2\n3\n", "b.c": "x\n"])
        let one = try fixture.commit("fix typo", files: ["a.c": "1\ntwo\n3\n"], on: "one", from: base)
        let two = try fixture.commit(
            "Fix the typo (applied again)", files: ["a.c": "1\ntwo\n3\n"], on: "two", from: base,
            author: Signature(name: "Other", email: "other@example.org", time: 5))
        let other = try fixture.commit("other", files: ["b.c": "y\n"], on: "two")
        let found = try DuplicatePatchFinder(repository: fixture.repository).duplicates(among: [
            ("one", [one]), ("two", [two, other]),
        ])
        #expect(found.count == 1)
        #expect(found.first?.copies.map(\.commit) == [one, two])
        #expect(found.first?.copies.map(\.tree) == ["one", "two"])
    }
}

@Suite struct FetcherTests {
    @Test("a fetch records the tip; a failing one reports git's message and changes nothing")
    func fetch() throws {
        let upstream = try FixtureRepository(bare: true)
        let tip = try upstream.commit("work", files: ["f": "1\n"], on: "for-next")
        let integration = try FixtureRepository()
        let fetcher = Fetcher()
        let outcome = try fetcher.fetch(
            .init(name: "slab", url: upstream.path, branch: "for-next"), into: integration.path)
        #expect(outcome.failure == nil)
        #expect(outcome.previousTip == nil && outcome.tip == tip)
        let missing = try fetcher.fetch(
            .init(name: "slab", url: upstream.path + "-missing", branch: "for-next"), into: integration.path)
        #expect(missing.failure != nil)
        #expect(missing.tip == tip)
        let optionLike = try fetcher.fetch(
            .init(name: "slab", url: upstream.path, branch: "--upload-pack=touch"), into: integration.path)
        #expect(optionLike.failure == "branch '--upload-pack=touch' starts with '-' and could be taken for an option")
    }
}
