public import Git

/// How far back a conflict's description searches a side of a merge whose merge base is far
/// from it, for the commits that made the conflicting lines.
///
/// A blame bounded by the merge base (`git blame TIP ^BASE`) walks the side's commits since the
/// merge base, and when the merge base is far away in the history that is the whole history: a
/// sub-project merged without its directory (git-gui into git.git, whose merge base is git-gui's
/// last release) has all of git.git's 80,000 commits since it, and `git blame` of 12 lines of the
/// Makefile walked them all. Such a side is told by the first commit of its walk (newest first by
/// commit date) that is older than the merge base: for a side that grew from the merge base it
/// is one of the merge base's own ancestors; here it is not. Its window is then the commits
/// newer than the merge base and `margin` more (commits since the merge base can be older than
/// it: a side branch begun earlier and merged after it), and never more than `limit` commits in
/// all; a line last changed further back is attributed to no commit, as a line older than the
/// merge base is. A side that grew from its merge base is searched down to the merge base,
/// within `limit` commits.
public struct HistoryWindow: Sendable, Hashable {
    /// Commits searched past the newest one older than the merge base.
    public var margin: Int
    /// The most commits of a side ever searched.
    public var limit: Int

    public init(margin: Int = 5_000, limit: Int = 20_000) {
        self.margin = margin
        self.limit = limit
    }

    /// The first commit past the window of `tip` (the blame leaves out what it reaches: `git
    /// blame TIP ^BASE ^END`), for a merge whose base is `base`; nil when the search needs no
    /// bound but the merge base. Without a merge base the window is `margin` commits. The cost
    /// is the commits newer than the merge base, and the window when there is one.
    public func end(of tip: ObjectID, base: ObjectID?, in repository: Repository) throws -> ObjectID? {
        let walk = try repository.walk(RevisionRange(terms: [.include(tip.hex)]))
        let baseTime = try base.map { try repository.commitTime($0) }
        var index = 0
        while let commit = walk.next() {
            if index == limit { return commit }
            if let base, let baseTime, try repository.commitTime(commit) < baseTime {
                if try Self.reaches(base, commit, within: margin, in: repository) { return nil }
                return try Self.commit(at: min(index + margin, limit), from: commit, at: index, in: walk)
            }
            if base == nil && index == margin { return commit }
            index += 1
        }
        if let error = walk.error { throw error }
        return nil
    }

    /// The commit at walk position `target`, `current` being at `index`; nil past the end.
    private static func commit(at target: Int, from current: ObjectID, at index: Int, in walk: RevisionWalk) throws
        -> ObjectID?
    {
        var (commit, position) = (current, index)
        while position < target {
            guard let next = walk.next() else {
                if let error = walk.error { throw error }
                return nil
            }
            (commit, position) = (next, position + 1)
        }
        return commit
    }

    /// Whether `base` reaches `commit`, which is older: its history walked newest first down to
    /// a day before `commit`'s date (clocks are not all right), and no more than `cap` commits.
    private static func reaches(_ base: ObjectID, _ commit: ObjectID, within cap: Int, in repository: Repository)
        throws -> Bool
    {
        let floor = try repository.commitTime(commit) - 86_400
        let walk = try repository.walk(RevisionRange(terms: [.include(base.hex)]))
        var seen = 0
        while let ancestor = walk.next(), seen <= cap {
            if ancestor == commit { return true }
            if try repository.commitTime(ancestor) < floor { return false }
            seen += 1
        }
        if let error = walk.error { throw error }
        return false
    }
}
