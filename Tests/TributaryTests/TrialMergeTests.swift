import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// Conflict kinds, hunks and blame of trial merges, and the agreement of `TrialMerge` with
/// `git merge-tree --write-tree`.
@Suite struct TrialMergeTests {
    /// One two-sided scenario: a base commit, then our and their commits on top.
    static func conflict(
        base: [String: FileContent], ours: [String: FileContent], theirs: [String: FileContent]
    ) throws -> (FixtureRepository, [MergeConflict], ours: ObjectID, theirs: ObjectID) {
        let fixture = try FixtureRepository()
        let start = try fixture.commit("base", files: base)
        let ourTip = try fixture.commit("ours", files: ours, on: "ours", from: start)
        let theirTip = try fixture.commit("theirs", files: theirs, on: "theirs", from: start)
        let step = try TrialMerge(repository: fixture.repository).merge(name: "theirs", tip: theirTip, onto: ourTip)
        return (fixture, step.conflicts, ourTip, theirTip)
    }

    @Test("every conflict kind is named as git names it")
    func kinds() throws {
        let text = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n"
        let changedOurs = text.replacingOccurrences(of: "e\n", with: "E ours\n")
        let changedTheirs = text.replacingOccurrences(of: "e\n", with: "E theirs\n")
        let cases: [(ConflictKind, [String: FileContent], [String: FileContent], [String: FileContent])] = [
            (.content, ["f.c": .text(text)], ["f.c": .text(changedOurs)], ["f.c": .text(changedTheirs)]),
            (.addAdd, ["x": "x\n"], ["new.c": "one\n"], ["new.c": "two\n"]),
            (.modifyDelete, ["f.c": .text(text)], ["f.c": .text(changedOurs)], ["f.c": .deleted]),
            (.deleteModify, ["f.c": .text(text)], ["f.c": .deleted], ["f.c": .text(changedTheirs)]),
            (.renameDelete, ["f.c": .text(text)], ["f.c": .deleted, "g.c": .text(text)], ["f.c": .deleted]),
            (
                .renameRename, ["f.c": .text(text)], ["f.c": .deleted, "g.c": .text(text)],
                ["f.c": .deleted, "h.c": .text(text)]
            ),
            (
                .renameModify, ["f.c": .text(text)], ["f.c": .deleted, "g.c": .text(changedOurs)],
                ["f.c": .text(changedTheirs)]
            ),
            (.binary, ["b.bin": .bytes([0, 1, 2])], ["b.bin": .bytes([0, 1, 3])], ["b.bin": .bytes([0, 1, 4])]),
        ]
        for (kind, base, ours, theirs) in cases {
            let (_, conflicts, _, _) = try Self.conflict(base: base, ours: ours, theirs: theirs)
            #expect(conflicts.map(\.kind).contains(kind), "\(kind.rawValue): got \(conflicts.map(\.kind.rawValue))")
        }
    }

    @Test("a content conflict's hunk has base, ours and theirs text at each version's lines")
    func hunks() throws {
        let base = (1...20).map { "line \($0)\n" }.joined()
        let ours = base.replacingOccurrences(of: "line 10\n", with: "ours 10\nours 10b\n")
            .replacingOccurrences(of: "line 2\n", with: "")
        let theirs = base.replacingOccurrences(of: "line 10\n", with: "theirs 10\n")
        let (_, conflicts, _, _) = try Self.conflict(
            base: ["f.c": .text(base)], ours: ["f.c": .text(ours)], theirs: ["f.c": .text(theirs)])
        let hunk = try #require(conflicts.first?.hunks.first)
        #expect(conflicts.first?.hunks.count == 1)
        #expect(hunk.base == LineSpan(start: 9, count: 1, text: "line 10\n"))
        #expect(hunk.ours == LineSpan(start: 8, count: 2, text: "ours 10\nours 10b\n"))
        #expect(hunk.theirs == LineSpan(start: 9, count: 1, text: "theirs 10\n"))
    }

