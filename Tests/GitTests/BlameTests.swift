import Foundation
import Git
import GitFixtures
import Testing

/// `GitProgram.blame` against `git blame` in its plain format, and against libgit2's blame.
@Suite struct BlameTests {
    /// Ten lines in a file whose name git quotes; lines 3–4 changed; the file renamed; line 8
    /// changed under the new name.
    static func history() throws -> (FixtureRepository, [ObjectID]) {
        let fixture = try FixtureRepository()
        let text = (1...10).map { "line \($0)\n" }
        let c1 = try fixture.commit("add", files: ["dir/ü.c": .text(text.joined())])
        var changed = text
        changed[2] = "changed 3\n"
        changed[3] = "changed 4\n"
        let c2 = try fixture.commit("change 3 and 4", files: ["dir/ü.c": .text(changed.joined())])
        let c3 = try fixture.commit(
            "rename", files: ["dir/ü.c": .deleted, "dir/new ü.c": .text(changed.joined())])
        changed[7] = "changed 8\n"
        let c4 = try fixture.commit("change 8", files: ["dir/new ü.c": .text(changed.joined())])
        return (fixture, [c1, c2, c3, c4])
    }

    @Test("git blame --porcelain read as git blame prints it, boundary, renames and quoted names included")
    func porcelainEqualsPlainFormat() throws {
        let (fixture, commits) = try Self.history()
        let hunks = try GitProgram().blame(
            "dir/new ü.c", at: commits[3], excluding: [commits[0]], lines: [0..<5, 6..<10],
            in: fixture.repository.gitDirectory)
        // Per line, as `git blame -l -s` prints: ^ for the boundary.
        let plain = try fixture.git(
            "blame", "-l", "-s", "-L", "1,5", "-L", "7,10", commits[3].hex, "^" + commits[0].hex, "--", "dir/new ü.c")
        var expected: [Int: (String, Bool)] = [:]
        var lineNumbers = Array(0..<5) + Array(6..<10)
        for line in plain.split(separator: "\n") {
            let first = String(line.prefix { $0 != " " })
            let boundary = first.hasPrefix("^")
            expected[lineNumbers.removeFirst()] = (String(first.dropFirst(boundary ? 1 : 0)), boundary)
        }
        var got: [Int: (String, Bool)] = [:]
        for hunk in hunks {
            for line in hunk.start..<(hunk.start + hunk.count) { got[line] = (hunk.commit.hex, hunk.isBoundary) }
        }
        #expect(got.keys.sorted() == expected.keys.sorted())
        for (line, value) in expected {
            // git prints the boundary commit's id one character short, after its ^.
            #expect(got[line].map { $0.1 } == value.1, "line \(line)")
            #expect(
                got[line].map { $0.0.hasPrefix(value.0) } == true, "line \(line): \(got[line]?.0 ?? "-") \(value.0)")
        }
        #expect(hunks.first { $0.commit == commits[1] }?.originalPath == "dir/ü.c")
        #expect(hunks.first { $0.commit == commits[3] }?.originalPath == "dir/new ü.c")
        #expect(Set(hunks.filter { !$0.isBoundary }.map(\.commit)) == [commits[1], commits[3]])
    }

    @Test("git's and libgit2's blame name the same commits for the same lines")
    func gitEqualsLibgit2() throws {
        let (fixture, commits) = try Self.history()
        let git = try GitProgram().blame(
            "dir/new ü.c", at: commits[3], excluding: [commits[0]], lines: [0..<10],
            in: fixture.repository.gitDirectory)
        let libgit2 = try fixture.repository.blame("dir/new ü.c", at: commits[3], since: commits[0], lines: 0..<10)
        func byLine(_ hunks: [BlameHunk]) -> [Int: ObjectID] {
            var lines: [Int: ObjectID] = [:]
            for hunk in hunks where !hunk.isBoundary {
                for line in hunk.start..<(hunk.start + hunk.count) { lines[line] = hunk.commit }
            }
            return lines
        }
        #expect(byLine(git) == byLine(libgit2))
        #expect(byLine(git) == [2: commits[1], 3: commits[1], 7: commits[3]])
    }
}
