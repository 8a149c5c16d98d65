import CLibgit2

/// The rename candidates of a three-way merge that git's merge (merge-ort) would not weigh,
/// found before libgit2's merge, which reads every file added on a side to compare it with
/// every file removed there: on git.git, merging git-gui's tree (its files at the top) into the
/// whole tree read 4,500 added files for one removed file git-gui had changed — 0.5–0.8 s where
/// git's whole merge takes 0.05 s past its merge base.
///
/// Two rules of merge-ort and `diffcore-rename.c`, in their order:
///
/// 1. **Irrelevant sources.** A file removed on one side is a rename source only when the other
///    side changed it or removed it too: when the other side kept the ancestor's version, the
///    result is the same whether the file was renamed or removed. Such files are taken out of
///    the ancestor and of the side that kept them.
/// 2. **Exact and basename matches.** A remaining source with an added file of the same blob
///    is an exact rename; else, when its file name (the part after the last `/`) is unique among
///    the side's remaining sources and among its added files, and the two are at least 75%
///    similar (`min_basename_score`: halfway from the rename threshold to 100%, git's metric),
///    it is that rename. When every source of a side is matched so, its other added files
///    cannot be rename targets git would pick: they are set aside — taken out of that side for
///    libgit2's merge and put back into the result. A source left unmatched keeps every added
///    file in the merge: the comparison with them is libgit2's, as git compares them too (with
///    the irrelevant sources out, it compares fewer pairs: NetworkManager's merge of its systemd
///    import branch took 2.2 s in all with them, 1.5 s without).
///
/// Nothing is taken out of a merge with more changed paths than the rename limit: libgit2 then
/// compares no files at all, and taking files out could bring it under the limit and into the
/// comparison (U-Boot's merge of the devicetree-rebasing repository at the top, 37,000 changed
/// paths: 3.9 s as libgit2 merges it, 5.6 s with the candidates taken out).
///
/// An added file is only set aside when putting it back cannot meet another entry of the
/// result (`SetAsideHazards`).
struct RenameCandidates {
    /// Paths taken out of the ancestor, and of the side that kept them (`keptByOurs`).
    var irrelevant: [(path: String, keptByOurs: Bool)] = []
    /// Added files taken out of a side (`ours` or theirs) and put back into the result.
    var setAside: [(entry: IndexEntry, ours: Bool)] = []

    var isEmpty: Bool { irrelevant.isEmpty && setAside.isEmpty }
}

extension Repository {
    /// What to take out of a merge of `ours` and `theirs` from `ancestor` (trees) before
    /// libgit2's rename detection (`RenameCandidates`); `threshold` is the rename similarity.
    /// Both sides are compared with the ancestor once (`changedFiles`); the rest is sets.
    func renameCandidates(ancestor: ObjectID, ours: ObjectID, theirs: ObjectID, threshold: Int, limit: Int)
        throws(GitError) -> RenameCandidates
    {
        let changes = (
            ours: try changedFiles(from: ancestor, to: ours), theirs: try changedFiles(from: ancestor, to: theirs)
        )
        // Past `limit` changed paths libgit2 compares no files for renames at all (its
        // `target_limit` counts them): nothing to spare it then, and taking files out could bring
        // it under the limit and into the comparison.
        guard Set(changes.ours.map(\.path)).union(changes.theirs.map(\.path)).count <= limit else {
            return RenameCandidates()
        }
        var candidates = RenameCandidates()
        for side in [true, false] {
            let (mine, others) = side ? (changes.ours, changes.theirs) : (changes.theirs, changes.ours)
            var removed: [String: TreeEntry] = [:]
            var added: [String: TreeEntry] = [:]
            for change in mine {
                if let old = change.old, Self.isRenamable(old), change.new == nil { removed[change.path] = old }
                if let new = change.new, Self.isRenamable(new), change.old == nil { added[change.path] = new }
            }
            guard !removed.isEmpty else { continue }
            // A file the other side did not change is one it kept as the ancestor had it.
            let changedByOthers = Set(others.map(\.path))
            var relevant: [String: TreeEntry] = [:]
            for (path, base) in removed {
                if changedByOthers.contains(path) {
                    relevant[path] = base
                } else {
                    candidates.irrelevant.append((path, !side))
                }
            }
            // A source left unmatched keeps every added file in the comparison.
            guard !relevant.isEmpty,
                let matched = try matchedTargets(
                    relevant: relevant, removed: removed, added: added, threshold: threshold)
            else { continue }
            let hazards = SetAsideHazards(
                mine.filter { $0.old != nil && $0.new == nil }.map(\.path) + others.filter { $0.new != nil }.map(\.path)
            )
            for (path, entry) in added where !matched.contains(path) && hazards.leaveFree(path) {
                candidates.setAside.append((IndexEntry(path: path, id: entry.id, mode: entry.mode), side))
            }
        }
        return candidates
    }

