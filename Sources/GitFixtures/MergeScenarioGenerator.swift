public import Git

/// Generates pairs of branches from a common base for differential merge tests. Each pair mixes
/// one to three scenarios on different files: clean edits, edits to different regions of one
/// file, content conflicts, add/add (same and different content), modify/delete, rename on one
/// side with an edit on the other, rename/rename, rename/delete, and mode changes.
public struct MergeScenarioGenerator {
    /// The kinds of scenario, each named in the pair it is used in.
    public enum Scenario: String, CaseIterable, Sendable {
        case disjointFiles, sameFileDifferentRegions, contentConflict, addAddDifferent, addAddSame
        case modifyDelete, renameAndEdit, renameRename, renameDelete, modeAndEdit, bothSameEdit
    }

    /// One generated pair: two branch tips and the scenarios in them.
    public struct Pair: Sendable {
        public var ours: ObjectID
        public var theirs: ObjectID
        public var scenarios: [Scenario]
    }

    public var random: SeededGenerator

    public init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    private static func lines(_ tag: String, count: Int = 24) -> [String] {
        (1...count).map { "\(tag) line \($0): static int value_\($0) = \($0 * 7);" }
    }

    private static func text(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    /// Makes `count` pairs in `fixture`, each on its own base commit (on branch `base-N`), with
    /// branches `ours-N` and `theirs-N`.
    public mutating func makePairs(_ count: Int, in fixture: FixtureRepository) throws -> [Pair] {
        var pairs: [Pair] = []
        for number in 0..<count {
            var scenarios: [Scenario] = [Scenario.allCases[number % Scenario.allCases.count]]
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                scenarios.append(Scenario.allCases.randomElement(using: &random)!)
            }
            var base: [String: FileContent] = [:]
            var ours: [String: FileContent] = [:]
            var theirs: [String: FileContent] = [:]
            for (slot, scenario) in scenarios.enumerated() {
                let name = "f\(number)_\(slot)"
                let path = "src/\(name).c"
                let original = Self.lines(name)
                var edited = original
                var other = original
                switch scenario {
                case .disjointFiles:
                    base[path] = .text(Self.text(original))
                    base["lib/\(name).h"] = .text(Self.text(Self.lines(name + "h")))
                    edited[2] = "ours edit"
                    ours[path] = .text(Self.text(edited))
                    var header = Self.lines(name + "h")
                    header[5] = "theirs edit"
                    theirs["lib/\(name).h"] = .text(Self.text(header))
                case .sameFileDifferentRegions:
                    base[path] = .text(Self.text(original))
                    edited[1] = "ours edit near the top"
                    other[20] = "theirs edit near the bottom"
                    ours[path] = .text(Self.text(edited))
                    theirs[path] = .text(Self.text(other))
                case .contentConflict:
                    base[path] = .text(Self.text(original))
                    let line = Int.random(in: 0..<original.count, using: &random)
                    edited[line] = "ours changed this"
                    other[line] = "theirs changed this differently"
                    ours[path] = .text(Self.text(edited))
                    theirs[path] = .text(Self.text(other))
                case .addAddDifferent:
                    ours[path] = .text(Self.text(Self.lines("ours-" + name)))
                    theirs[path] = .text(Self.text(Self.lines("theirs-" + name)))
                case .addAddSame:
                    ours[path] = .text(Self.text(original))
                    theirs[path] = .text(Self.text(original))
                case .modifyDelete:
                    base[path] = .text(Self.text(original))
                    edited[4] = "ours modified"
                    ours[path] = .text(Self.text(edited))
                    theirs[path] = .deleted
                case .renameAndEdit:
                    base[path] = .text(Self.text(original))
                    ours[path] = .deleted
                    ours["moved/\(name).c"] = .text(Self.text(original))
                    other[10] = "theirs edit after the rename"
                    theirs[path] = .text(Self.text(other))
                case .renameRename:
                    base[path] = .text(Self.text(original))
                    ours[path] = .deleted
                    ours["ours/\(name).c"] = .text(Self.text(original))
                    theirs[path] = .deleted
                    theirs["theirs/\(name).c"] = .text(Self.text(original))
                case .renameDelete:
                    base[path] = .text(Self.text(original))
                    ours[path] = .deleted
                    ours["moved/\(name).c"] = .text(Self.text(original))
                    theirs[path] = .deleted
                case .modeAndEdit:
                    base[path] = .text(Self.text(original))
                    ours[path] = .executable(Self.text(original))
                    other[3] = "theirs edit"
                    theirs[path] = .text(Self.text(other))
                case .bothSameEdit:
                    base[path] = .text(Self.text(original))
                    edited[7] = "the same edit on both sides"
                    ours[path] = .text(Self.text(edited))
                    theirs[path] = .text(Self.text(edited))
                }
            }
            base["README"] = .text("pair \(number)\n")
            let baseCommit = try fixture.commit("Base \(number)", files: base, on: "base-\(number)")
            let ourCommit = try fixture.commit("Ours \(number)", files: ours, on: "ours-\(number)", from: baseCommit)
            let theirCommit = try fixture.commit(
                "Theirs \(number)", files: theirs, on: "theirs-\(number)", from: baseCommit)
            pairs.append(Pair(ours: ourCommit, theirs: theirCommit, scenarios: scenarios))
        }
        return pairs
    }
}