    @Test("each side's commits are the ones that last changed the conflicting lines")
    func blame() throws {
        let fixture = try FixtureRepository()
        let base = (1...30).map { "line \($0)\n" }.joined()
        let start = try fixture.commit("base", files: ["f.c": .text(base)])
        // Ours: one commit changes line 5 (no conflict), another line 20 (the conflict).
        var ours = base.replacingOccurrences(of: "line 5\n", with: "ours 5\n")
        let unrelated = try fixture.commit("ours: line 5", files: ["f.c": .text(ours)], on: "ours", from: start)
        ours = ours.replacingOccurrences(of: "line 20\n", with: "ours 20\n")
        let culprit = try fixture.commit("ours: line 20", files: ["f.c": .text(ours)], on: "ours")
        let theirText = base.replacingOccurrences(of: "line 20\n", with: "theirs 20\n")
        let theirCommit = try fixture.commit(
            "theirs: line 20", files: ["f.c": .text(theirText)], on: "theirs", from: start)
        _ = try fixture.commit("theirs: other file", files: ["g.c": "g\n"], on: "theirs")
        let step = try TrialMerge(repository: fixture.repository).merge(
            name: "theirs", tip: try #require(try fixture.tip("theirs")), onto: culprit)
        let conflict = try #require(step.conflicts.first)
        #expect(conflict.ourCommits == [culprit])
        #expect(!conflict.ourCommits.contains(unrelated))
        #expect(conflict.theirCommits == [theirCommit])
        #expect(conflict.hunks.first?.ourCommits == [culprit])
    }

    @Test("a deletion is attributed to the commit that deleted the file")
    func deletionAttribution() throws {
        let fixture = try FixtureRepository()
        let start = try fixture.commit("base", files: ["f.c": "a\nb\n"])
        let deleter = try fixture.commit("ours: delete", files: ["f.c": .deleted], on: "ours", from: start)
        let modifier = try fixture.commit("theirs: modify", files: ["f.c": "a\nB\n"], on: "theirs", from: start)
        let step = try TrialMerge(repository: fixture.repository).merge(name: "theirs", tip: modifier, onto: deleter)
        #expect(step.conflicts.map(\.kind) == [.deleteModify])
        #expect(step.conflicts.first?.ourCommits == [deleter])
        #expect(step.conflicts.first?.theirCommits == [modifier])
    }

    @Test("conflict regions equal the diff3 regions of libgit2's merge-file on generated files")
    func regionsAgreeWithMergeFile() throws {
        var random = SeededGenerator(seed: 77)
        let fixture = try FixtureRepository()
        var compared = 0
        for round in 0..<120 {
            let base = (0..<30).map { "l\($0)\n" }
            func mutate(_ lines: [String], _ tag: String) -> [String] {
                var lines = lines
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let at = Int.random(in: 0..<lines.count, using: &random)
                    let length = Int.random(in: 0...2, using: &random)
                    let replacement = (0..<Int.random(in: 0...2, using: &random)).map { "\(tag)\(round).\($0)\n" }
                    lines.replaceSubrange(at..<min(at + length, lines.count), with: replacement)
                }
                return lines
            }
            let baseBytes = Array(base.joined().utf8)
            let ours = Array(mutate(base, "o").joined().utf8)
            let theirs = Array(mutate(base, "t").joined().utf8)
            let regions = try ConflictRegions.find(base: baseBytes, ours: ours, theirs: theirs)
            let start = try fixture.commit("base \(round)", files: ["f": .bytes(baseBytes)], on: "b\(round)")
            let ourTip = try fixture.commit("o", files: ["f": .bytes(ours)], on: "o\(round)", from: start)
            let theirTip = try fixture.commit("t", files: ["f": .bytes(theirs)], on: "t\(round)", from: start)
            let index = try fixture.repository.merge(ours: ourTip, theirs: theirTip)
            let conflicts = try index.conflicts()
            guard let conflict = conflicts.first else {
                #expect(regions.isEmpty, "round \(round): git merges cleanly, regions \(regions)")
                continue
            }
            let merged = try index.mergedFile(for: conflict, showBase: true)
            let text = String(decoding: merged.contents, as: UTF8.self)
            let markerOurs = Self.diff3Sections(text)
            let ourLines = splitLines(ours).map { String(decoding: $0, as: UTF8.self) }
            let theirLines = splitLines(theirs).map { String(decoding: $0, as: UTF8.self) }
            let found = regions.map { (ourLines[$0.ours].joined(), theirLines[$0.theirs].joined()) }
            #expect(found.map(\.0) == markerOurs.map(\.ours), "round \(round)")
            #expect(found.map(\.1) == markerOurs.map(\.theirs), "round \(round)")
            compared += 1
        }
        #expect(compared > 40)
    }

