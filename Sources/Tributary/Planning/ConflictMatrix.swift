public import Git

/// The pairwise conflict matrix: every pair of trees merged with each other, in memory, but only
/// where the paths they change (since they forked from the integration branch) overlap; every
/// other pair is disjoint and cannot conflict.
public struct ConflictMatrix: Sendable, Codable {
    public var schema = "tributary.conflicts/1"
    /// The trees, in merge order, with their tips (nil when not fetched).
    public var trees: [Tree]
    /// The pairs whose changed paths overlap, with the merge's outcome.
    public var pairs: [Pair]
    /// How many pairs were disjoint (not merged).
    public var disjointPairs: Int

    /// Whether some pair conflicts (exit status 1).
    public var hasConflicts: Bool { pairs.contains { $0.outcome == .conflict } }

    /// What merging a pair gave.
    public enum Outcome: String, Sendable, Codable, Hashable {
        case clean, conflict
    }

    public struct Tree: Sendable, Codable {
        public var name: String
        public var tip: ObjectID?
        /// How many paths it changes.
        public var changedPaths: Int
    }

    public struct Pair: Sendable, Codable {
        /// The earlier tree in merge order.
        public var first: String
        public var second: String
        /// The paths both change (directories count: a file in one, a path below it in the other).
        public var overlap: [String]
        public var outcome: Outcome
        public var conflicts: [MergeConflict]
    }

    /// The matrix of the manifest's trees (their fetched tips) relative to its integration
    /// branch, as `trib conflicts` reports it.
    public static func build(repository: Repository, manifest: Manifest, index: IndexDatabase?) throws
        -> ConflictMatrix
    {
        guard let integrationTip = try repository.referenceTarget(manifest.integration.reference) else {
            throw TributaryError.refused("the integration branch \(manifest.integration.branch) does not exist")
        }
        let trees = try manifest.trees.map { (name: $0.name, tip: try repository.referenceTarget($0.reference)) }
        return try build(repository: repository, trees: trees, integrationTip: integrationTip, index: index)
    }

    /// Builds the matrix for `trees` (name and tip), relative to `integrationTip`.
    ///
    /// A pair is first checked file by file: when every path both trees change is a text file
    /// modified on both sides (same mode throughout, one merge base) and each merges cleanly with
    /// a three-way file merge, the pair is clean — nothing else can conflict, since the paths
    /// only one tree changes are taken from it. Any other pair (a conflict, an addition or
    /// deletion, a mode change, a binary file, several merge bases) is merged whole, as before,
    /// for the conflict details. `fullMerges` merges every pair whole (for tests).
    public static func build(
        repository: Repository, trees: [(name: String, tip: ObjectID?)], integrationTip: ObjectID,
        index: IndexDatabase? = nil, fullMerges: Bool = false
    ) throws -> ConflictMatrix {
        let forks = try trees.map { tree in try Fork(tree.tip, integrationTip: integrationTip, repository: repository) }
        let overlaps = Self.overlaps(forks.map { $0?.changedPaths ?? [] })
        let trialMerge = TrialMerge(repository: repository, index: index)
        let ordered = overlaps.keys.sorted(by: { ($0.first, $0.second) < ($1.first, $1.second) })
        // A pair's file-by-file verdict depends on both tips and both fork points (which fix the
        // overlap): pairs found clean before under the same four are looked up at once.
        func cleanKey(_ pairing: Pairing) -> String? {
            guard let firstTip = trees[pairing.first].tip, let secondTip = trees[pairing.second].tip,
                let firstFork = forks[pairing.first]?.base, let secondFork = forks[pairing.second]?.base
            else { return nil }
            return "quick/1 \(firstTip.hex) \(secondTip.hex) \(firstFork.hex) \(secondFork.hex)"
        }
        let knownClean = fullMerges ? [] : try index?.cleanPairs(among: ordered.compactMap(cleanKey)) ?? []
        var foundClean: [String] = []
        defer { try? index?.storeCleanPairs(foundClean) }
        var pairs: [Pair] = []
        for pairing in ordered {
            guard let firstTip = trees[pairing.first].tip, let secondTip = trees[pairing.second].tip else { continue }
            func pair(_ outcome: Outcome, _ conflicts: [MergeConflict] = []) -> Pair {
                Pair(
                    first: trees[pairing.first].name, second: trees[pairing.second].name,
                    overlap: overlaps[pairing]!.sorted(), outcome: outcome, conflicts: conflicts)
            }
            if let key = cleanKey(pairing), knownClean.contains(key) {
                pairs.append(pair(.clean))
                continue
            }
            let bases = try Fork.mergeBases(
                forks[pairing.first], forks[pairing.second], firstTip, secondTip, repository)
            if bases.isEmpty { continue }
            if !fullMerges, bases.count == 1,
                try mergesCleanly(
                    overlaps[pairing]!, base: bases[0], first: firstTip, second: secondTip, repository: repository)
            {
                if let key = cleanKey(pairing) { foundClean.append(key) }
                pairs.append(pair(.clean))
                continue
            }
            let step = try trialMerge.merge(name: trees[pairing.second].name, tip: secondTip, onto: firstTip)
            pairs.append(pair(step.conflicts.isEmpty ? .clean : .conflict, step.conflicts))
        }
        let fetched = trees.filter { $0.tip != nil }.count
        return ConflictMatrix(
            trees: zip(trees, forks).map {
                Tree(name: $0.0.name, tip: $0.0.tip, changedPaths: $0.1?.changedPaths.count ?? 0)
            },
            pairs: pairs, disjointPairs: fetched * (fetched - 1) / 2 - pairs.count)
    }

