import Foundation
public import Git

/// Routes posted series (Docs/series.md, "Routing"): applies each onto every place as
/// `git am --3way` would, finds its base and dependencies, names the tree that should take it
/// from the MAINTAINERS sections its files fall in and the sections each tree owns (their `T:`
/// lines too), where its earlier versions landed and where its prerequisites are, the acks the
/// tag rules ask for there, and trial-merges the result with the other trees.
public struct SeriesRouter {
    public let repository: Repository
    public let manifest: Manifest
    /// The places: the integration branch, then each fetched tree, with their tips.
    public let places: [(name: String, tip: ObjectID)]
    let matchers: [String: LandingMatcher]
    let ledger: SeriesLedger?
    let ownership: OwnershipIndex?
    /// Which trees own which sections.
    let trees: TreeOwnership?
    /// The fixes trees: their name or branch says `fixes` (linux-next's `samsung-krzk-fixes`).
    let fixesTrees: Set<String>
    let mainline: ObjectID?
    let index: IndexDatabase?
    let context: Context

    /// A router over `sources`' places and matchers; `ledger` (built from the same sources)
    /// tells where earlier versions and Message-ID dependencies landed.
    public init(sources: LedgerSources, manifest: Manifest, ledger: SeriesLedger?, context: Context = Context()) throws
    {
        repository = sources.repository
        self.manifest = manifest
        self.ledger = ledger
        self.context = context
        index = sources.index
        let names = Set([manifest.integration.branch] + manifest.trees.map(\.name))
        let chosen = zip(sources.places, sources.matchers).filter { names.contains($0.0.name) && !$0.0.isMainline }
        places = chosen.map { ($0.0.name, $0.0.tip) }
        matchers = Dictionary(chosen.map { ($0.0.name, $0.1) }, uniquingKeysWith: { first, _ in first })
        let repository = sources.repository
        mainline = try manifest.integration.base.map { try repository.resolveCommit($0) }
        ownership = try Self.ownership(repository: repository, manifest: manifest)
        trees = try TreeOwnership(manifest: manifest)
        fixesTrees = Set(
            manifest.trees.filter { $0.name.lowercased().contains("fixes") || $0.branch.lowercased().contains("fixes") }
                .map(\.name))
    }

    /// The MAINTAINERS index of the integration branch's tip (its tree decides directories).
    static func ownership(repository: Repository, manifest: Manifest) throws -> OwnershipIndex? {
        guard let tip = try repository.referenceTarget(manifest.integration.reference) else { return nil }
        let tree = try repository.treeOfCommit(tip)
        guard let bytes = try repository.fileContents(at: manifest.integration.maintainersPath, in: tree) else {
            return nil
        }
        let file = MaintainersFile(
            contents: String(decoding: bytes, as: UTF8.self), name: manifest.integration.maintainersPath)
        return OwnershipIndex(
            file, directories: try file.directoryPatterns(in: tree, of: repository),
            dialect: manifest.ownershipDialect ?? .linux)
    }

    /// Routes `series`. With `everywhere` (what `trib series route` shows) it is tried onto
    /// every place; without (the ledger's routing line), only onto the places that could take it:
    /// the integration branch, its owners, and where it, an earlier version or a prerequisite is.
    public func route(_ series: PostedSeries, everywhere: Bool = true) throws -> SeriesRoute {
        let clock = context.clock("route")
        defer { clock.report() }
        let base = try SeriesBase.find(
            series, places: places, matchers: matchers, mainline: mainline, repository: repository, git: context.git,
            searchingHistory: everywhere)
        clock.mark("base")
        let (owners, unowned, patchPlaces) = owners(of: series)
        let earlier = earlierLandings(of: series)
        let dependencies = self.dependencies(of: series, base: base)
        let present = presence(of: series)
        var candidates = Set([manifest.integration.branch] + owners.map(\.tree) + earlier.map(\.place))
        candidates.formUnion(dependencies.flatMap(\.places) + present.map(\.place))
        let tried = everywhere ? places : places.filter { candidates.contains($0.name) }
        var trials: [SeriesTrial] = []
        for (number, place) in tried.enumerated() {
            context.progress("series route: applying onto \(place.name), \(number + 1) of \(tried.count)")
            trials.append(try SeriesTrial.run(series, onto: place.tip, place: place.name, in: repository))
        }
        context.progress(nil)
        clock.mark("trials")
        let choice = TreeChoice(
            integration: manifest.integration.branch, trees: manifest.trees.map(\.name), owners: owners,
            unownedFiles: unowned, earlier: earlier, dependencies: dependencies, trials: trials,
            isFix: series.patches.contains { $0.trailers.contains { $0.hasKey("Fixes") } },
            fixesTrees: fixesTrees,
            patchPlaces: patchPlaces, presentIn: present)
        var decision = choice.decide()
        // Taken by a tree that lacks its prerequisites: tried with the tree that has them merged.
        if let place = decision.place, let needed = choice.prerequisiteTree(for: place),
            let trial = try trialWithPrerequisites(series, place: place, prerequisites: needed)
        {
            trials.append(trial)
            decision = choice.settle(decision, with: trial)
        }
        clock.mark("choice")
        let acks = try decision.place.map { try self.acks(for: series, in: $0, owners: owners) } ?? []
        clock.mark("acks")
        let meets = try decision.trial.flatMap { name in
            try trials.first { $0.place == name }.flatMap { try meeting(series, trial: $0, place: decision.place!) }
        }
        clock.mark("meeting")
        return SeriesRoute(
            series: SeriesRoute.Posting(
                id: series.seriesID, title: series.title, version: series.version, messageID: series.messageID,
                sender: series.sender, expected: series.expected,
                patches: series.patches.map {
                    .init(counter: $0.counter, subject: $0.subject, messageID: $0.messageID, files: $0.diff.paths)
                }),
            base: base, trials: trials, owners: owners, unownedFiles: unowned, earlierLandings: earlier,
            dependencies: dependencies, decision: decision, acks: acks, meets: meets)
    }

