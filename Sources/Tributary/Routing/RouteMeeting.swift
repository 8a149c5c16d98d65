import Git

extension SeriesRouter {
    /// What the series meets once `place` has taken it (as `trial` found it applied): the
    /// series committed onto the trial's start (in memory, no reference moved) and trial-merged
    /// as `trib conflicts` merges trees — onto the integration branch, and pairwise with each
    /// other tree that changed one of its files (the pairwise matrix) — keeping the conflicts in
    /// the series' own files, with the commits on the other side.
    func meeting(_ series: PostedSeries, trial: SeriesTrial, place: String) throws -> SeriesRoute.Meeting? {
        guard let tree = trial.tree, let integrationTip = places.first?.tip else { return nil }
        let paths = Set(series.paths)
        let signature = SeriesRouter.trialSignature
        let routed = try repository.createCommit(
            tree: tree, parents: [trial.tip], author: signature, committer: signature, message: series.title + "\n")
        let methods = Dictionary(manifest.trees.map { ($0.name, $0.method) }, uniquingKeysWith: { one, _ in one })
        var conflicts: [SeriesRoute.TreeConflict] = []
        let others = try places.dropFirst().filter { other in
            guard other.name != place, !trial.place.hasSuffix("+" + other.name) else { return false }
            return try changes(paths, tip: other.tip, since: routed)
        }
        if place == manifest.integration.branch {
            // On the integration branch itself: each tree is then merged onto it.
            let merge = TrialMerge(repository: repository, index: index)
            for other in others {
                let step = try merge.merge(
                    name: other.name, tip: other.tip, onto: routed, method: methods[other.name] ?? PullMethod())
                if let found = Self.conflict(step.conflicts, in: paths, place: other.name, besides: routed) {
                    conflicts.append(found)
                }
            }
            return SeriesRoute.Meeting(trial: trial.place, mergesWithIntegration: true, conflicts: conflicts)
        }
        let alone = try TrialMerge(repository: repository, index: index).merge(
            name: place, tip: routed, onto: integrationTip, method: methods[place] ?? PullMethod())
        if let found = Self.conflict(
            alone.conflicts, in: paths, place: manifest.integration.branch, besides: routed)
        {
            conflicts.append(found)
        }
        let matrix = try ConflictMatrix.build(
            repository: repository, trees: [(place, routed)] + others.map { ($0.name, $0.tip) },
            integrationTip: integrationTip, index: index, methods: methods)
        for pair in matrix.pairs where pair.outcome == .conflict && (pair.first == place || pair.second == place) {
            let other = pair.first == place ? pair.second : pair.first
            if let found = Self.conflict(pair.conflicts, in: paths, place: other, besides: routed) {
                conflicts.append(found)
            }
        }
        return SeriesRoute.Meeting(
            trial: trial.place, mergesWithIntegration: alone.conflicts.isEmpty, conflicts: conflicts)
    }

    /// Whether `tip` changed one of `paths` since it forked from `commit`.
    func changes(_ paths: Set<String>, tip: ObjectID, since commit: ObjectID) throws -> Bool {
        guard let fork = try repository.mergeBase(tip, commit) else { return false }
        let tipTree = try repository.treeOfCommit(tip)
        let forkTree = try repository.treeOfCommit(fork)
        for path in paths where try repository.entry(at: path, in: tipTree) != repository.entry(at: path, in: forkTree)
        {
            return true
        }
        return false
    }

    /// The conflicts among `found` in `paths`, as one place's; nil when there are none.
    static func conflict(
        _ found: [MergeConflict], in paths: Set<String>, place: String, besides routed: ObjectID
    ) -> SeriesRoute.TreeConflict? {
        let own = found.filter { !paths.isDisjoint(with: $0.paths) }
        guard !own.isEmpty else { return nil }
        var commits: [ObjectID] = []
        for conflict in own {
            for commit in conflict.ourCommits + conflict.theirCommits
            where commit != routed && !commits.contains(commit) {
                commits.append(commit)
            }
        }
        return SeriesRoute.TreeConflict(place: place, files: own.map(\.path), commits: commits)
    }
}