    /// A tree's fork point from the integration tip, its commits since, and the paths it changes.
    private struct Fork {
        var base: ObjectID
        var commits: Set<ObjectID>
        var changedPaths: [String]

        /// Nil for a tree not fetched, or sharing no history with the integration tip.
        init?(_ tip: ObjectID?, integrationTip: ObjectID, repository: Repository) throws {
            guard let tip, let base = try repository.mergeBase(tip, integrationTip) else { return nil }
            self.base = base
            changedPaths = try repository.changedPaths(
                from: repository.treeOfCommit(base), to: repository.treeOfCommit(tip))
            commits = Set(try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(base.hex)])))
        }

        /// The merge bases of two trees. When both forked at the same commit and share no commit
        /// since, that commit is their only merge base: any other common ancestor would be
        /// reachable from both tips but not from the fork point, so a commit of both. Otherwise
        /// libgit2 computes them (`Repository.mergeBases`).
        static func mergeBases(
            _ one: Fork?, _ two: Fork?, _ firstTip: ObjectID, _ secondTip: ObjectID, _ repository: Repository
        ) throws -> [ObjectID] {
            if let one, let two, one.base == two.base, one.commits.isDisjoint(with: two.commits) { return [one.base] }
            return try repository.mergeBases(firstTip, secondTip)
        }
    }

    /// The pairs of trees (by position) whose changed paths overlap — the same path, or a file in
    /// one and a path below it in the other — with the paths.
    private static func overlaps(_ changed: [[String]]) -> [Pairing: Set<String>] {
        // Which trees touch each path, or a path below it.
        var byPath: [String: [Int]] = [:]
        var byDirectory: [String: Set<Int>] = [:]
        for (position, paths) in changed.enumerated() {
            for path in paths {
                byPath[path, default: []].append(position)
                var directory = Substring(path)
                while let slash = directory.lastIndex(of: "/") {
                    directory = directory[..<slash]
                    byDirectory[String(directory), default: []].insert(position)
                }
            }
        }
        var overlaps: [Pairing: Set<String>] = [:]
        for (path, owners) in byPath {
            let touching = owners + (byDirectory[path].map { Array($0) } ?? [])
            let unique = Array(Set(touching)).sorted()
            for (offset, first) in unique.enumerated() {
                for second in unique[(offset + 1)...] where owners.contains(first) || owners.contains(second) {
                    overlaps[Pairing(first: first, second: second), default: []].insert(path)
                }
            }
        }
        return overlaps
    }

    /// Whether every one of `paths` is a text file that both sides modified (or left alone) and
    /// that merges cleanly (`git_merge_file`). False means "not known clean": merge the pair whole.
    static func mergesCleanly(
        _ paths: Set<String>, base: ObjectID, first: ObjectID, second: ObjectID, repository: Repository
    ) throws -> Bool {
        let roots = try [base, first, second].map { try repository.treeOfCommit($0) }
        for path in paths {
            let entries = try roots.map { try repository.entry(at: path, in: $0) }
            guard let baseEntry = entries[0], let firstEntry = entries[1], let secondEntry = entries[2],
                baseEntry.mode == .regular || baseEntry.mode == .executable,
                firstEntry.mode == baseEntry.mode, secondEntry.mode == baseEntry.mode
            else { return false }
            if firstEntry.id == secondEntry.id || firstEntry.id == baseEntry.id || secondEntry.id == baseEntry.id {
                continue
            }
            if try repository.mergedText(base: baseEntry, ours: firstEntry, theirs: secondEntry) == nil { return false }
        }
        return true
    }

    private struct Pairing: Hashable {
        var first: Int
        var second: Int
    }
}
