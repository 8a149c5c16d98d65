public import Git

/// The merge bases of commit pairs, each pair computed once. Commits never change, and neither
/// do their common ancestors: the answers are kept in memory and, with an index, from one run to
/// the next (`git_merge_bases` over a long history costs tens of milliseconds a pair, and a plan
/// asks for one or two pairs per tree on every run). A shallow repository's answers are not
/// stored, since deepening it can change them.
public final class MergeBases {
    public let repository: Repository
    public let index: IndexDatabase?
    private var known: [String: [ObjectID]] = [:]

    public init(repository: Repository, index: IndexDatabase?) {
        self.repository = repository
        self.index = repository.isShallow ? nil : index
    }

    /// Every best common ancestor of `one` and `two`, as `git merge-base --all` lists them
    /// (`Repository.mergeBases`); empty for unrelated histories.
    public func all(_ one: ObjectID, _ two: ObjectID) throws -> [ObjectID] {
        let key = one.hex + two.hex
        if let bases = known[key] { return bases }
        let bases: [ObjectID]
        if let stored = try index?.mergeBases(of: one, two) {
            bases = stored
        } else {
            bases = try repository.mergeBases(one, two)
            try index?.storeMergeBases(bases, of: one, two)
        }
        known[key] = bases
        return bases
    }

    /// The merge base `git merge-base` gives (`Repository.mergeBase`: the first of `all`).
    public func best(_ one: ObjectID, _ two: ObjectID) throws -> ObjectID? {
        try all(one, two).first
    }

    /// Whether `ancestor` is reachable from `descendant` (or is it): then, and only then, it is
    /// their one merge base (`git merge-base --is-ancestor`).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        try ancestor == descendant || all(ancestor, descendant) == [ancestor]
    }
}
