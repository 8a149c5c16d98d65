/// The choice of the place that should take a series, from what the router found: where an
/// earlier version landed first (a re-roll goes where its predecessor went), then the tree that
/// carries its prerequisites, then the tree owning most of its files (a tie goes to a fixes tree
/// for a fix and to another for the rest, then to the tree it applies onto best, then to merge
/// order), else the integration branch when no tree owns them.
struct TreeChoice {
    let integration: String
    /// The trees in merge order.
    let trees: [String]
    let owners: [SeriesRoute.Owner]
    let unownedFiles: [String]
    let earlier: [SeriesRoute.EarlierLanding]
    let dependencies: [SeriesRoute.Dependency]
    let trials: [SeriesTrial]
    /// Whether a patch carries Fixes:: between two trees of one repository (linux-next's
    /// `samsung-krzk-fixes` and `samsung-krzk`), a fix goes to the fixes tree, the rest to the other.
    var isFix = false
    /// The fixes trees (`SeriesRouter.fixesTrees`).
    var fixesTrees: Set<String> = []
    /// The tree each patch would go to on its own.
    var patchPlaces: [Int: String] = [:]
    /// Where this very version is already (the ledger's state there).
    var presentIn: [(place: String, state: SeriesLedger.State)] = []

    /// The trees that carry a prerequisite (not the integration branch), in merge order.
    var prerequisiteTrees: [String] {
        let holding = Set(dependencies.flatMap(\.places))
        return trees.filter(holding.contains)
    }

    /// The tree `place` would need merged to have the series' prerequisites: nil when it has
    /// them (or the series has none in a tree).
    func prerequisiteTree(for place: String) -> String? {
        let needed = dependencies.filter { !$0.places.isEmpty && !$0.places.contains(place) }
        guard !needed.isEmpty, place != integration else { return nil }
        return trees.first { tree in needed.allSatisfy { $0.places.contains(tree) } }
    }

    func decide() -> SeriesRoute.Decision {
        var reasons: [String] = []
        var alternatives: [String] = []
        let place: String
        let landedTrees = earlier.filter { $0.place != integration }.sorted { $0.version > $1.version }
        let presentTrees = presentIn.filter { $0.place != integration }
        if let present = presentTrees.first ?? presentIn.first {
            place = present.place
            for found in presentIn {
                reasons.append("this version is in \(found.place) already (\(found.state.rawValue))")
            }
        } else if let landing = landedTrees.first {
            place = landing.place
            for found in landedTrees {
                reasons.append(
                    "v\(found.version) \(found.state == .partial ? "partly landed" : "landed") in \(found.place)")
            }
        } else if let tree = prerequisiteTrees.first {
            place = tree
            for dependency in dependencies where dependency.places.contains(tree) {
                reasons.append("its prerequisite (\(describe(dependency))) is in \(tree)")
            }
        } else if !owners.isEmpty {
            place = bestOwner()
        } else {
            place = integration
            reasons.append(
                "no tree owns its files (\(Self.list(unownedFiles))): the integration branch takes it")
        }
        let total = owners.reduce(into: Set<String>()) { $0.formUnion($1.files) }.count + unownedFiles.count
        let patchCount = Set(patchPlaces.keys).count
        for owner in owners {
            var line =
                "\(owner.tree) owns \(owner.files.count) of its \(total) files"
                + " (\(owner.sections.joined(separator: ", ")): \(Self.list(owner.files)))"
            if !owner.patches.isEmpty, patchCount > 1 {
                line += ", and more of \(owner.patches.count) of its \(patchCount) patches than any other tree"
            }
            reasons.append(line)
            if owner.tree != place { alternatives.append(owner.tree) }
        }
        for tree in prerequisiteTrees where tree != place && !alternatives.contains(tree) { alternatives.append(tree) }
        if !unownedFiles.isEmpty, !owners.isEmpty {
            reasons.append("no tree owns \(Self.list(unownedFiles))")
        }
        for dependency in dependencies where dependency.places.isEmpty {
            reasons.append("it depends on \(describe(dependency)), which is not applied anywhere yet")
        }
        if let base = dependencies.first(where: { $0.kind == .baseCommit }), base.places == [integration] {
            reasons.append(
                "it was written against the integration branch: apply it onto \(place)'s tip, not with its base"
                    + " (that would bring the integration branch's merges into \(place))")
        }
        let split =
            patchPlaces.filter { $0.value != place }.isEmpty
            ? nil : Dictionary(patchPlaces.map { (String($0.key), $0.value) }, uniquingKeysWith: { one, _ in one })
        var decision = SeriesRoute.Decision(
            place: place, alternatives: alternatives, reasons: reasons, split: split, trial: place, applies: false)
        decision = settle(decision, with: trials.first { $0.place == place })
        return decision
    }

