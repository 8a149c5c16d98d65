public import Git

/// The pairwise conflict matrix (Docs/plan.md, "The pairwise matrix"). Two trees that each merge
/// cleanly onto the integration tip conflict when merging both onto it conflicts in either order:
/// the second merged onto the merge of the first, then the other way round (each tree taken in as
/// its `PullMethod` says). Only pairs that could conflict are merged: those whose changed paths
/// (since they forked from the integration branch) overlap, or that share commits the integration
/// branch lacks (their merge bases then differ); for any other pair each order gives the same as
/// merging the second tree alone, which is clean. A tree that conflicts with the integration tip
/// alone is not paired (`Tree.mergesAlone`).
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
        /// Whether it merges cleanly onto the integration tip on its own (nil when not fetched);
        /// one that does not is not paired: its conflict is with the integration branch.
        public var mergesAlone: Bool?
    }

    /// Which order of merging a pair onto the integration tip conflicted.
    public enum Order: String, Sendable, Codable, Hashable {
        /// The second tree merged onto the integration tip with the first merged.
        case firstThenSecond = "first-then-second"
        /// The first tree merged onto the integration tip with the second merged.
        case secondThenFirst = "second-then-first"
    }

    public struct Pair: Sendable, Codable {
        /// The earlier tree in merge order.
        public var first: String
        public var second: String
        /// The paths both change (directories count: a file in one, a path below it in the other).
        public var overlap: [String]
        /// The orders in which merging both onto the integration tip conflicts (empty when clean).
        public var conflictingOrders: [Order] = []
        public var outcome: Outcome
        public var conflicts: [MergeConflict]
    }

    /// The matrix of the manifest's trees (their fetched tips) relative to its integration
    /// branch, as `trib conflicts` reports it.
    public static func build(
        repository: Repository, manifest: Manifest, index: IndexDatabase?, context: Context = Context()
    ) throws -> ConflictMatrix {
        guard let integrationTip = try repository.referenceTarget(manifest.integration.reference) else {
            throw TributaryError.refused("the integration branch \(manifest.integration.branch) does not exist")
        }
        let trees = try manifest.trees.map { (name: $0.name, tip: try repository.referenceTarget($0.reference)) }
        return try build(
            repository: repository, trees: trees, integrationTip: integrationTip, index: index,
            methods: Dictionary(manifest.trees.map { ($0.name, $0.method) }, uniquingKeysWith: { first, _ in first }),
            context: context)
    }

    /// Builds the matrix for `trees` (name and tip), relative to `integrationTip`, each tree
    /// taken in as `methods` says (default: a merge).
    ///
    /// A pair whose trees share no commit outside the integration branch, each with one merge
    /// base with it, is first checked file by file: in either order only the paths both change
    /// can merge differently from the second tree alone, so when each of those is a text file
    /// modified on both sides that merges cleanly with a three-way file merge (against the
    /// first's merge onto the integration tip), the pair is clean. Any other pair is merged
    /// whole, both orders, for the conflict details. `fullMerges` merges every pair whole (tests).
    public static func build(
        repository: Repository, trees: [(name: String, tip: ObjectID?)], integrationTip: ObjectID,
        index: IndexDatabase? = nil, fullMerges: Bool = false, methods: [String: PullMethod] = [:],
        context: Context = Context()
    ) throws -> ConflictMatrix {
        defer { context.progress(nil) }
        let method = { (position: Int) in methods[trees[position].name] ?? PullMethod() }
        let forks = try trees.indices.map { position in
            try Fork(
                trees[position].tip, integrationTip: integrationTip, subtree: method(position).subtree,
                repository: repository)
        }
        let (withIntegration, mergesAlone) = try Self.mergedAlone(
            trees, forks: forks.map { $0 != nil }, integrationTip: integrationTip, methods: methods,
            repository: repository, index: index, context: context)
        var candidates = Self.overlaps(
            trees.indices.map { withIntegration[$0] == nil ? [] : forks[$0]?.changedPaths ?? [] })
        for first in trees.indices where withIntegration[first] != nil {
            for second in trees.indices where second > first && withIntegration[second] != nil {
                guard let one = forks[first], let two = forks[second], !one.commits.isDisjoint(with: two.commits)
                else { continue }
                candidates[Pairing(first: first, second: second), default: []].formUnion([])
            }
        }
        let trialMerge = TrialMerge(repository: repository, index: index)
        let ordered = candidates.keys.sorted(by: { ($0.first, $0.second) < ($1.first, $1.second) })
        // A pair's file-by-file verdict depends on both tips and the integration tip (which fix
        // the forks and the overlap): pairs found clean before under the same three are looked up.
        func cleanKey(_ pairing: Pairing) -> String? {
            guard let firstTip = trees[pairing.first].tip, let secondTip = trees[pairing.second].tip else { return nil }
            return "quick/2 \(integrationTip.hex) \(firstTip.hex) \(secondTip.hex)"
        }
        let knownClean = fullMerges ? [] : try index?.cleanPairs(among: ordered.compactMap(cleanKey)) ?? []
        var foundClean: [String] = []
        defer { try? index?.storeCleanPairs(foundClean) }
        var pairs: [Pair] = []
        for (number, pairing) in ordered.enumerated() {
            context.progress("conflicts: pair \(number + 1) of \(ordered.count)")
            guard let firstTip = trees[pairing.first].tip, let secondTip = trees[pairing.second].tip,
                let firstMerged = withIntegration[pairing.first], let secondMerged = withIntegration[pairing.second],
                let firstFork = forks[pairing.first], let secondFork = forks[pairing.second]
            else { continue }
            func pair(_ orders: [Order], _ conflicts: [MergeConflict] = []) -> Pair {
                Pair(
                    first: trees[pairing.first].name, second: trees[pairing.second].name,
                    overlap: candidates[pairing]!.sorted(), conflictingOrders: orders,
                    outcome: orders.isEmpty ? .clean : .conflict, conflicts: conflicts)
            }
            if let key = cleanKey(pairing), knownClean.contains(key) {
                pairs.append(pair([]))
                continue
            }
            let plain = method(pairing.first) == PullMethod() && method(pairing.second) == PullMethod()
            if !fullMerges, plain, firstFork.bases.count == 1, secondFork.bases.count == 1,
                firstFork.commits.isDisjoint(with: secondFork.commits),
                try mergesCleanly(
                    candidates[pairing]!, base: secondFork.base, first: firstMerged, second: secondTip,
                    repository: repository),
                try mergesCleanly(
                    candidates[pairing]!, base: firstFork.base, first: secondMerged, second: firstTip,
                    repository: repository)
            {
                if let key = cleanKey(pairing) { foundClean.append(key) }
                pairs.append(pair([]))
                continue
            }
            let (orders, conflicts) = try Self.bothOrders(
                (trees[pairing.first].name, firstTip, firstMerged, method(pairing.first)),
                (trees[pairing.second].name, secondTip, secondMerged, method(pairing.second)), trialMerge)
            pairs.append(pair(orders, conflicts))
        }
        let fetched = trees.indices.filter { withIntegration[$0] != nil }.count
        return ConflictMatrix(
            trees: trees.indices.map { position in
                Tree(
                    name: trees[position].name, tip: trees[position].tip,
                    changedPaths: forks[position]?.changedPaths.count ?? 0, mergesAlone: mergesAlone[position])
            },
            pairs: pairs, disjointPairs: fetched * (fetched - 1) / 2 - pairs.count)
    }

    /// Each tree merged onto the integration tip on its own, as its method says: the result of
    /// each that merges cleanly (what its pairs start from), and whether each does (nil: not
    /// fetched, or no history shared).
    private static func mergedAlone(
        _ trees: [(name: String, tip: ObjectID?)], forks: [Bool], integrationTip: ObjectID,
        methods: [String: PullMethod], repository: Repository, index: IndexDatabase?, context: Context
    ) throws -> (withIntegration: [Int: ObjectID], mergesAlone: [Bool?]) {
        let alone = TrialMerge(repository: repository, index: index, describesConflicts: false)
        var withIntegration: [Int: ObjectID] = [:]
        var mergesAlone: [Bool?] = Array(repeating: nil, count: trees.count)
        for position in trees.indices {
            guard let tip = trees[position].tip, forks[position] else { continue }
            context.progress(
                "conflicts: merging \(trees[position].name) onto the integration tip, \(position + 1) of \(trees.count) trees"
            )
            let step = try alone.merge(
                name: trees[position].name, tip: tip, onto: integrationTip,
                method: methods[trees[position].name] ?? PullMethod())
            let clean = step.conflicts.isEmpty && step.outcome != .notFastForward
            mergesAlone[position] = clean
            if clean { withIntegration[position] = step.result }
        }
        return (withIntegration, mergesAlone)
    }

    /// A pair merged whole in both orders: each tree (name, tip, its merge onto the integration
    /// tip, its method) onto the other's merge. The orders that conflict, and the conflicts of the
    /// first of them.
    private static func bothOrders(
        _ first: (name: String, tip: ObjectID, merged: ObjectID, method: PullMethod),
        _ second: (name: String, tip: ObjectID, merged: ObjectID, method: PullMethod), _ trialMerge: TrialMerge
    ) throws -> ([Order], [MergeConflict]) {
        let firstThenSecond = try trialMerge.merge(
            name: second.name, tip: second.tip, onto: first.merged, method: second.method)
        let secondThenFirst = try trialMerge.merge(
            name: first.name, tip: first.tip, onto: second.merged, method: first.method)
        var orders: [Order] = []
        if !firstThenSecond.conflicts.isEmpty || firstThenSecond.outcome == .notFastForward {
            orders.append(.firstThenSecond)
        }
        if !secondThenFirst.conflicts.isEmpty || secondThenFirst.outcome == .notFastForward {
            orders.append(.secondThenFirst)
        }
        return (orders, firstThenSecond.conflicts.isEmpty ? secondThenFirst.conflicts : firstThenSecond.conflicts)
    }

    /// A tree's fork point from the integration tip, its commits since, and the paths it changes
    /// (for a subtree tree, as paths of the integration branch: below its directory).
    private struct Fork {
        var base: ObjectID
        /// Every merge base with the integration tip.
        var bases: [ObjectID]
        var commits: Set<ObjectID>
        var changedPaths: [String]

        /// Nil for a tree not fetched, or sharing no history with the integration tip.
        init?(_ tip: ObjectID?, integrationTip: ObjectID, subtree: String?, repository: Repository) throws {
            // git_merge_bases lists the best merge base (git_merge_base's answer) first.
            guard let tip else { return nil }
            bases = try repository.mergeBases(tip, integrationTip)
            guard let base = bases.first else { return nil }
            self.base = base
            changedPaths = try repository.changedPaths(
                from: repository.treeOfCommit(base), to: repository.treeOfCommit(tip))
            if let subtree { changedPaths = changedPaths.map { subtree + "/" + $0 } }
            commits = Set(try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(base.hex)])))
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
