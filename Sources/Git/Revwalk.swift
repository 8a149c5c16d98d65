import CLibgit2

/// The commits of a `RevisionRange`, produced one at a time (`git_revwalk`).
///
/// The walk streams: it does not sort the whole history first (`GIT_SORT_NONE`), and yields
/// commits in the order `git rev-list` gives for the same range when commit dates are distinct:
/// newest first, by commit date.
public final class RevisionWalk: Sequence, IteratorProtocol {
    private let repository: Repository
    private let walker: OpaquePointer
    private var failure: GitError?

    init(repository: Repository, walker: OpaquePointer) {
        self.repository = repository
        self.walker = walker
    }

    deinit { git_revwalk_free(walker) }

    /// The next commit id (`git_revwalk_next`); nil at the end or after an error, which
    /// `error` then holds.
    public func next() -> ObjectID? {
        guard failure == nil else { return nil }
        var oid = git_oid()
        let result = git_revwalk_next(&oid, walker)
        if result == GIT_ITEROVER.rawValue { return nil }
        if result < 0 {
            failure = GitError.last(result, operation: "git_revwalk_next")
            return nil
        }
        return ObjectID(oid)
    }

    /// The error that stopped the walk early, if any.
    public var error: GitError? { failure }

    /// All remaining ids; throws if the walk failed part-way.
    public func collect() throws(GitError) -> [ObjectID] {
        var ids: [ObjectID] = []
        while let id = next() { ids.append(id) }
        if let failure { throw failure }
        return ids
    }
}

extension Repository {
    /// Walks the commits of `range` (`git_revwalk_new`, `git_revwalk_push`, `git_revwalk_hide`;
    /// `git_merge_bases` for symmetric differences). With `firstParentOnly`, follows only first
    /// parents (`git_revwalk_simplify_first_parent`).
    public func walk(_ range: RevisionRange, firstParentOnly: Bool = false) throws(GitError) -> RevisionWalk {
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, pointer), "git_revwalk_new")
        let walk = RevisionWalk(repository: self, walker: walker!)
        try check(git_revwalk_sorting(walker, GIT_SORT_NONE.rawValue), "git_revwalk_sorting")
        if firstParentOnly { try check(git_revwalk_simplify_first_parent(walker), "git_revwalk_simplify_first_parent") }
        // git starts from the included commits sorted by commit date, newest first; libgit2
        // takes them in the order they are pushed, so push them sorted.
        var included: [ObjectID] = []
        var excluded: [ObjectID] = []
        for term in range.terms {
            switch term {
            case .include(let revision):
                included.append(try resolveCommit(revision))
            case .exclude(let revision):
                excluded.append(try resolveCommit(revision))
            case .symmetricDifference(let left, let right):
                let leftID = try resolveCommit(left)
                let rightID = try resolveCommit(right)
                included += [leftID, rightID]
                excluded += try mergeBases(leftID, rightID)
            case .includeParents(let revision):
                included += try commit(resolveCommit(revision)).parents
            case .excludeParents(let revision):
                excluded += try commit(resolveCommit(revision)).parents
            }
        }
        var dated: [(id: ObjectID, time: Int64)] = []
        for id in included where !dated.contains(where: { $0.id == id }) {
            dated.append((id, try commit(id).committer.time))
        }
        for (id, _) in dated.sorted(by: { $0.time > $1.time }) {
            var raw = id.raw
            try check(git_revwalk_push(walker, &raw), "git_revwalk_push(\(id))")
        }
        for id in excluded {
            var raw = id.raw
            try check(git_revwalk_hide(walker, &raw), "git_revwalk_hide(\(id))")
        }
        return walk
    }

    /// The ids of the commits in `range`, in walk order.
    public func commits(in range: RevisionRange, firstParentOnly: Bool = false) throws(GitError) -> [ObjectID] {
        try walk(range, firstParentOnly: firstParentOnly).collect()
    }
}