    /// The owner of the most patches, then of the most files; a tie goes to a fixes tree for a
    /// fix and to another for the rest, then to the one it applies onto best, then to merge order
    /// (owners come sorted by patches, files, then merge order).
    func bestOwner() -> String {
        let most = owners.map { ($0.patches.count, $0.files.count) }.max { $0 < $1 } ?? (0, 0)
        let tied = owners.filter { ($0.patches.count, $0.files.count) == most }
        func rank(_ tree: String) -> (Int, Int) {
            let applies: Int
            switch trials.first(where: { $0.place == tree })?.result {
            case .clean: applies = 0
            case .threeWay: applies = 1
            default: applies = 2
            }
            return (fixesTrees.contains(tree) == isFix ? 0 : 1, applies)
        }
        return tied.min { rank($0.tree) < rank($1.tree) }?.tree ?? owners[0].tree
    }

    /// The decision with what `trial` (of its place, or of its place with its prerequisites'
    /// tree merged) says.
    func settle(_ decision: SeriesRoute.Decision, with trial: SeriesTrial?) -> SeriesRoute.Decision {
        var decision = decision
        guard let trial, !decision.applies else { return decision }
        let place = decision.place ?? trial.place
        if trial.applies {
            decision.trial = trial.place
            decision.applies = true
            decision.reasons.removeAll { $0.hasPrefix("it does not apply onto") || $0.hasPrefix("it applies nowhere") }
            let how = trial.result == .clean ? "applies cleanly" : "applies only by a three-way merge"
            if trial.place == place {
                decision.reasons.append("it \(how) onto \(place)'s tip")
            } else {
                decision.reasons.append(
                    "it \(how) onto \(place) only with \(trial.place.dropFirst(place.count + 1)) merged (its prerequisites)"
                )
            }
            return decision
        }
        let failure = trial.failure.map(Self.describe) ?? "it fails"
        let elsewhere = trials.filter(\.applies).map(\.place)
        if elsewhere.isEmpty {
            decision.reasons.append(
                "it applies nowhere (onto \(place): \(failure)): ask for a version rebased onto \(place)")
        } else {
            decision.reasons.append(
                "it does not apply onto \(place) (\(failure)); it applies onto \(elsewhere.joined(separator: ", "))")
        }
        return decision
    }

    func describe(_ dependency: SeriesRoute.Dependency) -> String {
        switch dependency.kind {
        case .baseCommit: "base-commit \(dependency.value.prefix(12))"
        case .prerequisitePatchID: "prerequisite-patch-id \(dependency.value.prefix(12))"
        case .messageID: dependency.series.map { "'\($0)' <\(dependency.value)>" } ?? "<\(dependency.value)>"
        }
    }

    static func describe(_ failure: SeriesTrial.Failure) -> String {
        var text = "patch \(failure.counter) fails"
        if let file = failure.file { text += " in \(file)" }
        if let hunk = failure.hunk { text += hunk.hasPrefix("@@") ? " at \(hunk)" : " (it \(hunk))" }
        switch failure.reason {
        case .conflict: text += ", and the three-way merge conflicts"
        case .missingBlobs: text += ", and the blobs it was written against are not here"
        case .notApplyingToIndex: text += ", not even to the blobs it names"
        case .empty: text = "patch \(failure.counter) has no diff"
        case .corrupt: text = "patch \(failure.counter) is corrupt (\(failure.hunk ?? "it cannot be read"))"
        }
        return text
    }

    /// Up to four items, then how many more.
    static func list(_ items: [String]) -> String {
        items.count <= 4 ? items.joined(separator: ", ") : items.prefix(4).joined(separator: ", ") + ", …"
    }
}
