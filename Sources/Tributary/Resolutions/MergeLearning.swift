import Foundation
public import Git

/// Learning everything a merge someone made by hand has to teach (`trib resolve record`).
extension ResolutionRecorder {
    /// What one merge taught.
    public struct Learned: Sendable {
        public var merge: ObjectID
        /// Its content conflicts' resolutions.
        public var resolutions: [ResolutionStore.Resolution]
        /// What it changed beyond git's result with those resolutions; nil when nothing.
        public var fixup: MergeFixup?
        /// The directory it merged its second parent's project into (`git merge -s subtree`).
        public var subtree: String?
    }

    /// Learns the merge commit `merge`: its parents are merged again as `trib pull` would (into
    /// the directory of a subtree merge, which is remembered for the trees that carry that
    /// project); each content conflict's file in `merge` becomes its resolution; and whatever
    /// else `merge` has that git's result with those resolutions lacks becomes a fix-up, keyed
    /// by the commits of each side that need it (`FixupKeyFinder`) and by the trees of
    /// `manifest` that carry them. Stores it all in one commit of the resolutions ref.
    public func learn(merge: ObjectID, manifest: Manifest? = nil, now: Int64? = nil) throws -> Learned {
        let now = now ?? Int64(Date().timeIntervalSince1970)
        let commit = try repository.commit(merge)
        guard commit.parents.count == 2 else {
            throw TributaryError.badInput("\(merge.abbreviated()) is not a merge of two parents")
        }
        let (ours, theirs) = (commit.parents[0], commit.parents[1])
        let bases = try repository.mergeBases(ours, theirs)
        guard !bases.isEmpty else {
            throw TributaryError.badInput("the parents of \(merge.abbreviated()) share no history")
        }
        let subtree = try subtreeDirectory(of: commit)
        var resolutions: [ResolutionStore.Resolution] = []
        var settled: [String] = []
        let automatic: ObjectID
        switch try TrialMerge(repository: repository, index: nil).merged(
            ours: ours, theirs: theirs, bases: bases, subtree: subtree)
        {
        case .tree(let tree): automatic = tree
        case .index(let index):
            resolutions = try contentResolutions(of: index, in: commit, now: now)
            // Named as variants among themselves: the same conflict in several files, resolved
            // in several ways, is several resolutions.
            resolutions = ResolutionStore.named(resolutions, beside: [:])
            _ = try ResolutionStore.apply(
                Dictionary(uniqueKeysWithValues: resolutions.map { ($0.id, $0) }), to: index, in: repository)
            settled = try MergeFixup.settleConflicts(of: index)
            automatic = try index.writeTree()
        }
        let fixup = try fixup(from: automatic, to: commit, bases: bases, settled: settled, manifest: manifest, now: now)
        guard !resolutions.isEmpty || fixup != nil || subtree != nil else {
            throw TributaryError.badInput(
                "merging the parents of \(merge.abbreviated()) again gives its tree: there is nothing to learn")
        }
        var message = "trib resolve record: \(merge.abbreviated()) (\(resolutions.count) files"
        if let fixup { message += ", fix-up \(fixup.id)" }
        try ResolutionStore(repository: repository).record(
            resolutions, fixup: fixup, subtree: subtree.map { (theirs, $0) }, message: message + ")")
        return Learned(merge: merge, resolutions: resolutions, fixup: fixup, subtree: subtree)
    }

    /// The resolution, as `merge` has it, of each content conflict of `index`.
    private func contentResolutions(of index: MergeIndex, in merge: Commit, now: Int64) throws
        -> [ResolutionStore.Resolution]
    {
        var found: [ResolutionStore.Resolution] = []
        for conflict in try index.conflicts() where !conflict.isRenameSource {
            guard let our = conflict.ours, conflict.theirs != nil,
                let image = ConflictImage.parse(
                    try index.mergedFile(for: conflict, ourLabel: "ours", theirLabel: "theirs").contents),
                let resolved = try repository.fileContents(at: our.path, in: merge.tree)
            else { continue }
            found.append(
                .init(
                    id: image.id, path: our.path, tree: nil, source: "record \(merge.id.hex)", recorded: now,
                    preimage: image.normalized, postimage: resolved))
        }
        return found
    }

