public import Git

/// A posted series applied, in memory, onto one place as `git am --3way` applies it: patch by
/// patch, each as it is or by a three-way merge from the blobs its `index` lines name, stopping
/// at the first that fails.
public struct SeriesTrial: Sendable, Codable {
    /// How the whole series went on.
    public enum Result: String, Sendable, Codable {
        /// Every patch applied as it is.
        case clean
        /// Every patch went on, some by a three-way merge (or was there already).
        case threeWay = "three-way"
        case fails
    }

    /// How one patch went on.
    public enum Step: String, Sendable, Codable {
        case applied
        case merged = "three-way"
        case alreadyApplied = "already-applied"
        case failed
    }

    /// The patch that failed and why.
    public struct Failure: Sendable, Codable {
        public var counter: Int
        public var subject: String
        public var reason: PatchFailure.Reason
        public var file: String?
        public var hunk: String?
        public var conflicts: [String]
    }

    /// The place: the integration branch, a tree, or a tree with another merged (`vma+slab`).
    public var place: String
    /// The commit it was applied onto.
    public var tip: ObjectID
    public var result: Result
    /// The tree after the last patch (nil when it fails).
    public var tree: ObjectID?
    public var steps: [Step]
    public var failure: Failure?

    /// Applies `series` onto `start` (a commit) in `repository`, named `place`.
    public static func run(
        _ series: PostedSeries, onto start: ObjectID, place: String, in repository: Repository
    ) throws -> SeriesTrial {
        var tree = try repository.treeOfCommit(start)
        var steps: [Step] = []
        for patch in series.patches {
            let outcome = try repository.applyAsMail(patch.diff, to: tree)
            switch outcome {
            case .applied: steps.append(.applied)
            case .merged: steps.append(.merged)
            case .alreadyApplied: steps.append(.alreadyApplied)
            case .failed(let failure):
                steps.append(.failed)
                return SeriesTrial(
                    place: place, tip: start, result: .fails, tree: nil, steps: steps,
                    failure: Failure(
                        counter: patch.counter, subject: patch.subject, reason: failure.reason, file: failure.file,
                        hunk: failure.hunk, conflicts: failure.conflicts))
            }
            tree = outcome.tree(after: tree) ?? tree
        }
        let result: Result = steps.allSatisfy { $0 == .applied } ? .clean : .threeWay
        return SeriesTrial(place: place, tip: start, result: result, tree: tree, steps: steps, failure: nil)
    }

    /// Whether the series goes on (cleanly or by a three-way merge).
    public var applies: Bool { result != .fails }
}
