import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// `trib where` finds copies edited on the way: by backport marker, and by content (changed
/// lines as sets, subject, author), in the manifest's `[place]` branches; close candidates are
/// all named.
@Suite struct WhereContentTests {
    /// Twenty distinct lines of C.
    private static func source(_ changed: [Int: String] = [:], first: String = "/* first line of the file */")
        -> FileContent
    {
        let lines = (1...20).map { changed[$0] ?? "static int value_\($0) = compute_something(\($0));" }
        return .text(([first] + lines).joined(separator: "\n") + "\n")
    }

    private let jose = Signature(name: "José Núñez", email: "jose@example.org", time: 0)
    private let joseWithoutAccents = Signature(name: "Jose Nunez", email: "jose.nunez@example.com", time: 0)

    @Test("an edited backport (other context, a test left out, the name without accents) is found by content")
    func editedBackport() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["src/a.c": Self.source(), "src/b.c": Self.source()])
        let change = [5: "static int value_5 = compute_better(5, FLAGS);", 6: "static int value_6 = 0; /* reset */"]
        let upstream = try fixture.commit(
            "src: compute the fifth value better",
            files: ["src/a.c": Self.source(change), "tests/a.sh": .text("#!/bin/sh\nrun_the_test_of_value_5\n")],
            author: jose)
        // The stable branch: another change above the lines first (the context differs), then the
        // backport without its test, by the author's name without accents, and a change to the
        // same file that is something else.
        _ = try fixture.commit(
            "src: a first line for stable", files: ["src/a.c": Self.source(first: "/* stable branch */")],
            on: "stable", from: base)
        let backport = try fixture.commit(
            "src: compute the fifth value better",
            files: ["src/a.c": Self.source(change, first: "/* stable branch */")], on: "stable",
            author: joseWithoutAccents)
        _ = try fixture.commit(
            "src: something else in the same file",
            files: [
                "src/a.c": Self.source(
                    change.merging([12: "static int value_12 = other(12);"]) { $1 }, first: "/* stable branch */")
            ],
            on: "stable")
        // Another place: the change marked as picked from upstream, written differently.
        _ = try fixture.commit(
            "src: the fifth value, by hand\n\n(cherry picked from commit \(upstream.hex))",
            files: ["src/b.c": Self.source([5: "static int value_5 = compute_better(5, 0);"])], on: "old",
            from: base)
        let answer = try answer(upstream.hex, in: fixture, base: base, places: ["stable", "old"])
        let stable = answer.commits.filter { $0.place == "stable" }
        #expect(stable.map(\.commit) == [backport])
        #expect(stable.first?.rule == .content)
        #expect(stable.first?.evidence == "subject, author, 4 of 4 lines in 1 of 2 files")
        #expect(stable.first?.candidate == nil)
        let old = answer.commits.filter { $0.place == "old" }
        #expect(old.map(\.rule) == [.backportMarker])
        #expect(answer.commits.first { $0.place == "main" }?.rule == .patchID)
    }

    @Test("two commits of one place as close to the change are both named, as candidates")
    func closeCandidates() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["src/a.c": Self.source(), "src/b.c": Self.source()])
        let change = [5: "static int value_5 = compute_better(5, FLAGS);", 6: "static int value_6 = 0; /* reset */"]
        let upstream = try fixture.commit(
            "src: compute the fifth value better", files: ["src/a.c": Self.source(change)])
        // The same change applied twice on the stable branch (a revert between), each time after
        // another change of the line above it (other context): neither is the same patch.
        let one = [3: "static int value_3 = one_of_them(3);"]
        let two = [3: "static int value_3 = two_of_them(3);"]
        _ = try fixture.commit("src: one", files: ["src/a.c": Self.source(one)], on: "stable", from: base)
        let first = try fixture.commit(
            "src: compute the fifth value better", files: ["src/a.c": Self.source(change.merging(one) { $1 })],
            on: "stable")
        _ = try fixture.commit("Revert", files: ["src/a.c": Self.source(two)], on: "stable")
        let second = try fixture.commit(
            "src: compute the fifth value better", files: ["src/a.c": Self.source(change.merging(two) { $1 })],
            on: "stable")
        // And a commit that shares one of the lines only: not named.
        _ = try fixture.commit(
            "src: unrelated",
            files: [
                "src/b.c": Self.source([5: "static int value_5 = compute_better(5, FLAGS);", 9: "x = y + z;;"])
            ], on: "stable")
        let answer = try answer(upstream.hex, in: fixture, base: base, places: ["stable"])
        let stable = answer.commits.filter { $0.place == "stable" }
        #expect(Set(stable.map(\.commit)) == [first, second])
        #expect(stable.allSatisfy { $0.candidate == true && $0.rule == .content })
        #expect(
            LedgerRenderer.text(answer).contains(
                "(candidate, content 1.00: subject, author, 4 of 4 lines in 1 of 1 files)"))
    }

    @Test("markers in every form the field writes")
    func markers() {
        let message = """
            net: fix it

            commit 1234567890abcdef1234567890abcdef12345678 upstream.

            [ Upstream commit abcdef0123456 ]
            (cherry picked from commit 0123456789abcdef0123456789abcdef01234567)
            master commit: fedcba9876543210
            This commit 1111111 is not a marker, nor is abcdef0 upstream of anything.
            """
        #expect(
            BackportMarker.commits(in: message) == [
                "1234567890abcdef1234567890abcdef12345678", "abcdef0123456", "0123456789abcdef0123456789abcdef01234567",
                "fedcba9876543210",
            ])
    }

    /// `trib where QUERY` with a manifest whose integration branch is main (based on `base`) and
    /// whose places are `places` (branches of the fixture).
    private func answer(_ query: String, in fixture: FixtureRepository, base: ObjectID, places: [String]) throws
        -> WhereAnswer
    {
        let file = fixture.path + "/manifest-for-where"
        var text = "[integration]\n\tbranch = main\n\tbase = \(base.hex)\n"
        for place in places { text += "[place \"\(place)\"]\n\tref = refs/heads/\(place)\n" }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let manifest = try Manifest.load(from: file)
        #expect(manifest.places.map(\.name) == places)
        let repository = fixture.repository
        return try WhereAnswer.find(
            try WhereQuery.classify(query, in: repository), repository: repository, manifest: manifest)
    }
}