    /// The fix-up that turns `automatic` into `merge`'s tree; nil when they are the same and no
    /// conflict was `settled`.
    private func fixup(
        from automatic: ObjectID, to merge: Commit, bases: [ObjectID], settled: [String], manifest: Manifest?,
        now: Int64
    ) throws -> MergeFixup? {
        guard automatic != merge.tree || !settled.isEmpty else { return nil }
        var options = DiffOptions()
        options.detectRenames = false
        options.showBinary = true
        let patch = try repository.diff(from: automatic, to: merge.tree, options: options).patchBytes()
        let files = try repository.changedPaths(from: automatic, to: merge.tree)
        let keys = try FixupKeyFinder(repository: repository).keys(
            sides: merge.parents, bases: bases, patch: patch, files: files)
        let sides = try keys.map { commits in
            MergeFixup.Side(
                tree: try manifest.flatMap { try carryingTree(of: commits, in: $0) },
                commits: try commits.map { id in
                    let commit = try repository.commit(id)
                    return MergeFixup.KeyCommit(
                        id: id, patchID: try repository.patchID(of: commit), subject: commit.summary)
                })
        }
        return MergeFixup(
            patch: patch, files: files, conflicts: settled, sides: sides, source: "record \(merge.id.hex)",
            recorded: now)
    }

    /// The first tree of `manifest`, in merge order, whose fetched tip has all of `commits`;
    /// `mainline` when the base has them.
    private func carryingTree(of commits: [ObjectID], in manifest: Manifest) throws -> String? {
        guard !commits.isEmpty else { return nil }
        func holds(_ tip: ObjectID) throws -> Bool { try commits.allSatisfy { try repository.isAncestor($0, of: tip) } }
        if let base = manifest.integration.base, let tip = try? repository.resolveCommit(base), try holds(tip) {
            return "mainline"
        }
        for tree in manifest.trees {
            if let tip = try repository.referenceTarget(tree.reference), try holds(tip) { return tree.name }
        }
        return nil
    }

    /// The directory of the first parent's tree that the merge put its second parent's project
    /// in, as `git merge -s subtree` does; nil for an ordinary merge. A directory (at most two
    /// levels down) qualifies when most of the second parent's top-level names are in it, and it
    /// has more of its entries unchanged than the top level has.
    func subtreeDirectory(of merge: Commit) throws -> String? {
        let theirs = try repository.tree(repository.treeOfCommit(merge.parents[1])).entries
        guard !theirs.isEmpty else { return nil }
        let theirNames = Set(theirs.map(\.name))
        let theirEntries = Set(theirs.map { "\($0.name) \($0.id.hex)" })
        func score(_ tree: ObjectID) throws -> (names: Int, same: Int) {
            let entries = try repository.tree(tree).entries
            return (
                entries.filter { theirNames.contains($0.name) }.count,
                entries.filter { theirEntries.contains("\($0.name) \($0.id.hex)") }.count
            )
        }
        let root = try score(merge.tree)
        var best: (path: String, names: Int, same: Int)?
        var directories = try repository.tree(merge.tree).entries.filter(\.mode.isTree).map { ($0.name, $0.id, 1) }
        while let (path, id, depth) = directories.popLast() {
            let found = try score(id)
            if found.names * 10 >= theirNames.count * 6, found.same > root.same,
                best.map({ (found.same, found.names) > ($0.same, $0.names) }) ?? true
            {
                best = (path, found.names, found.same)
            }
            if depth < 2 {
                directories += try repository.tree(id).entries.filter(\.mode.isTree).map {
                    (path + "/" + $0.name, $0.id, depth + 1)
                }
            }
        }
        return best?.path
    }
}
