import Foundation
public import Git

/// The places the ledger looks in: the integration branch and each fetched tree, each as its
/// commits since the manifest's mainline base, and each `[place]` of the manifest (a stable
/// branch) as its commits since it forked from the integration branch.
public enum LedgerPlaces {
    public struct Place: Sendable {
        public var name: String
        /// The branch it follows: the integration branch's name, or the tree's branch upstream.
        public var branch: String
        public var tip: ObjectID
        public var range: RevisionRange
        /// The name its commits are kept under in the index: the name and where its range stops.
        public var indexName: String
        /// Whether it is the mainline below the base.
        public var isMainline = false

        public init(name: String, branch: String, tip: ObjectID, range: RevisionRange, indexName: String? = nil) {
            self.name = name
            self.branch = branch
            self.tip = tip
            self.range = range
            // The commits a place holds depend on where its range stops too (a base moved is
            // another set of commits): the index keeps them under both.
            let stops = range.terms.compactMap { term -> String? in
                if case .exclude(let revision) = term { return revision }
                return nil
            }
            self.indexName = indexName ?? ([name] + stops).joined(separator: " ^")
        }
    }

    /// The places of `manifest`; with `includingMainline`, also the mainline below the base back
    /// to the manifest's `history` horizon (named `mainline`), as `trib where` asks.
    /// `index`: where the mainline's horizon, once walked to, is kept for its base.
    public static func places(
        repository: Repository, manifest: Manifest, includingMainline: Bool = false, index: IndexDatabase? = nil
    ) throws -> [Place] {
        guard let base = manifest.integration.base else {
            throw TributaryError.badInput(
                "the manifest has no integration.base: the ledger looks at commits since the mainline base"
            )
        }
        let baseTip = try repository.resolveCommit(base)
        var places: [Place] = []
        let integrationTip = try repository.referenceTarget(manifest.integration.reference)
        if let tip = integrationTip {
            places.append(
                Place(
                    name: manifest.integration.branch, branch: manifest.integration.branch, tip: tip,
                    range: range(tip, baseTip)))
        }
        for tree in manifest.trees {
            guard let tip = try repository.referenceTarget(tree.reference) else { continue }
            places.append(Place(name: tree.name, branch: tree.branch, tip: tip, range: range(tip, baseTip)))
        }
        // A long-lived branch: what it has added since it forked from the integration branch.
        for place in manifest.places {
            let tip: ObjectID
            do {
                tip = try repository.resolveCommit(place.ref)
            } catch {
                throw TributaryError.badInput(
                    "\(manifest.path):\(place.line): place \"\(place.name)\": ref '\(place.ref)' names no commit")
            }
            let fork = try integrationTip.flatMap { try repository.mergeBase(tip, $0) } ?? baseTip
            places.append(Place(name: place.name, branch: place.ref, tip: tip, range: range(tip, fork)))
        }
        if includingMainline,
            var mainline = try mainline(
                below: baseTip, history: manifest.integration.history, in: repository, manifestPath: manifest.path,
                index: index)
        {
            // A tree or branch of that name: the mainline says what it is.
            if places.contains(where: { $0.name == mainline.name }) { mainline.name = "mainline (the base and below)" }
            places.append(mainline)
        }
        return places
    }

