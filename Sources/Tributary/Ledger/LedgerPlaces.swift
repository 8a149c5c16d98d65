public import Git

/// The places the ledger looks in: the integration branch and each fetched tree, each as its
/// commits since the manifest's mainline base.
public enum LedgerPlaces {
    public struct Place: Sendable {
        public var name: String
        public var tip: ObjectID
        public var range: RevisionRange
    }

    /// An error: no base to measure from.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func places(repository: Repository, manifest: Manifest) throws -> [Place] {
        guard let base = manifest.integration.base else {
            throw Failure(description: "the manifest has no integration.base: the ledger looks at commits since the mainline base")
        }
        let baseTip = try repository.resolveCommit(base)
        var places: [Place] = []
        if let tip = try repository.referenceTarget(manifest.integration.reference) {
            places.append(Place(name: manifest.integration.branch, tip: tip, range: range(tip, baseTip)))
        }
        for tree in manifest.trees {
            guard let tip = try repository.referenceTarget(tree.reference) else { continue }
            places.append(Place(name: tree.name, tip: tip, range: range(tip, baseTip)))
        }
        return places
    }

    /// Brings the index's commit facts up to date for every place: only commits not seen before
    /// are read. Returns how many commits the places hold and how many were new.
    public static func update(repository: Repository, manifest: Manifest, index: IndexDatabase) throws -> (
        commits: Int, added: Int
    ) {
        let before = try index.commitFactCount()
        var commits = 0
        for place in try places(repository: repository, manifest: manifest) {
            commits += try LandingMatcher(repository: repository, range: place.range, index: index).commits.count
        }
        return (commits, try index.commitFactCount() - before)
    }

    static func range(_ tip: ObjectID, _ base: ObjectID) -> RevisionRange {
        RevisionRange(terms: [.include(tip.hex), .exclude(base.hex)])
    }
}