    /// The added paths matched to `relevant` sources by blob or unique file name (rule 2 of
    /// `RenameCandidates`); nil when one of them has no such match. Names are checked for every
    /// source before any file is read.
    private func matchedTargets(
        relevant: [String: TreeEntry], removed: [String: TreeEntry], added: [String: TreeEntry], threshold: Int
    ) throws(GitError) -> Set<String>? {
        let removedBlobs = Set(removed.values.map(\.id))
        var exact: [ObjectID: [String]] = [:]
        for (path, entry) in added where removedBlobs.contains(entry.id) { exact[entry.id, default: []].append(path) }
        // git's basename pass counts the sources and targets no exact rename took.
        func uniqueNames(_ paths: [String]) -> [String: String] {
            var byName: [String: [String]] = [:]
            for path in paths { byName[Self.fileName(path), default: []].append(path) }
            return byName.compactMapValues { $0.count == 1 ? $0[0] : nil }
        }
        let sourceNames = uniqueNames(removed.filter { exact[$0.value.id] == nil }.map(\.key))
        let targetNames = uniqueNames(added.filter { exact[$0.value.id] == nil }.map(\.key))
        var matched = Set<String>()
        var pairs: [(source: TreeEntry, target: TreeEntry)] = []
        for (path, source) in relevant {
            if let copies = exact[source.id] {
                matched.formUnion(copies)
                continue
            }
            let name = Self.fileName(path)
            guard sourceNames[name] == path, let target = targetNames[name], let targetEntry = added[target] else {
                return nil
            }
            matched.insert(target)
            pairs.append((source, targetEntry))
        }
        let basenameScore = threshold + (100 - threshold) / 2
        for (source, target) in pairs {
            let score = SpanSignature.similarity(from: try signature(of: source), to: try signature(of: target))
            if score < basenameScore { return nil }
        }
        return matched
    }

    /// git's similarity signature of a file entry's blob.
    private func signature(of entry: TreeEntry) throws(GitError) -> SpanSignature {
        let bytes = try blob(entry.id)
        return bytes.withUnsafeBytes { SpanSignature(bytes: $0, isRegularFile: entry.mode != .symlink) }
    }

    private static func isRenamable(_ entry: TreeEntry) -> Bool {
        [.regular, .executable, .symlink].contains(entry.mode)
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// Where putting an added file back into a merge's result could meet another entry: the files
/// the merge can keep or add around it — what its own side removed (the ancestor's files there,
/// kept by the other side or not) and what the other side has new. A set-aside path must be none
/// of them, lie under none of them, and hold none of them below it.
struct SetAsideHazards {
    private let files: Set<String>
    private let directories: Set<String>

    init(_ paths: [String]) {
        files = Set(paths)
        var directories = Set<String>()
        for path in paths {
            var index = path.endIndex
            while let slash = path[path.startIndex..<index].lastIndex(of: "/") {
                guard directories.insert(String(path[path.startIndex..<slash])).inserted else { break }
                index = slash
            }
        }
        self.directories = directories
    }

    /// Whether `path` can be taken out and put back without meeting any of them.
    func leaveFree(_ path: String) -> Bool {
        if files.contains(path) || directories.contains(path) { return false }
        var index = path.endIndex
        while let slash = path[path.startIndex..<index].lastIndex(of: "/") {
            if files.contains(String(path[path.startIndex..<slash])) { return false }
            index = slash
        }
        return true
    }
}