    /// Brings the index's commit facts up to date for every place: only commits not seen before
    /// are read. Returns how many commits the places hold and how many were new.
    public static func update(
        repository: Repository, manifest: Manifest, index: IndexDatabase, includingMainline: Bool = false,
        places known: [Place]? = nil, context: Context = Context()
    ) throws -> (commits: Int, added: Int) {
        let clock = context.clock("index")
        defer { clock.report() }
        // A place whose tip has not moved since its commits were read is not walked again.
        let seen = try index.placeTips()
        // In walk order: commits read one after another share trees and blob delta chains, which
        // the readers' caches keep (in a random order the same work took twice as long).
        var all = Set<ObjectID>()
        var ids: [ObjectID] = []
        var walked: [(Place, [ObjectID])] = []
        let chosen =
            try known
            ?? places(repository: repository, manifest: manifest, includingMainline: includingMainline, index: index)
        for place in chosen where seen[place.indexName] != place.tip {
            let commits = try repository.commits(in: place.range)
            for commit in commits where all.insert(commit).inserted { ids.append(commit) }
            walked.append((place, commits))
        }
        clock.mark("walk")
        let known = try index.knownCommits(ids)
        clock.mark("known")
        let missing = ids.filter { !known.contains($0) }
        // One transaction: the new facts, stored batch by batch while the next are read, then
        // each place's commits and tip. Killed halfway, the index keeps what it had.
        defer { context.progress(nil) }
        var read = 0
        try index.update { update in
            _ = try LandingMatcher.computeFacts(
                missing, gitDirectory: repository.gitDirectory, git: context.git,
                jobs: ProcessInfo.processInfo.activeProcessorCount
            ) { batch in
                try LandingMatcher.store(batch, in: update)
                read += batch.count
                context.progress("index: read \(read) of \(missing.count) commits")
            }
            clock.mark("read and store facts")
            for (place, commits) in walked { try update.storePlace(place.indexName, tip: place.tip, commits: commits) }
        }
        clock.mark("store places and commit")
        return (ids.count, missing.count)
    }

    /// The mainline: the base and its history back to the horizon `history` sets (default: two
    /// years before the base's commit), as a place named `mainline`; nil for `history = none`.
    static func mainline(
        below base: ObjectID, history: Manifest.Integration.History?, in repository: Repository, manifestPath: String,
        index: IndexDatabase? = nil
    ) throws -> Place? {
        let horizon: ObjectID?
        // A horizon found by walking (a count, a date) is the same for as long as the base is.
        let key: String? =
            switch history {
            case .commits(let count)?: "horizon/1 \(base.hex) commits \(count)"
            case .date(let time)?: "horizon/1 \(base.hex) date \(time)"
            case nil: "horizon/1 \(base.hex) default"
            default: nil
            }
        if let key, let stored = try index?.derivedAnswer(forKey: key) {
            horizon = ObjectID(hex: String(decoding: stored, as: UTF8.self))
            return mainline(below: base, horizon: horizon)
        }
        switch history {
        case .none?: return nil
        case .revision(let revision)?:
            do {
                horizon = try repository.resolveCommit(revision)
            } catch {
                throw TributaryError.badInput("\(manifestPath): integration.history '\(revision)' names no commit")
            }
        case .commits(let count)?: horizon = try firstParent(of: base, in: repository) { steps, _ in steps >= count }
        case .date(let time)?:
            horizon = try firstParent(of: base, in: repository) { _, commit in commit.committer.time < time }
        case nil:
            let twoYears: Int64 = 2 * 365 * 24 * 3600
            let since = try repository.commit(base).committer.time - twoYears
            horizon = try firstParent(of: base, in: repository) { _, commit in commit.committer.time < since }
        }
        if let key { try index?.storeDerivedAnswer(Data((horizon?.hex ?? "").utf8), forKey: key) }
        return mainline(below: base, horizon: horizon)
    }

    private static func mainline(below base: ObjectID, horizon: ObjectID?) -> Place {
        let terms: [RevisionRange.Term] = [.include(base.hex)] + (horizon.map { [.exclude($0.hex)] } ?? [])
        var place = Place(name: "mainline", branch: base.hex, tip: base, range: RevisionRange(terms: terms))
        place.isMainline = true
        return place
    }

    /// The first commit along the first parents below `start` for which `stop` (given how many
    /// steps down it is) holds; nil when the history ends first.
    private static func firstParent(
        of start: ObjectID, in repository: Repository, where stop: (Int, Commit) -> Bool
    ) throws -> ObjectID? {
        var steps = 0
        var current = try repository.commit(start)
        while let parent = current.parents.first {
            steps += 1
            current = try repository.commit(parent)
            if stop(steps, current) { return current.id }
        }
        return nil
    }

    static func range(_ tip: ObjectID, _ base: ObjectID) -> RevisionRange {
        RevisionRange(terms: [.include(tip.hex), .exclude(base.hex)])
    }
}
