public import Git

/// How far back a conflict's description searches each side of a merge for the commits that
/// made its lines: the side's newest commits (git's walk order, newest first by commit date)
/// down to those committed after the merge base, `margin` more, and never more than `limit`.
///
/// Commits since the merge base are what a blame bounded by it (`git blame TIP ^BASE`) walks,
/// and when the merge base is far away that is the whole history: a sub-project merged without
/// its directory (git-gui into git.git, whose merge base is git-gui's last release) has all of
/// git.git's 80,000 commits since it, and `git blame` of 12 lines of the Makefile walked them
/// all. Commits are counted from the merge base's date instead — cheap, as `git rev-list
/// --max-age` stops at the first older commit — and the margin covers commits since the merge
/// base that are older than it (a side branch begun earlier and merged after it). A line last
/// changed further back is attributed to no commit, as a line older than the merge base is.
public struct HistoryWindow: Sendable, Hashable {
    /// Commits searched past the oldest one committed after the merge base.
    public var margin: Int
    /// The most commits of a side ever searched.
    public var limit: Int

    public init(margin: Int = 5_000, limit: Int = 20_000) {
        self.margin = margin
        self.limit = limit
    }

    /// The first commit past the window of `tip`, whose history the search leaves out (`git
    /// blame TIP ^BASE ^END`); nil when the window holds every commit `tip` has. `baseTime` is
    /// the merge base's commit time (nil: no merge base, the window is `margin` commits).
    public func end(of tip: ObjectID, baseTime: Int64?, git: GitProgram, in gitDirectory: String) throws -> ObjectID? {
        let newer = try baseTime.map { try git.count(from: tip, since: $0, in: gitDirectory) } ?? 0
        return try git.commit(skipping: min(newer + margin, limit), from: tip, in: gitDirectory)
    }
}