/// The mainline below the base, back to `[integration] history`, is a place `trib where` asks.
@Suite struct WhereMainlineTests {
    @Test("a change below the base is found in the mainline within the horizon, and not beyond it")
    func horizon() throws {
        let fixture = try FixtureRepository()
        var commits: [ObjectID] = []
        for number in 1...10 {
            commits.append(
                try fixture.commit("mainline change \(number)", files: ["file\(number).c": .text("int x\(number);\n")]))
        }
        let base = commits[7]
        // A tree's commit that is an edited copy of mainline change 6 (another line beside it).
        let tree = try fixture.commit(
            "mainline change 6", files: ["file6.c": .text("int x6;\nint and_another_line;\n")], on: "tree",
            from: commits[1])
        func places(_ query: String, history: String?) throws -> [String] {
            let file = fixture.path + "/manifest-horizon"
            var text = "[integration]\n\tbranch = main\n\tbase = \(base.hex)\n"
            if let history { text += "\thistory = \(history)\n" }
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let manifest = try Manifest.load(from: file)
            let answer = try WhereAnswer.find(
                try WhereQuery.classify(query, in: fixture.repository), repository: fixture.repository,
                manifest: manifest)
            return answer.commits.map {
                "\($0.place) \($0.commit == commits[4] || $0.commit == commits[5] ? "copy" : "other") \($0.rule.rawValue)"
            }
        }
        #expect(try places(commits[4].hex, history: nil) == ["mainline copy patch-id"])
        #expect(try places(commits[4].hex, history: commits[3].hex) == ["mainline copy patch-id"])
        #expect(try places(commits[4].hex, history: commits[5].hex) == [])
        #expect(try places(commits[4].hex, history: "none") == [])
        #expect(try places(commits[4].hex, history: "2") == [])
        #expect(try places(commits[4].hex, history: "5") == ["mainline copy patch-id"])
        #expect(try places(commits[4].hex, history: "2020-01-01") == ["mainline copy patch-id"])
        // The tree's edited copy, asked about, is found in the mainline as mainline change 6.
        #expect(try places(tree.hex, history: nil) == ["mainline copy content"])
        // The base moved up past change 9: it is in the mainline now, no longer in main (whose
        // commits the index read under the old base).
        func holding(_ commit: ObjectID, base: ObjectID) throws -> [String] {
            let file = fixture.path + "/manifest-moved"
            try "[integration]\n\tbranch = main\n\tbase = \(base.hex)\n".write(
                toFile: file, atomically: true, encoding: .utf8)
            return try WhereAnswer.find(
                try WhereQuery.classify(commit.hex, in: fixture.repository), repository: fixture.repository,
                manifest: try Manifest.load(from: file)
            ).commits.map(\.place)
        }
        #expect(try holding(commits[8], base: commits[7]) == ["main"])
        #expect(try holding(commits[8], base: commits[9]) == ["mainline"])
    }

    @Test("a place or a history that names no commit is an error naming the manifest, before any answer")
    func refsThatNameNothing() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("base", files: ["a.c": .text("int a;\n")])
        let file = fixture.path + "/manifest-bad-refs"
        func error(_ extra: String) throws -> TributaryError? {
            try ("[integration]\n\tbranch = main\n\tbase = \(base.hex)\n" + extra)
                .write(toFile: file, atomically: true, encoding: .utf8)
            let manifest = try Manifest.load(from: file)
            do {
                _ = try WhereAnswer.find(
                    try WhereQuery.classify(base.hex, in: fixture.repository), repository: fixture.repository,
                    manifest: manifest)
                return nil
            } catch let error as TributaryError {
                return error
            }
        }
        #expect(
            try error("[place \"stable\"]\n\tref = refs/heads/nothing\n")
                == .badInput("\(file):5: place \"stable\": ref 'refs/heads/nothing' names no commit"))
        #expect(
            try error("\thistory = v0.0-none\n")
                == .badInput("\(file): integration.history 'v0.0-none' names no commit"))
        // Nothing was written for the refused manifests: no index, not even the state directory.
        #expect(!FileManager.default.fileExists(atPath: fixture.repository.gitDirectory + "tributary"))
    }

    @Test("a history that is neither a revision, a date, a count nor none names its line")
    func badHistory() throws {
        let fixture = try FixtureRepository()
        let file = fixture.path + "/manifest-bad-history"
        try "[integration]\n\tbranch = main\n\thistory = -v6.0\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(
            throws: TributaryError.badInput(
                "\(file):3: integration.history '-v6.0' is not a revision, a date (YYYY-MM-DD), a number of commits or none"
            )
        ) {
            _ = try Manifest.load(from: file)
        }
    }
}