    /// The trees owning the series' files and patches: each file's owners (`TreeOwnership`), each
    /// patch given to the tree owning most of its files (a tie: to a fixes tree for a fix, else
    /// to another; then merge order). Owners come with most patches first, then most files.
    func owners(of series: PostedSeries) -> (owners: [SeriesRoute.Owner], unowned: [String], patches: [Int: String]) {
        guard let ownership, let trees else { return ([], series.paths, [:]) }
        var fileOwners: [String: (trees: [String], sections: [String])] = [:]
        for path in series.paths {
            let matches = ownership.sections(for: path).filter { $0.section.title != "THE REST" }
            fileOwners[path] = trees.owners(of: path, matches: matches)
        }
        var owners: [String: SeriesRoute.Owner] = [:]
        var patchPlaces: [Int: String] = [:]
        for patch in series.patches {
            let isFix = patch.trailers.contains { $0.hasKey("Fixes") }
            var count: [String: Int] = [:]
            for path in patch.diff.paths {
                for tree in fileOwners[path]?.trees ?? [] { count[tree, default: 0] += 1 }
            }
            let best = count.max { one, two in
                (one.value, fixesTrees.contains(one.key) == isFix ? 1 : 0, -(trees.order[one.key] ?? 0))
                    < (two.value, fixesTrees.contains(two.key) == isFix ? 1 : 0, -(trees.order[two.key] ?? 0))
            }
            if let tree = best?.key {
                patchPlaces[patch.counter] = tree
                owners[tree, default: SeriesRoute.Owner(tree: tree, sections: [], files: [], patches: [])].patches
                    .append(patch.counter)
            }
        }
        var unowned: [String] = []
        for path in series.paths {
            guard let found = fileOwners[path], !found.trees.isEmpty else {
                unowned.append(path)
                continue
            }
            for tree in found.trees {
                var owner = owners[tree] ?? SeriesRoute.Owner(tree: tree, sections: [], files: [], patches: [])
                owner.files.append(path)
                for section in found.sections where !owner.sections.contains(section) { owner.sections.append(section) }
                owners[tree] = owner
            }
        }
        let sorted = owners.values.sorted {
            ($0.patches.count, $0.files.count, -(trees.order[$0.tree] ?? 0))
                > ($1.patches.count, $1.files.count, -(trees.order[$1.tree] ?? 0))
        }
        return (sorted, unowned, patchPlaces)
    }

    /// The places where the ledger finds this very version (landed, modified or partial).
    func presence(of series: PostedSeries) -> [(place: String, state: SeriesLedger.State)] {
        guard let id = series.seriesID, let found = ledger?.series.first(where: { $0.id == id }),
            let version = found.versions.first(where: { $0.messageID == series.messageID })
        else { return [] }
        return places.map(\.name).compactMap { place in
            version.states[place].flatMap { [.landed, .modified, .partial].contains($0) ? (place, $0) : nil }
        }
    }

    /// Where the ledger found earlier versions of the same series.
    func earlierLandings(of series: PostedSeries) -> [SeriesRoute.EarlierLanding] {
        guard let id = series.seriesID, let found = ledger?.series.first(where: { $0.id == id }) else { return [] }
        var landings: [SeriesRoute.EarlierLanding] = []
        for version in found.versions where version.messageID != series.messageID {
            for place in places.map(\.name) {
                guard let state = version.states[place], [.landed, .modified, .partial].contains(state) else {
                    continue
                }
                landings.append(.init(version: version.version, place: place, state: state))
            }
        }
        return landings
    }
}