    /// The ours and theirs text of each conflict in diff3-style merge output.
    static func diff3Sections(_ text: String) -> [(ours: String, theirs: String)] {
        var sections: [(ours: String, theirs: String)] = []
        var state = 0
        var ours = ""
        var theirs = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("<<<<<<<") {
                state = 1
                ours = ""
                theirs = ""
            } else if line.hasPrefix("|||||||") {
                state = 2
            } else if line.hasPrefix("=======") {
                state = 3
            } else if line.hasPrefix(">>>>>>>") {
                sections.append((ours, theirs))
                state = 0
            } else if state == 1 {
                ours += line + "\n"
            } else if state == 3 {
                theirs += line + "\n"
            }
        }
        return sections
    }

    @Test("trial merges of 120 generated pairs equal git merge-tree --write-tree, in order onto a base")
    func differential() throws {
        let fixture = try FixtureRepository()
        var generator = MergeScenarioGenerator(seed: 4242)
        let pairs = try generator.makePairs(120, in: fixture)
        var agreed = 0
        for pair in pairs {
            let expected = try fixture.git.run([
                "merge-tree", "--write-tree", "--name-only", "--no-messages", pair.ours.hex, pair.theirs.hex,
            ])
            let step = try TrialMerge(repository: fixture.repository).merge(
                name: "r", tip: pair.theirs, onto: pair.ours)
            let lines = expected.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            switch step.outcome {
            case .clean(let tree):
                #expect(expected.status == 0 && lines.first == tree.hex, "scenarios \(pair.scenarios)")
            case .conflicted(let conflicts):
                let paths = Set(conflicts.flatMap(\.paths))
                #expect(
                    expected.status == 1 && paths == Set(lines.dropFirst().prefix { !$0.isEmpty }),
                    "scenarios \(pair.scenarios): \(paths.sorted()) vs \(lines)")
            case .upToDate:
                #expect(expected.status == 0)
            case .notFastForward:
                Issue.record("a plain merge is never refused as not a fast-forward")
            }
            agreed += 1
        }
        #expect(agreed == 120)
    }
}

@Suite struct ConflictMatrixTests {
    @Test("the file-by-file check gives the same matrix as whole merges, and git merge-tree, on 120 generated pairs")
    func quickCheckAgreesWithWholeMerges() throws {
        let fixture = try FixtureRepository()
        var generator = MergeScenarioGenerator(seed: 977)
        var clean = 0
        for pair in try generator.makePairs(120, in: fixture) {
            let base = try #require(try fixture.repository.mergeBase(pair.ours, pair.theirs))
            let trees: [(name: String, tip: ObjectID?)] = [("a", pair.ours), ("b", pair.theirs)]
            let quick = try ConflictMatrix.build(repository: fixture.repository, trees: trees, integrationTip: base)
            let whole = try ConflictMatrix.build(
                repository: fixture.repository, trees: trees, integrationTip: base, fullMerges: true)
            #expect(quick.pairs.map(\.outcome) == whole.pairs.map(\.outcome), "scenarios \(pair.scenarios)")
            #expect(
                quick.pairs.map { $0.conflicts.map(\.path) } == whole.pairs.map { $0.conflicts.map(\.path) },
                "scenarios \(pair.scenarios)")
            let git = try fixture.git.run([
                "merge-tree", "--write-tree", "--no-messages", pair.ours.hex, pair.theirs.hex,
            ])
            let outcome = quick.pairs.first?.outcome ?? .clean
            #expect((git.status == 0) == (outcome == .clean), "scenarios \(pair.scenarios)")
            if outcome == .clean { clean += 1 }
        }
        // Both outcomes are exercised.
        #expect(clean > 10 && clean < 110)
    }

    @Test("pairs found clean are remembered by both tips and fork points, and a new commit is checked again")
    func cleanPairsRemembered() throws {
        let fixture = try FixtureRepository()
        let index = try IndexDatabase(path: fixture.path + "/.git/test-index.sqlite")
        var generator = MergeScenarioGenerator(seed: 978)
        var remembered = 0
        for pair in try generator.makePairs(40, in: fixture) {
            let base = try #require(try fixture.repository.mergeBase(pair.ours, pair.theirs))
            let trees: [(name: String, tip: ObjectID?)] = [("a", pair.ours), ("b", pair.theirs)]
            let first = try ConflictMatrix.build(
                repository: fixture.repository, trees: trees, integrationTip: base, index: index)
            let again = try ConflictMatrix.build(
                repository: fixture.repository, trees: trees, integrationTip: base, index: index)
            #expect(try JSONText.encode(again) == (try JSONText.encode(first)), "scenarios \(pair.scenarios)")
            let key = "quick/2 \(base.hex) \(pair.ours.hex) \(pair.theirs.hex)"
            let known = try index.cleanPairs(among: [key])
            if first.pairs.first?.outcome == .clean, first.pairs.first?.overlap.isEmpty == false,
                try ConflictMatrix.build(
                    repository: fixture.repository, trees: trees, integrationTip: base, fullMerges: true
                ).pairs.first?.outcome == .clean
            {
                remembered += known.count
            } else {
                #expect(known.isEmpty, "a pair that is not clean is never remembered as clean")
            }
        }
        #expect(remembered >= 3, "the generated pairs include some the file-by-file check settles")

        // Clean, remembered; then one tree gains a commit that conflicts: checked again.
        let base = try fixture.commit("base", files: ["mm/f.c": "1\n2\n3\n4\n5\n6\n7\n"], on: "base")
        let a = try fixture.commit("a", files: ["mm/f.c": "one\n2\n3\n4\n5\n6\n7\n"], on: "a", from: base)
        let b = try fixture.commit("b", files: ["mm/f.c": "1\n2\n3\n4\n5\n6\nseven\n"], on: "b", from: base)
        let clean = try ConflictMatrix.build(
            repository: fixture.repository, trees: [("a", a), ("b", b)], integrationTip: base, index: index)
        #expect(clean.pairs.map(\.outcome) == [.clean])
        #expect(try index.cleanPairs(among: ["quick/2 \(base.hex) \(a.hex) \(b.hex)"]).count == 1)
        let b2 = try fixture.commit("b2", files: ["mm/f.c": "uno\n2\n3\n4\n5\n6\nseven\n"], on: "b")
        let conflicted = try ConflictMatrix.build(
            repository: fixture.repository, trees: [("a", a), ("b", b2)], integrationTip: base, index: index)
        #expect(conflicted.pairs.map(\.outcome) == [.conflict])
        #expect(conflicted.pairs.first?.conflicts.map(\.path) == ["mm/f.c"])
    }
}

