public import Git

/// Describes the conflicts of an in-memory merge: for each conflicted path its kind, the
/// conflicting regions with base, ours and theirs text, and the commits on each side since the
/// merge base that last changed those lines (blame bounded by the merge base), or that changed
/// the file when there are no lines to blame (a deletion).
///
/// A side whose merge base is far from it in the history is searched within a window of its
/// newest commits (`HistoryWindow`); it would otherwise be blamed through its whole history.
public struct ConflictAnalyzer {
    public let repository: Repository
    /// Blames already computed, shared by the analyses of one sequence of merges.
    public let blameCache: BlameCache
    /// The `git` program that blames (`GitProgram.blame`); nil, or when it cannot run, libgit2's
    /// blame (`Repository.blame`), which costs seconds to minutes on a long history.
    public var git: GitProgram?
    /// How far back each side is searched; a commit further back is never named. Applies to
    /// the `git` program's blame and file history, not to libgit2's blame.
    public var historyWindow: HistoryWindow

    public init(
        repository: Repository, blameCache: BlameCache = BlameCache(), git: GitProgram? = GitProgram(),
        historyWindow: HistoryWindow = HistoryWindow()
    ) {
        self.repository = repository
        self.blameCache = blameCache
        self.git = git
        self.historyWindow = historyWindow
    }

    /// Blames of the sources' lines by commit, path, bound and lines: a tree merged early is
    /// blamed once, however many later trees conflict with it there.
    public final class BlameCache {
        var hunks: [String: [BlameHunk]] = [:]
        var bases: [String: ObjectID?] = [:]
        /// Plain blames run ahead, all at once (`prefetchBlames`), by `blameKey`.
        var prefetched: [String: [BlameHunk]] = [:]
        /// The first commit past each tip's searched history, by tip, merge base and window
        /// (`windowEnd`); nil when the tip's whole history is searched.
        var windowEnds: [String: ObjectID?] = [:]
        /// Files' histories run ahead, all at once (`prefetchFileHistories`), by `historyKey`.
        var fileHistories: [String: [ObjectID]] = [:]
        public init() {}
    }

