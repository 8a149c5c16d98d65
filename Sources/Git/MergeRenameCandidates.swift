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
///    file in the merge: then the whole comparison is libgit2's, as git compares it whole too.
///
/// An added file is only set aside when neither the ancestor nor the other side has anything
/// at its path, or a file at a directory above it, so that putting it back cannot meet another
/// entry.
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
    func renameCandidates(ancestor: ObjectID, ours: ObjectID, theirs: ObjectID, threshold: Int) throws(GitError)
        -> RenameCandidates
    {
        var candidates = RenameCandidates()
        for side in [true, false] {
            let (mine, other) = side ? (ours, theirs) : (theirs, ours)
            let changes = try sideChanges(ancestor: ancestor, side: mine)
            guard !changes.removed.isEmpty else { continue }
            var relevant: [String: TreeEntry] = [:]
            for (path, base) in changes.removed {
                let kept = try entry(at: path, in: other)
                if kept?.id == base.id && kept?.mode == base.mode {
                    candidates.irrelevant.append((path, !side))
                } else {
                    relevant[path] = base
                }
            }
            guard !relevant.isEmpty,
                let matched = try matchedTargets(
                    relevant: relevant, removed: changes.removed, added: changes.added, threshold: threshold)
            else { continue }
            for (path, entry) in changes.added where !matched.contains(path) {
                guard try isFree(path, in: ancestor), try isFree(path, in: other) else { continue }
                let indexEntry = IndexEntry(path: path, id: entry.id, mode: entry.mode)
                candidates.setAside.append((indexEntry, side))
            }
        }
        return candidates
    }

    /// The files removed on `side` since `ancestor` (with the ancestor's entry) and added there
    /// (with the side's entry); files only (regular, executable, links), as git renames them.
    private func sideChanges(ancestor: ObjectID, side: ObjectID) throws(GitError) -> (
        removed: [String: TreeEntry], added: [String: TreeEntry]
    ) {
        var removed: [String: TreeEntry] = [:]
        var added: [String: TreeEntry] = [:]
        for path in try changedPaths(from: ancestor, to: side) {
            let base = try entry(at: path, in: ancestor).flatMap { Self.isRenamable($0) ? $0 : nil }
            let now = try entry(at: path, in: side).flatMap { Self.isRenamable($0) ? $0 : nil }
            if let base, now == nil { removed[path] = base }
            if let now, base == nil { added[path] = now }
        }
        return (removed, added)
    }

    /// The added paths matched to `relevant` sources by blob or unique file name (rule 2 of
    /// `RenameCandidates`); nil when one of them has no such match.
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
        let basenameScore = threshold + (100 - threshold) / 2
        var matched = Set<String>()
        for (path, source) in relevant {
            if let copies = exact[source.id] {
                matched.formUnion(copies)
                continue
            }
            let name = Self.fileName(path)
            guard sourceNames[name] == path, let target = targetNames[name], let targetEntry = added[target] else {
                return nil
            }
            let score = SpanSignature.similarity(
                from: try signature(of: source), to: try signature(of: targetEntry))
            guard score >= basenameScore else { return nil }
            matched.insert(target)
        }
        return matched
    }

    /// git's similarity signature of a file entry's blob.
    private func signature(of entry: TreeEntry) throws(GitError) -> SpanSignature {
        let bytes = try blob(entry.id)
        return bytes.withUnsafeBytes { SpanSignature(bytes: $0, isRegularFile: entry.mode != .symlink) }
    }

    /// Whether nothing is at `path` in tree `root` and no directory above it is a file there.
    private func isFree(_ path: String, in root: ObjectID) throws(GitError) -> Bool {
        if try entry(at: path, in: root) != nil { return false }
        return try !hasFileAbove(path, in: root)
    }

    private static func isRenamable(_ entry: TreeEntry) -> Bool {
        [.regular, .executable, .symlink].contains(entry.mode)
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