/// The matrix by its definition (Docs/plan.md): each tree merged onto the integration tip, then
/// the other onto that, both orders — against git doing exactly that.
@Suite struct ConflictMatrixDefinitionTests {
    /// A forest of trees with different fork points: from the base, from an older integration
    /// commit, from the integration tip, from a newer mainline the integration branch lacks; some
    /// carrying copies (other commits, the same change) of the integration branch's commits.
    static func forest(seed: UInt64, in fixture: FixtureRepository) throws -> (
        integration: ObjectID, trees: [(name: String, tip: ObjectID?)]
    ) {
        var random = SeededGenerator(seed: seed)
        func lines(_ prefix: String) -> [String] { (1...30).map { "\(prefix) line \($0)\n" } }
        var files = ["f.c": lines("f"), "g.c": lines("g")]
        func content() -> [String: FileContent] { files.mapValues { .text($0.joined()) } }
        let base = try fixture.commit("base", files: content(), on: "integration")
        files["f.c"]![2] = "mainline f3\n"
        let mainline = try fixture.commit("mainline: f3", files: content(), on: "integration")
        var copies: [(file: String, line: Int, text: String)] = [(file: "f.c", line: 2, text: "mainline f3\n")]
        for (file, line) in [("f.c", 9), ("g.c", 4), ("f.c", 17)] {
            files[file]![line] = "integration \(file) \(line + 1)\n"
            copies.append((file, line, files[file]![line]))
            try fixture.commit("integration: \(file) \(line + 1)", files: content(), on: "integration")
        }
        let integration = try #require(try fixture.tip("integration"))
        // A newer mainline the integration branch is not based on.
        var newer = files
        newer["f.c"] = lines("f")
        newer["f.c"]![2] = "mainline f3\n"
        newer["g.c"] = lines("g")
        newer["g.c"]![24] = "newer mainline g25\n"
        let newerMainline = try fixture.commit(
            "mainline: g25", files: newer.mapValues { .text($0.joined()) }, on: "newer", from: mainline)
        let forks: [(ObjectID, [String: [String]])] = [
            (base, ["f.c": lines("f"), "g.c": lines("g")]),
            (
                mainline,
                [
                    "f.c": {
                        var f = lines("f")
                        f[2] = "mainline f3\n"
                        return f
                    }(), "g.c": lines("g"),
                ]
            ),
            (integration, files), (newerMainline, newer),
        ]
        var trees: [(name: String, tip: ObjectID?)] = []
        for number in 0..<8 {
            let (fork, start) = forks.randomElement(using: &random)!
            var state = start
            let branch = "tree\(number)"
            var tip = fork
            var branchTip: ObjectID?
            func commit(_ message: String) throws {
                tip = try fixture.commit(
                    message, files: state.mapValues { .text($0.joined()) }, parents: [tip],
                    updating: "refs/heads/" + branch, expecting: branchTip)
                branchTip = tip
            }
            if Bool.random(using: &random) {
                // Old copies of the integration branch's commits, as other commits.
                for copy in copies.prefix(Int.random(in: 1...copies.count, using: &random)) {
                    state[copy.file]![copy.line] = copy.text
                    try commit("copy: \(copy.file) \(copy.line + 1)")
                }
            }
            for edit in 0..<Int.random(in: 1...3, using: &random) {
                let file = Bool.random(using: &random) ? "f.c" : "g.c"
                let line = Int.random(in: 0..<30, using: &random)
                state[file]![line] = "tree \(number) edit \(edit)\n"
                try commit("tree \(number): \(file) \(line + 1)")
            }
            trees.append((branch, tip))
        }
        return (integration, trees)
    }

