/// git's `-Xsubtree=PATH` (`shift_tree_by` in git's `match-trees.c`): before a three-way merge,
/// the other side's tree and the merge base's are moved to where the sub-project lives in ours.
extension Repository {
    /// `tree` shifted to match `reference` by `prefix`, as git's `shift_tree_by` does: when only
    /// `reference` has a directory at `prefix`, `tree` goes down into it (the result is
    /// `reference` with `prefix` replaced by `tree`); when only `tree` has one, `tree` comes up
    /// out of it (its subtree at `prefix`); when neither does, `tree` is left as it is. When both
    /// do, git scores the three placements by equal entries; the placement kept here is the one
    /// with the most paths equal to `reference`'s, in git's order of preference (as is, down, up).
    public func shiftTree(_ tree: ObjectID, toMatch reference: ObjectID, by prefix: String) throws(GitError)
        -> ObjectID
    {
        let prefix = prefix.split(separator: "/").joined(separator: "/")
        guard !prefix.isEmpty else { return tree }
        let referenceSub = try entry(at: prefix, in: reference).flatMap { $0.mode.isTree ? $0.id : nil }
        let treeSub = try entry(at: prefix, in: tree).flatMap { $0.mode.isTree ? $0.id : nil }
        func down() throws(GitError) -> ObjectID {
            try writeTree(base: reference, edits: [.upsert(path: prefix, blob: tree, mode: .tree)])
        }
        switch (referenceSub, treeSub) {
        case (nil, nil): return tree
        case (_?, nil): return try down()
        case (nil, let sub?): return sub
        case (let mine?, let sub?):
            // git's score_trees: the placement whose entries agree most.
            let asIs = try agreement(reference, tree)
            let shiftedDown = try agreement(mine, tree)
            let shiftedUp = try agreement(sub, reference)
            if shiftedDown > asIs, shiftedDown >= shiftedUp { return try down() }
            if shiftedUp > asIs, shiftedUp > shiftedDown { return sub }
            return tree
        }
    }

    /// How many paths two trees hold with the same blob and mode, minus those they hold
    /// differently (a stand-in for git's `score_trees`).
    private func agreement(_ one: ObjectID, _ two: ObjectID) throws(GitError) -> Int {
        let first = Dictionary(
            try files(in: one).map { ($0.path, $0.entry.id) }, uniquingKeysWith: { first, _ in first })
        var score = 0
        for (path, entry) in try files(in: two) {
            if let other = first[path] { score += other == entry.id ? 1 : -1 }
        }
        return score
    }
}
