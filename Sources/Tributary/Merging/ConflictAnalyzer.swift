public import Git

/// Describes the conflicts of an in-memory merge: for each conflicted path its kind, the
/// conflicting regions with base, ours and theirs text, and the commits on each side since the
/// merge base that last changed those lines (blame bounded by the merge base), or that changed
/// the file when there are no lines to blame (a deletion).
public struct ConflictAnalyzer {
    public let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// The conflicts of `index`, the merge of commit `theirs` into commit `ours` whose merge
    /// base is `base`.
    public func conflicts(
        in index: MergeIndex, ours: ObjectID, theirs: ObjectID, base: ObjectID?
    ) throws -> [MergeConflict] {
        var result: [MergeConflict] = []
        let all = try index.conflicts()
        // libgit2 keeps the old path of a renamed file as a conflict with only an ancestor, and
        // links it to the new paths in the index's NAME entries.
        let renames = index.renameConflicts()
        var sources: [String: IndexEntry] = [:]
        for conflict in all where conflict.isRenameSource {
            if let ancestor = conflict.ancestor { sources[ancestor.path] = ancestor }
        }
        // A file one side renamed and both sides changed comes as two conflicts: the old path
        // (deleted on the renaming side) and the new path (added there). Join them into one
        // rename/modify conflict at the new path, as git records it.
        var pending = all.filter { !$0.isRenameSource }
        var joinedPaths: [String: [String]] = [:]
        for name in renames {
            guard let source = name.ancestor, let renamedOurs = name.ours, let renamedTheirs = name.theirs,
                (renamedOurs == source) != (renamedTheirs == source)
            else { continue }
            let oursRenamed = renamedOurs != source
            let newPath = oursRenamed ? renamedOurs : renamedTheirs
            guard
                let oldIndex = pending.firstIndex(where: {
                    oursRenamed
                        ? ($0.ours == nil && $0.theirs?.path == source) : ($0.theirs == nil && $0.ours?.path == source)
                }),
                let newIndex = pending.firstIndex(where: {
                    oursRenamed
                        ? ($0.theirs == nil && $0.ours?.path == newPath)
                        : ($0.ours == nil && $0.theirs?.path == newPath)
                })
            else { continue }
            let old = pending[oldIndex]
            let new = pending[newIndex]
            let joined = IndexConflict(
                ancestor: old.ancestor ?? sources[source],
                ours: oursRenamed ? new.ours : old.ours,
                theirs: oursRenamed ? old.theirs : new.theirs)
            joinedPaths[newPath] = Self.unique(new.paths + old.paths)
            pending[newIndex] = joined
            pending.remove(at: oldIndex)
        }
        for conflict in pending {
            let ourSide = conflict.ours.map(Self.side)
            let theirSide = conflict.theirs.map(Self.side)
            let rename = renames.first { name in
                (name.ours != nil && name.ours == ourSide?.path)
                    || (name.theirs != nil && name.theirs == theirSide?.path)
            }
            var ancestor = conflict.ancestor.map(Self.side)
            if ancestor == nil, let source = rename?.ancestor, let entry = sources[source] {
                ancestor = Self.side(entry)
            }
            var paths = joinedPaths[conflict.path] ?? conflict.paths
            var kind = Self.kind(ancestor: ancestor, ours: ourSide, theirs: theirSide)
            if let rename, let source = rename.ancestor, let renamedOurs = rename.ours,
                let renamedTheirs = rename.theirs,
                renamedOurs != renamedTheirs, renamedOurs != source, renamedTheirs != source
            {
                // Renamed differently on both sides: git keeps the base's stage at the old path.
                kind = .renameRename
                if !paths.contains(source) { paths.insert(source, at: 0) }
            }
            var hunks: [ConflictHunk] = []
            if let ourSide, let theirSide, [.content, .addAdd, .renameModify].contains(kind) {
                let baseBytes = try ancestor.map { try repository.blob($0.blob) } ?? []
                let ourBytes = try repository.blob(ourSide.blob)
                let theirBytes = try repository.blob(theirSide.blob)
                if Self.isBinary(baseBytes) || Self.isBinary(ourBytes) || Self.isBinary(theirBytes) {
                    if kind == .content { kind = .binary }
                } else {
                    let baseLines = splitLines(baseBytes)
                    let ourLines = splitLines(ourBytes)
                    let theirLines = splitLines(theirBytes)
                    for region in try ConflictRegions.find(base: baseBytes, ours: ourBytes, theirs: theirBytes) {
                        hunks.append(
                            ConflictHunk(
                                base: Self.span(baseLines, region.base),
                                ours: Self.span(ourLines, region.ours),
                                theirs: Self.span(theirLines, region.theirs),
                                ourCommits: try blame(ourSide.path, region.ours, at: ours, since: base),
                                theirCommits: try blame(theirSide.path, region.theirs, at: theirs, since: base)))
                    }
                    if hunks.isEmpty, kind == .content, ancestor?.mode != ourSide.mode || ourSide.mode != theirSide.mode
                    {
                        kind = .mode
                    }
                }
            }
            var ourCommits = Self.unique(hunks.flatMap(\.ourCommits))
            var theirCommits = Self.unique(hunks.flatMap(\.theirCommits))
            let basePath = ancestor?.path
            if ourCommits.isEmpty {
                ourCommits = try commits(touching: [ourSide?.path, basePath], at: ours, since: base)
            }
            if theirCommits.isEmpty {
                theirCommits = try commits(touching: [theirSide?.path, basePath], at: theirs, since: base)
            }
            result.append(
                MergeConflict(
                    path: conflict.path, paths: paths, kind: kind, ancestor: ancestor, ours: ourSide,
                    theirs: theirSide, hunks: hunks, ourCommits: ourCommits, theirCommits: theirCommits))
        }
        // The same old path can be listed by both halves of a rename/rename: keep the first.
        var listed = Set<String>()
        for position in result.indices {
            result[position].paths = result[position].paths.filter {
                listed.insert($0).inserted || $0 == result[position].path
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    static func kind(ancestor: ConflictSide?, ours: ConflictSide?, theirs: ConflictSide?) -> ConflictKind {
        switch (ancestor, ours, theirs) {
        case (nil, _, _): return .addAdd
        case (let base?, let ours?, nil): return ours.path == base.path ? .modifyDelete : .renameDelete
        case (let base?, nil, let theirs?): return theirs.path == base.path ? .deleteModify : .renameDelete
        case (let base?, let ours?, let theirs?):
            if ours.path != theirs.path {
                return ours.path == base.path || theirs.path == base.path ? .renameModify : .renameRename
            }
            if ours.path != base.path { return .renameModify }
            if ours.blob == theirs.blob || (ours.blob == base.blob || theirs.blob == base.blob) {
                return ours.mode != theirs.mode ? .mode : .content
            }
            return .content
        default: return .content
        }
    }

    /// The commits since `base` on the side whose tip is `tip` that last changed `lines` of
    /// `path`, newest first; lines older than the base are left out.
    private func blame(_ path: String, _ lines: Range<Int>, at tip: ObjectID, since base: ObjectID?) throws
        -> [ObjectID]
    {
        guard !lines.isEmpty else { return [] }
        guard let hunks = try? repository.blame(path, at: tip, since: base, lines: lines) else { return [] }
        let commits = hunks.filter { !$0.isBoundary && $0.commit != base }.map(\.commit)
        return try newestFirst(Self.unique(commits))
    }

    /// Commits in `base..tip` that changed any of `paths` (compared with every parent, as git's
    /// history simplification does: a merge that kept one parent's version did not change it),
    /// newest first.
    private func commits(touching paths: [String?], at tip: ObjectID, since base: ObjectID?) throws -> [ObjectID] {
        let wanted = Self.unique(paths.compactMap { $0 })
        guard !wanted.isEmpty else { return [] }
        var terms: [RevisionRange.Term] = [.include(tip.hex)]
        if let base { terms.append(.exclude(base.hex)) }
        var found: [ObjectID] = []
        for id in try repository.commits(in: RevisionRange(terms: terms)) {
            let commit = try repository.commit(id)
            var changed = false
            for path in wanted {
                let entry = try repository.entry(at: path, in: commit.tree)
                let parentEntries = try commit.parents.map {
                    try repository.entry(at: path, in: repository.treeOfCommit($0))
                }
                if parentEntries.isEmpty
                    ? entry != nil : parentEntries.allSatisfy({ $0?.id != entry?.id || $0?.mode != entry?.mode })
                {
                    changed = true
                }
            }
            if changed && !commit.isMerge { found.append(id) }
        }
        return found
    }

    private func newestFirst(_ commits: [ObjectID]) throws -> [ObjectID] {
        let dated = try commits.map { ($0, try repository.commit($0).committer.time) }
        return dated.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.hex < $1.0.hex }.map(\.0)
    }

    static func unique(_ ids: [ObjectID]) -> [ObjectID] {
        var seen = Set<ObjectID>()
        return ids.filter { seen.insert($0).inserted }
    }

    static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    static func side(_ entry: IndexEntry) -> ConflictSide {
        ConflictSide(path: entry.path, blob: entry.id, mode: entry.mode)
    }

    static func span(_ lines: [ArraySlice<UInt8>], _ range: Range<Int>) -> LineSpan {
        let clamped = range.clamped(to: 0..<lines.count)
        let bytes = clamped.flatMap { Array(lines[$0]) }
        return LineSpan(start: range.lowerBound, count: range.count, text: String(decoding: bytes, as: UTF8.self))
    }

    /// git's binary test (`buffer_is_binary`): a NUL byte in the first 8000 bytes.
    static func isBinary(_ bytes: [UInt8]) -> Bool { bytes.prefix(8000).contains(0) }
}