    /// git's verdict: nil when either tree conflicts with the integration tip alone, else the
    /// conflicting orders.
    static func gitVerdict(
        _ first: ObjectID, _ second: ObjectID, integration: ObjectID, fixture: FixtureRepository
    ) throws -> [ConflictMatrix.Order]? {
        func mergedOntoIntegration(_ tip: ObjectID) throws -> String? {
            let merge = try fixture.git.run(["merge-tree", "--write-tree", integration.hex, tip.hex])
            guard merge.status == 0, let tree = merge.text.split(separator: "\n").first else { return nil }
            return try fixture.git("commit-tree", String(tree), "-p", integration.hex, "-p", tip.hex, "-m", "onto")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let withFirst = try mergedOntoIntegration(first), let withSecond = try mergedOntoIntegration(second)
        else { return nil }
        var orders: [ConflictMatrix.Order] = []
        if try fixture.git.run(["merge-tree", "--write-tree", withFirst, second.hex]).status != 0 {
            orders.append(.firstThenSecond)
        }
        if try fixture.git.run(["merge-tree", "--write-tree", withSecond, first.hex]).status != 0 {
            orders.append(.secondThenFirst)
        }
        return orders
    }

    @Test(
        "every pair's verdict equals git's merges onto the integration tip in both orders, on 3 forests",
        arguments: [UInt64(11), 12, 13])
    func equalsGit(seed: UInt64) throws {
        let fixture = try FixtureRepository()
        let (integration, trees) = try Self.forest(seed: seed, in: fixture)
        let matrix = try ConflictMatrix.build(repository: fixture.repository, trees: trees, integrationTip: integration)
        let whole = try ConflictMatrix.build(
            repository: fixture.repository, trees: trees, integrationTip: integration, fullMerges: true)
        var differences: [String] = []
        var conflicting = 0
        var oneOrderOnly = 0
        for (offset, first) in trees.enumerated() {
            for second in trees[(offset + 1)...] {
                let expected = try Self.gitVerdict(first.tip!, second.tip!, integration: integration, fixture: fixture)
                let pair = matrix.pairs.first { $0.first == first.name && $0.second == second.name }
                let paired =
                    matrix.trees.first { $0.name == first.name }?.mergesAlone == true
                    && matrix.trees.first { $0.name == second.name }?.mergesAlone == true
                let ours: [ConflictMatrix.Order]? = paired ? pair?.conflictingOrders ?? [] : nil
                if ours != expected {
                    differences.append(
                        "\(first.name) × \(second.name): ours \(String(describing: ours)), git \(String(describing: expected))"
                    )
                }
                let wholePair = whole.pairs.first { $0.first == first.name && $0.second == second.name }
                #expect(wholePair?.conflictingOrders == pair?.conflictingOrders, "\(first.name) × \(second.name)")
                if let expected, !expected.isEmpty { conflicting += 1 }
                if expected?.count == 1 { oneOrderOnly += 1 }
            }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        #expect(conflicting >= 1, "the forest has conflicting pairs")
        print(
            "seed \(seed): \(conflicting) conflicting pairs, \(oneOrderOnly) in one order only, \(matrix.pairs.count) merged, \(matrix.disjointPairs) disjoint"
        )
    }
}