    /// The conflicts of `index`, the merge of commit `theirs` into commit `ours` whose merge
    /// base is `base`.
    ///
    /// `ourSources` may name commits our side is made of (for a running result: the integration
    /// tip and each tree merged into it). When exactly one of them changed a path since the
    /// base and has our version of it, that path is blamed there, over that commit's own short
    /// history, instead of over everything merged into our side: the answer is the same.
    public func conflicts(
        in index: MergeIndex, ours: ObjectID, theirs: ObjectID, base: ObjectID?, ourSources: [ObjectID] = []
    ) throws -> [MergeConflict] {
        let sides = Sides(
            ours: ours, theirs: theirs, base: base, baseTree: try base.map { try repository.treeOfCommit($0) },
            sources: try ourSources.map { ($0, try repository.treeOfCommit($0)) })
        let joined = try Self.joiningRenames(in: index)
        try prefetchBlames(joined.pending, sides)
        try prefetchFileHistories(joined.pending, joined.renames, joined.sources, sides)
        var result = try joined.pending.map { conflict in
            try describe(conflict, renames: joined.renames, renameSources: joined.sources, paths: joined.paths, sides)
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

    /// A rename behind conflicts, as libgit2 records it: the path in the ancestor and on each side.
    private typealias Rename = (ancestor: String?, ours: String?, theirs: String?)

    /// The two sides of the merge, its base, and the commits our side is made of.
    private struct Sides {
        var ours: ObjectID
        var theirs: ObjectID
        var base: ObjectID?
        var baseTree: ObjectID?
        var sources: [(ObjectID, ObjectID)]
    }

    /// The index's conflicts as git records them: libgit2 keeps the old path of a renamed file as
    /// a conflict with only an ancestor, linked to the new paths in the index's NAME entries, and
    /// gives a file one side renamed and both changed as two conflicts (the old path, deleted on
    /// the renaming side, and the new path, added there) — joined here into one rename/modify
    /// conflict at the new path.
    private static func joiningRenames(in index: MergeIndex) throws -> (
        pending: [IndexConflict], renames: [Rename], sources: [String: IndexEntry], paths: [String: [String]]
    ) {
        let all = try index.conflicts()
        let renames = index.renameConflicts()
        var sources: [String: IndexEntry] = [:]
        for conflict in all where conflict.isRenameSource {
            if let ancestor = conflict.ancestor { sources[ancestor.path] = ancestor }
        }
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
        return (pending, renames, sources, joinedPaths)
    }

    /// One conflict: its kind, paths, hunks and each side's commits.
    private func describe(
        _ conflict: IndexConflict, renames: [Rename], renameSources: [String: IndexEntry],
        paths joinedPaths: [String: [String]], _ sides: Sides
    ) throws -> MergeConflict {
        let (ourSide, theirSide, ancestor, rename) = Self.stages(of: conflict, renames, renameSources)
        var paths = joinedPaths[conflict.path] ?? conflict.paths
        var kind = Self.kind(of: conflict, ancestor: ancestor, rename: rename)
        if Self.renamedApart(rename), let source = rename?.ancestor, !paths.contains(source) {
            // Renamed differently on both sides: git keeps the base's stage at the old path.
            paths.insert(source, at: 0)
        }
        var hunks: [ConflictHunk] = []
        if let ourSide, let theirSide, [.content, .addAdd, .renameModify].contains(kind) {
            hunks = try self.hunks(ancestor: ancestor, ours: ourSide, theirs: theirSide, kind: &kind, sides)
        }
        var ourCommits = Self.unique(hunks.flatMap(\.ourCommits))
        var theirCommits = Self.unique(hunks.flatMap(\.theirCommits))
        let basePath = ancestor?.path
        // With lines to blame and none attributed, the lines are older than the history searched;
        // the file's other commits did not make them.
        if ourCommits.isEmpty && !hunks.contains(where: { $0.ours.count > 0 }) {
            let tip = try ourBlameTip(ourSide?.path ?? basePath ?? conflict.path, blob: ourSide?.blob, sides)
            ourCommits = try commits(touching: [ourSide?.path, basePath], at: tip, since: sides.base)
        }
        if theirCommits.isEmpty && !hunks.contains(where: { $0.theirs.count > 0 }) {
            theirCommits = try commits(touching: [theirSide?.path, basePath], at: sides.theirs, since: sides.base)
        }
        return MergeConflict(
            path: conflict.path, paths: paths, kind: kind, ancestor: ancestor, ours: ourSide, theirs: theirSide,
            hunks: hunks, ourCommits: ourCommits, theirCommits: theirCommits)
    }

    /// A conflict's three stages as described: each side, the ancestor (for a rename, the
    /// renamed file's), and the rename behind it.
    private static func stages(
        of conflict: IndexConflict, _ renames: [Rename], _ renameSources: [String: IndexEntry]
    ) -> (ours: ConflictSide?, theirs: ConflictSide?, ancestor: ConflictSide?, rename: Rename?) {
        let ourSide = conflict.ours.map(Self.side)
        let theirSide = conflict.theirs.map(Self.side)
        let rename = renames.first { name in
            let oursMatch = name.ours != nil && name.ours == ourSide?.path
            let theirsMatch = name.theirs != nil && name.theirs == theirSide?.path
            return oursMatch || theirsMatch
        }
        var ancestor = conflict.ancestor.map(Self.side)
        if ancestor == nil, let source = rename?.ancestor, let entry = renameSources[source] {
            ancestor = Self.side(entry)
        }
        return (ourSide, theirSide, ancestor, rename)
    }

    /// The kind of a conflict before its text is read (`hunks` may make a content conflict a
    /// binary or mode one): a file renamed differently on both sides is a rename/rename.
    private static func kind(of conflict: IndexConflict, ancestor: ConflictSide?, rename: Rename?) -> ConflictKind {
        if renamedApart(rename) { return .renameRename }
        return kind(ancestor: ancestor, ours: conflict.ours.map(Self.side), theirs: conflict.theirs.map(Self.side))
    }

    /// Whether `rename` moved the file to a different path on each side.
    private static func renamedApart(_ rename: Rename?) -> Bool {
        guard let rename, let source = rename.ancestor, let renamedOurs = rename.ours, let renamedTheirs = rename.theirs
        else { return false }
        return renamedOurs != renamedTheirs && renamedOurs != source && renamedTheirs != source
    }

    /// The conflicting regions of a text file with each side's commits (one blame per side
    /// covers every region); none for a binary file (then `kind` becomes binary), and a content
    /// conflict with no region but different modes becomes a mode conflict.
    private func hunks(
        ancestor: ConflictSide?, ours ourSide: ConflictSide, theirs theirSide: ConflictSide, kind: inout ConflictKind,
        _ sides: Sides
    ) throws -> [ConflictHunk] {
        let baseBytes = try ancestor.map { try repository.blob($0.blob) } ?? []
        let ourBytes = try repository.blob(ourSide.blob)
        let theirBytes = try repository.blob(theirSide.blob)
        if Self.isBinary(baseBytes) || Self.isBinary(ourBytes) || Self.isBinary(theirBytes) {
            if kind == .content { kind = .binary }
            return []
        }
        let baseLines = splitLines(baseBytes)
        let ourLines = splitLines(ourBytes)
        let theirLines = splitLines(theirBytes)
        let regions = try ConflictRegions.find(base: baseBytes, ours: ourBytes, theirs: theirBytes)
        let ourTip = try ourBlameTip(ourSide.path, blob: ourSide.blob, sides)
        let bySource =
            ourTip == sides.ours
            ? try sourceBlame(ourSide.path, bytes: ourBytes, regions: regions.map(\.ours), sides) : nil
        // Both sides were blamed at once, with every other conflicted file's (`prefetchBlames`).
        let ourBlame =
            bySource == nil ? try blame(ourSide.path, regions.map(\.ours), at: ourTip, since: sides.base) : []
        let theirBlame = try blame(theirSide.path, regions.map(\.theirs), at: sides.theirs, since: sides.base)
        let hunks = try regions.map { region in
            ConflictHunk(
                base: Self.span(baseLines, region.base), ours: Self.span(ourLines, region.ours),
                theirs: Self.span(theirLines, region.theirs),
                ourCommits: try bySource.map { attributed in
                    try newestFirst(Self.unique(region.ours.flatMap { attributed[$0] ?? [] }))
                } ?? commits(in: ourBlame, overlapping: region.ours),
                theirCommits: try commits(in: theirBlame, overlapping: region.theirs))
        }
        if hunks.isEmpty, kind == .content, ancestor?.mode != ourSide.mode || ourSide.mode != theirSide.mode {
            kind = .mode
        }
        return hunks
    }

    /// The commit to blame our side's `path` at: the one source that changed it since the base,
    /// when it has our version (`blob`); else our side itself.
    private func ourBlameTip(_ path: String, blob: ObjectID?, _ sides: Sides) throws -> ObjectID {
        guard !sides.sources.isEmpty, let baseTree = sides.baseTree else { return sides.ours }
        let baseEntry = try repository.entry(at: path, in: baseTree)
        var changed: [(ObjectID, TreeEntry?)] = []
        for (source, tree) in sides.sources {
            let entry = try repository.entry(at: path, in: tree)
            if entry?.id != baseEntry?.id || entry?.mode != baseEntry?.mode { changed.append((source, entry)) }
            if changed.count > 1 { return sides.ours }
        }
        guard let (source, entry) = changed.first, entry?.id == blob else { return sides.ours }
        return source
    }

    /// Our side's blame of the lines `regions` of `path` (whose content is `bytes`) through the
    /// sources that changed it: each such source's lines that became those lines are blamed in
    /// the source, and only those (a blame of the few conflicting lines costs what `git blame -L`
    /// costs; of a whole file with a long history, minutes); nil when there are no sources to go
    /// by.
    private func sourceBlame(_ path: String, bytes: [UInt8], regions: [Range<Int>], _ sides: Sides) throws
        -> [Int: [ObjectID]]?
    {
        guard !sides.sources.isEmpty, let baseTree = sides.baseTree, let base = sides.base else { return nil }
        let baseEntry = try repository.entry(at: path, in: baseTree)
        var attributed: [Int: [ObjectID]] = [:]
        // Each version of the file is blamed once, in the first source that has it: trees based
        // on a newer mainline than the base all carry its version, and their blames would name
        // the same commits again (a topic forest's 20 such sources cost 20 blames of each file).
        var blamed = Set<ObjectID>()
        for (source, tree) in sides.sources {
            guard let entry = try repository.entry(at: path, in: tree), entry.id != baseEntry?.id,
                blamed.insert(entry.id).inserted
            else { continue }
            let changes = try Repository.lineChanges(from: repository.blob(entry.id), to: bytes)
            // Our lines of the regions, by the source's line they were.
            var ourLine: [Int: Int] = [:]
            for region in regions {
                for line in region {
                    if let sourceLine = changes.oldLine(becoming: line) { ourLine[sourceLine] = line }
                }
            }
            guard let first = ourLine.keys.min(), let last = ourLine.keys.max() else { continue }
            for hunk in try boundedBlame(path, at: source, since: base, lines: first..<(last + 1)) {
                for line in hunk.start..<(hunk.start + hunk.count) {
                    if let ours = ourLine[line] { attributed[ours, default: []].append(hunk.commit) }
                }
            }
        }
        return attributed
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

    /// The lines `ranges` of `path` at `tip` blamed (bounded by `base`); lines older than the base
    /// are left out.
    private func blame(_ path: String, _ ranges: [Range<Int>], at tip: ObjectID, since base: ObjectID?) throws
        -> [BlameHunk]
    {
        lineBlame(path, at: tip, excluding: base, ranges: ranges) { base }
    }

    /// Lines `lines` of `path` at `tip` blamed, leaving out what `base` reaches (cached); only
    /// lines changed since then are kept.
    private func boundedBlame(_ path: String, at tip: ObjectID, since base: ObjectID, lines: Range<Int>) throws
        -> [BlameHunk]
    {
        let key = "\(windowKey) \(tip.hex) \(base.hex) \(lines.lowerBound) \(lines.upperBound) \(path)"
        if let known = blameCache.hunks[key] { return known }
        let kept = lineBlame(path, at: tip, excluding: base, ranges: [lines]) {
            // libgit2 stops at one commit: the fork point of the tip from the base.
            let baseKey = "\(tip.hex) \(base.hex)"
            if let known = blameCache.bases[baseKey] { return known }
            let bound = try repository.mergeBase(tip, base)
            blameCache.bases[baseKey] = bound
            return bound
        }
        blameCache.hunks[key] = kept
        return kept
    }

    /// The plain blames the conflicts of `pending` will ask for (each side's conflicting lines of
    /// each text file, unless our side is blamed through its sources), run all at once on worker
    /// threads with the `git` program (no libgit2 handle is shared) and kept in the cache, where
    /// `lineBlame` finds them: a merge with seven conflicted files costs the slowest blames, not
    /// the sum of fourteen.
    private func prefetchBlames(_ pending: [IndexConflict], _ sides: Sides) throws {
        guard let git else { return }
        var jobs: [(path: String, ranges: [Range<Int>], tip: ObjectID)] = []
        let throughSources = !sides.sources.isEmpty && sides.baseTree != nil && sides.base != nil
        for conflict in pending {
            guard let ours = conflict.ours.map(Self.side), let theirs = conflict.theirs.map(Self.side) else { continue }
            let baseBytes = try conflict.ancestor.map { try repository.blob($0.id) } ?? []
            let ourBytes = try repository.blob(ours.blob)
            let theirBytes = try repository.blob(theirs.blob)
            if Self.isBinary(baseBytes) || Self.isBinary(ourBytes) || Self.isBinary(theirBytes) { continue }
            let regions = try ConflictRegions.find(base: baseBytes, ours: ourBytes, theirs: theirBytes)
            let ourTip = try ourBlameTip(ours.path, blob: ours.blob, sides)
            if !(ourTip == sides.ours && throughSources) {
                jobs.append((ours.path, regions.map(\.ours).filter { !$0.isEmpty }, ourTip))
            }
            jobs.append((theirs.path, regions.map(\.theirs).filter { !$0.isEmpty }, sides.theirs))
        }
        jobs = jobs.filter {
            !$0.ranges.isEmpty && blameCache.prefetched[blameKey($0.path, $0.tip, sides.base, $0.ranges)] == nil
        }
        guard jobs.count > 1 else { return }
        let (gitDirectory, base) = (repository.gitDirectory, sides.base)
        let bounded = jobs.map { job in (job, [base, windowEnd(of: job.tip, base: base)].compactMap { $0 }) }
        let results = Parallel.map(bounded) { item -> [BlameHunk]? in
            let (job, bounds) = item
            return (try? git.blame(job.path, at: job.tip, excluding: bounds, lines: job.ranges, in: gitDirectory))?
                .filter { !$0.isBoundary && $0.commit != base }
        } received: { _, _ in
        }
        for (job, hunks) in zip(jobs, results) {
            if let hunks { blameCache.prefetched[blameKey(job.path, job.tip, base, job.ranges)] = hunks }
        }
    }

    /// The first commit past `tip`'s window (`HistoryWindow.end`) for a merge whose base is
    /// `base`; nil when the window holds all of it, or with no `git` program. Kept in the cache.
    private func windowEnd(of tip: ObjectID, base: ObjectID?) -> ObjectID? {
        guard git != nil else { return nil }
        let key = windowEndKey(tip, base)
        if let known = blameCache.windowEnds[key] { return known }
        let end = try? historyWindow.end(of: tip, base: base, in: repository)
        blameCache.windowEnds[key] = end
        return end
    }

    private func windowEndKey(_ tip: ObjectID, _ base: ObjectID?) -> String {
        "\(windowKey) \(tip.hex) \(base?.hex ?? "-")"
    }

    /// The window's settings, part of every cache key.
    private var windowKey: String { "w\(historyWindow.margin),\(historyWindow.limit)" }

    /// The key of a plain blame: window, commit, bound, line ranges and path.
    func blameKey(_ path: String, _ tip: ObjectID, _ base: ObjectID?, _ ranges: [Range<Int>]) -> String {
        "\(windowKey) \(tip.hex) \(base?.hex ?? "-") \(ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")) \(path)"
    }

    /// git's blame of `ranges` of `path` at `tip` without what `base` reaches (`GitProgram.blame`),
    /// or, with no `git` program or when it fails, libgit2's over the span from the first range to
    /// the last, stopped at `libgit2Bound`; boundary lines left out. A file that cannot be blamed
    /// has no hunks.
    private func lineBlame(
        _ path: String, at tip: ObjectID, excluding base: ObjectID?, ranges: [Range<Int>],
        libgit2Bound: () throws -> ObjectID?
    ) -> [BlameHunk] {
        let nonEmpty = ranges.filter { !$0.isEmpty }
        guard let first = nonEmpty.map(\.lowerBound).min(), let last = nonEmpty.map(\.upperBound).max() else {
            return []
        }
        if let known = blameCache.prefetched[blameKey(path, tip, base, nonEmpty)] { return known }
        if let git,
            let hunks = try? git.blame(
                path, at: tip, excluding: [base, windowEnd(of: tip, base: base)].compactMap { $0 }, lines: nonEmpty,
                in: repository.gitDirectory)
        {
            return hunks.filter { !$0.isBoundary && $0.commit != base }
        }
        guard let bound = try? libgit2Bound(),
            let hunks = try? repository.blame(path, at: tip, since: bound, lines: first..<last)
        else { return [] }
        return hunks.filter { !$0.isBoundary && $0.commit != bound }
    }

    /// The commits of `blame` that last changed lines of `range`, newest first.
    private func commits(in blame: [BlameHunk], overlapping range: Range<Int>) throws -> [ObjectID] {
        let commits = blame.filter { $0.start < range.upperBound && range.lowerBound < $0.start + $0.count }
            .map(\.commit)
        return try newestFirst(Self.unique(commits))
    }

    /// Commits other than merges in `base..tip` that changed any of `paths`, newest first,
    /// within `tip`'s searched history: `git log --no-merges BASE..TIP -- PATHS`
    /// (`GitProgram.commits(changing:from:excluding:in:)`); with no `git` program, libgit2's walk
    /// of every commit since the base, side branches a merge dropped included.
    private func commits(touching paths: [String?], at tip: ObjectID, since base: ObjectID?) throws -> [ObjectID] {
        let wanted = Self.unique(paths.compactMap { $0 })
        guard !wanted.isEmpty else { return [] }
        if let known = blameCache.fileHistories[historyKey(wanted, tip, base)] { return known }
        if let git,
            let found = try? git.commits(
                changing: wanted, from: tip, excluding: [base, windowEnd(of: tip, base: base)].compactMap { $0 },
                in: repository.gitDirectory)
        {
            return found
        }
        return try walkedCommits(touching: wanted, at: tip, since: base)
    }

    /// The file histories the conflicts without lines on a side will ask for (a side removed or
    /// renamed away, a binary file: `commits(touching:at:since:)` on both sides), run at once on
    /// worker threads with the `git` program and kept in the cache: U-Boot's merge of the
    /// devicetree-rebasing repository has 93 such conflicts, 186 histories.
    private func prefetchFileHistories(
        _ pending: [IndexConflict], _ renames: [Rename], _ renameSources: [String: IndexEntry], _ sides: Sides
    ) throws {
        guard let git else { return }
        var jobs: [(paths: [String], tip: ObjectID, bounds: [ObjectID])] = []
        for conflict in pending {
            let (ours, theirs, ancestor, rename) = Self.stages(of: conflict, renames, renameSources)
            if let ours, let theirs,
                [.content, .addAdd, .renameModify].contains(Self.kind(of: conflict, ancestor: ancestor, rename: rename))
            {
                let texts = try [ancestor?.blob, ours.blob, theirs.blob].compactMap { $0 }.map {
                    try repository.blob($0)
                }
                // A text file has hunks, and its sides' commits come from them.
                guard texts.contains(where: Self.isBinary) else { continue }
            }
            let basePath = ancestor?.path
            let ourTip = try ourBlameTip(ours?.path ?? basePath ?? conflict.path, blob: ours?.blob, sides)
            for (paths, tip) in [([ours?.path, basePath], ourTip), ([theirs?.path, basePath], sides.theirs)] {
                let wanted = Self.unique(paths.compactMap { $0 })
                guard !wanted.isEmpty, blameCache.fileHistories[historyKey(wanted, tip, sides.base)] == nil else {
                    continue
                }
                jobs.append((wanted, tip, [sides.base, windowEnd(of: tip, base: sides.base)].compactMap { $0 }))
            }
        }
        guard jobs.count > 1 else { return }
        let gitDirectory = repository.gitDirectory
        let results = Parallel.map(jobs) { job -> [ObjectID]? in
            try? git.commits(changing: job.paths, from: job.tip, excluding: job.bounds, in: gitDirectory)
        } received: { _, _ in
        }
        for (job, found) in zip(jobs, results) {
            if let found { blameCache.fileHistories[historyKey(job.paths, job.tip, sides.base)] = found }
        }
    }

    /// The key of a file history: window, commit, bound and paths.
    private func historyKey(_ paths: [String], _ tip: ObjectID, _ base: ObjectID?) -> String {
        "\(windowKey) \(tip.hex) \(base?.hex ?? "-") \(paths.joined(separator: "\u{0}"))"
    }

    /// `commits(touching:at:since:)` by libgit2: every commit of `base..tip`, each compared with
    /// its parent (a merge is never named).
    private func walkedCommits(touching wanted: [String], at tip: ObjectID, since base: ObjectID?) throws
        -> [ObjectID]
    {
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
