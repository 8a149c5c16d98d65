public import Git

/// What a posted series was written against: its `base-commit:` (and where that commit is), its
/// `prerequisite-patch-id:`s (and which places carry them), and, per place, the newest commit
/// whose files are as the series' `index` lines say (git am's blob ids: the series was written
/// on that state of its files).
public struct SeriesBase: Sendable, Codable {
    /// Where a place has the files as the series expects them.
    public struct Match: Sendable, Codable {
        public var place: String
        public var commit: ObjectID
        /// At the place's tip, or an older commit of it (an old base).
        public var atTip: Bool
    }

    public struct Prerequisite: Sendable, Codable {
        public var patchID: String
        /// The places with a commit of that patch-id, and the commits.
        public var places: [String]
        public var commits: [ObjectID]
    }

    /// The `base-commit:` line's id, and the commit when the repository has it.
    public var baseCommit: String?
    public var commit: ObjectID?
    /// The places whose history holds the base commit.
    public var places: [String]
    /// Whether the base commit is the mainline base or below it.
    public var inMainline: Bool
    public var matches: [Match]
    public var prerequisites: [Prerequisite]
    /// How many of its files' blobs its `index` lines name (0: it has no `index` lines).
    public var indexedFiles: Int

    /// How many commits touching the series' files are looked at per place for an old base.
    static let historyLimit = 2_000

    /// Finds the base of `series` among `places` (name and tip; the ledger's matchers, one per
    /// place, find the prerequisites), the mainline base being `mainline`. `searchingHistory`:
    /// look below a place's tip for an older base (else only the tips are compared).
    static func find(
        _ series: PostedSeries, places: [(name: String, tip: ObjectID)], matchers: [String: LandingMatcher],
        mainline: ObjectID?, repository: Repository, git: GitProgram, searchingHistory: Bool = true
    ) throws -> SeriesBase {
        let expected = preimages(of: series)
        var base = SeriesBase(
            baseCommit: series.baseCommit, commit: nil, places: [], inMainline: false, matches: [], prerequisites: [],
            indexedFiles: expected.count)
        if let written = series.baseCommit, let commit = try? repository.resolveCommit(written),
            commit.hex.hasPrefix(written)
        {
            base.commit = commit
            for place in places where try place.tip == commit || repository.isAncestor(commit, of: place.tip) {
                base.places.append(place.name)
            }
            if let mainline { base.inMainline = try mainline == commit || repository.isAncestor(commit, of: mainline) }
        }
        for id in series.prerequisitePatchIDs {
            var prerequisite = Prerequisite(patchID: id, places: [], commits: [])
            if let patchID = ObjectID(hex: id) {
                for place in places {
                    let found = matchers[place.name]?.commits(withPatchID: patchID) ?? []
                    guard let first = found.first else { continue }
                    prerequisite.places.append(place.name)
                    if !prerequisite.commits.contains(first.id) { prerequisite.commits.append(first.id) }
                }
            }
            base.prerequisites.append(prerequisite)
        }
        guard !expected.isEmpty else { return base }
        for place in places {
            if let match = try match(
                expected, place: place, repository: repository, git: searchingHistory ? git : nil)
            {
                base.matches.append(match)
            }
        }
        return base
    }

    /// The blob each changed file should have before the series, from the first patch that
    /// touches it (new files: the zero id, "must not exist").
    static func preimages(of series: PostedSeries) -> [(path: String, blob: String)] {
        var seen = Set<String>()
        var expected: [(String, String)] = []
        for patch in series.patches {
            for file in patch.diff.files {
                let path = file.isNew ? (file.newPath ?? file.path) : file.path
                guard seen.insert(path).inserted, let blob = file.oldBlob else { continue }
                expected.append((path, blob))
                if let newPath = file.newPath { seen.insert(newPath) }
            }
        }
        return expected
    }

    /// The newest commit of `place` (its tip, else, when `git` is given to list them, one of the
    /// commits that touch the files) whose files have the expected blobs.
    static func match(
        _ expected: [(path: String, blob: String)], place: (name: String, tip: ObjectID), repository: Repository,
        git: GitProgram?
    ) throws -> Match? {
        func matches(_ commit: ObjectID) throws -> Bool {
            let tree = try repository.treeOfCommit(commit)
            for (path, blob) in expected {
                let entry = try repository.entry(at: path, in: tree)
                if blob.allSatisfy({ $0 == "0" }) {
                    if entry != nil { return false }
                } else if entry?.id.hex.hasPrefix(blob.lowercased()) != true {
                    return false
                }
            }
            return true
        }
        if try matches(place.tip) { return Match(place: place.name, commit: place.tip, atTip: true) }
        guard let git else { return nil }
        let listed = try git.run(
            ["rev-list", "--max-count=\(historyLimit)", place.tip.hex, "--"] + expected.map(\.path),
            in: repository.gitDirectory)
        guard listed.status == 0 else { return nil }
        for line in listed.text.split(separator: "\n") {
            guard let commit = ObjectID(hex: String(line)) else { continue }
            // The files are as at this commit until the next one that touches them, so the
            // commit itself and its first parent are the states to try.
            if try matches(commit) { return Match(place: place.name, commit: commit, atTip: false) }
            if let parent = try repository.parents(of: commit).first, try matches(parent) {
                return Match(place: place.name, commit: parent, atTip: false)
            }
        }
        return nil
    }
}
