import Git

extension SeriesRouter {
    /// Who the commits made for trial merges (never referenced) are by.
    static let trialSignature = Signature(name: "Tributary", email: "tributary@localhost", time: 0)

    /// What the series depends on outside the mainline: its base commit when the mainline lacks
    /// it, its prerequisite patch-ids, and the postings its Message-ID lines name; each with the
    /// places that carry it.
    func dependencies(of series: PostedSeries, base: SeriesBase) -> [SeriesRoute.Dependency] {
        var found: [SeriesRoute.Dependency] = []
        if let commit = base.commit, !base.inMainline {
            // The integration branch holds what every tree brought: it counts only when no tree does.
            let trees = base.places.filter { $0 != manifest.integration.branch }
            found.append(.init(kind: .baseCommit, value: commit.hex, places: trees.isEmpty ? base.places : trees))
        }
        for prerequisite in base.prerequisites {
            let trees = prerequisite.places.filter { $0 != manifest.integration.branch }
            found.append(
                .init(
                    kind: .prerequisitePatchID, value: prerequisite.patchID,
                    places: trees.isEmpty ? prerequisite.places : trees))
        }
        for messageID in series.dependsOn {
            var dependency = SeriesRoute.Dependency(kind: .messageID, value: messageID, places: [])
            for known in ledger?.series ?? [] {
                guard
                    let version = known.versions.first(where: { version in
                        version.messageID == messageID || version.patches.contains { $0.messageID == messageID }
                    })
                else { continue }
                dependency.series = known.title
                let landed = places.map(\.name).filter { name in
                    [.landed, .modified, .partial].contains(version.states[name])
                }
                let trees = landed.filter { $0 != manifest.integration.branch }
                dependency.places = trees.isEmpty ? landed : trees
                break
            }
            found.append(dependency)
        }
        return found
    }

    /// `series` applied onto `place` with the tree `prerequisites` merged into it (in memory):
    /// the trial `place+prerequisites`; nil when those two do not merge cleanly.
    func trialWithPrerequisites(_ series: PostedSeries, place: String, prerequisites: String) throws -> SeriesTrial? {
        guard let ours = places.first(where: { $0.name == place })?.tip,
            let theirs = places.first(where: { $0.name == prerequisites })?.tip
        else { return nil }
        let merged = try repository.merge(ours: ours, theirs: theirs)
        guard !merged.hasConflicts else { return nil }
        let tree = try merged.writeTree()
        let signature = SeriesRouter.trialSignature
        let commit = try repository.createCommit(
            tree: tree, parents: [ours, theirs], author: signature, committer: signature,
            message: "Trial: \(place) with \(prerequisites) merged\n")
        return try SeriesTrial.run(series, onto: commit, place: "\(place)+\(prerequisites)", in: repository)
    }
}
