import Foundation
import Git

/// When a pull makes each merge fix-up (`MergeFixup`): after the merge of the tree that brings
/// the last of the commits it needs, when the other side was there before — in whatever order
/// the trees come, and after rebases, as key commits are known by id and by patch-id. A fix-up
/// whose two sides both come in one tree is not made (that tree merged them itself); one of
/// which a side is missing is not made.
///
/// It also says which fix-ups retire: both sides in the mainline (they landed upstream, which
/// resolved their meeting), a key commit reverted (`This reverts commit X`), or a side dropped
/// (absent from a pull that pulled the trees that carried it, after the fix-up applied in an
/// earlier pull).
struct FixupSchedule {
    let repository: Repository
    let index: IndexDatabase?
    /// The mainline (the manifest's base), when there is one.
    let upstream: ObjectID?
    /// How many of the mainline's newest commits are looked at for copies of key commits.
    var upstreamLimit = 2_000
    /// The fix-ups not retired.
    private(set) var active: [MergeFixup]
    /// Per fix-up id, the commit of the running result found for each key commit (sides'
    /// commits in order).
    private var found: [String: [Int: ObjectID]] = [:]
    /// The fix-ups retired during this pull, with why.
    private(set) var retired: [(fixup: MergeFixup, reason: String)] = []

    init(fixups: [MergeFixup], start: ObjectID, upstream: ObjectID?, repository: Repository, index: IndexDatabase?)
        throws
    {
        self.repository = repository
        self.index = index
        self.upstream = upstream
        active = []
        let waiting = fixups.filter { $0.retired == nil }
        let allKeys = Set(waiting.flatMap { $0.sides.flatMap(\.commits).map(\.id) })
        let inStart = try Self.ancestors(among: allKeys, of: start, in: repository)
        let inUpstream = try upstream.map {
            try $0 == start ? inStart : Self.ancestors(among: allKeys, of: $0, in: repository)
        }
        for fixup in waiting {
            let keys = fixup.sides.flatMap(\.commits)
            var holders: [Int: ObjectID] = [:]
            for (number, key) in keys.enumerated() where inStart.contains(key.id) { holders[number] = key.id }
            if let inUpstream, !keys.isEmpty, keys.allSatisfy({ inUpstream.contains($0.id) }) {
                retired.append((fixup, "landed upstream"))
                continue
            }
            found[fixup.id] = holders
            active.append(fixup)
        }
    }

    /// Which of `commits` `tip` has: one walk of its history, newest first, down to a week
    /// before the oldest of them (a commit dated more than a week before its parent could hide
    /// one; git's own walks allow far less), rather than one ancestry question per commit.
    static func ancestors(among commits: Set<ObjectID>, of tip: ObjectID, in repository: Repository) throws
        -> Set<ObjectID>
    {
        let present = commits.filter { repository.contains($0) }
        guard let earliest = try present.map({ try repository.commit($0).committer.time }).min() else { return [] }
        var found = Set<ObjectID>()
        for commit in try repository.walk(RevisionRange(terms: [.include(tip.hex)])) {
            if present.contains(commit) {
                found.insert(commit)
                if found.count == present.count { break }
            }
            if try repository.commit(commit).committer.time < earliest - 7 * 86_400 { break }
        }
        return found
    }

    /// Whether every key commit of `side` of `fixup` has been found.
    private func isPresent(_ fixup: MergeFixup, side: Int) -> Bool {
        let offset = fixup.sides[..<side].map(\.commits.count).reduce(0, +)
        let holders = found[fixup.id] ?? [:]
        return (offset..<offset + fixup.sides[side].commits.count).allSatisfy { holders[$0] != nil }
    }

    private func isComplete(_ fixup: MergeFixup) -> Bool {
        fixup.sides.indices.allSatisfy { isPresent(fixup, side: $0) }
    }

    /// `commits` come into the running result (one tree's new commits): the fix-ups due after
    /// their merge, in the order they were recorded.
    mutating func arrive(_ commits: [ObjectID]) throws -> [MergeFixup] {
        let waiting = active.filter { !isComplete($0) }
        guard !waiting.isEmpty, !commits.isEmpty else {
            // A fix-up made by an earlier merge of this pull retires when this tree reverts it.
            if !active.isEmpty { try retireReverted(among: commits) }
            return []
        }
        let before = Dictionary(
            uniqueKeysWithValues: waiting.map { fixup in
                (fixup.id, fixup.sides.indices.map { isPresent(fixup, side: $0) })
            })
        let arriving = Set(commits)
        var patchIDs: [ObjectID: [ObjectID]]?
        for fixup in waiting {
            for (number, key) in fixup.sides.flatMap(\.commits).enumerated() where found[fixup.id]?[number] == nil {
                if arriving.contains(key.id) {
                    found[fixup.id, default: [:]][number] = key.id
                    continue
                }
                guard let patchID = key.patchID else { continue }
                if patchIDs == nil {
                    let byCommit = try PatchIDLookup.patchIDs(of: commits, in: repository, index: index)
                    patchIDs = Dictionary(grouping: byCommit.keys, by: { byCommit[$0]! })
                }
                if let copy = patchIDs?[patchID]?.first { found[fixup.id, default: [:]][number] = copy }
            }
        }
        try retireReverted(among: commits)
        return active.filter { fixup in
            guard let was = before[fixup.id], isComplete(fixup) else { return false }
            return was.contains(true) || fixup.sides.contains(where: \.commits.isEmpty)
        }
    }

    /// Fix-ups one of whose key commits (or the copy found of it) a commit of `commits` reverts.
    private mutating func retireReverted(among commits: [ObjectID]) throws {
        var reverted: [String] = []
        for commit in commits {
            let message = try repository.commit(commit).message
            guard let range = message.range(of: "This reverts commit ") else { continue }
            let hex = message[range.upperBound...].prefix(while: \.isHexDigit)
            if hex.count >= 7 { reverted.append(hex.lowercased()) }
        }
        guard !reverted.isEmpty else { return }
        for fixup in active {
            let named = fixup.sides.flatMap(\.commits).map(\.id.hex) + (found[fixup.id] ?? [:]).values.map(\.hex)
            if named.contains(where: { id in reverted.contains { id.hasPrefix($0) } }) {
                retire(fixup, "reverted")
            }
        }
    }

    /// Fix-ups not made in this pull none of whose key commits this pull has by id (they were
    /// rebased, or they landed as copies) and all of whose key commits the mainline has, by id or
    /// as copies with the same patch-id among its commits since the oldest of them was written
    /// (at most `upstreamLimit`), retire as landed upstream.
    private mutating func retireCopiedUpstream() throws {
        guard let upstream else { return }
        let waiting = active.filter { fixup in
            !isComplete(fixup)
                && (found[fixup.id] ?? [:]).allSatisfy { number, holder in
                    holder != fixup.sides.flatMap(\.commits)[number].id
                }
        }
        let keys = waiting.flatMap { $0.sides.flatMap(\.commits) }
        let times = try keys.filter { repository.contains($0.id) }.map { try repository.commit($0.id).author.time }
        guard let earliest = times.min() else { return }
        var recent: [ObjectID] = []
        for commit in try repository.walk(RevisionRange(terms: [.include(upstream.hex)])) {
            guard recent.count < upstreamLimit, try repository.commit(commit).committer.time >= earliest - 86_400
            else { break }
            recent.append(commit)
        }
        let inUpstream = Set(recent)
        let copies = Set(try PatchIDLookup.patchIDs(of: recent, in: repository, index: index).values)
        for fixup in waiting {
            let all = fixup.sides.flatMap(\.commits)
            if !all.isEmpty,
                all.allSatisfy({ inUpstream.contains($0.id) || $0.patchID.map(copies.contains) == true })
            {
                retire(fixup, "landed upstream")
            }
        }
    }

    private mutating func retire(_ fixup: MergeFixup, _ reason: String) {
        active.removeAll { $0.id == fixup.id }
        retired.append((fixup, reason))
    }

    /// After the last tree: the fix-ups still waiting whose key commits are all in the mainline
    /// as copies (by patch-id) retire as landed upstream; those that applied before
    /// (`appliedBefore`, ids) and now miss a side whose tree this pull pulled, as dropped.
    /// (`appliedBefore` is asked only when a fix-up misses such a side: reading the pull log is
    /// not every pull's cost.)
    mutating func finish(pulled: Set<String>, appliedBefore: () throws -> Set<String>) throws {
        try retireCopiedUpstream()
        let missing = active.filter { fixup in
            !isComplete(fixup)
                && fixup.sides.indices.contains { side in
                    guard let tree = fixup.sides[side].tree, tree != "mainline" else { return false }
                    return !isPresent(fixup, side: side) && pulled.contains(tree)
                }
        }
        guard !missing.isEmpty else { return }
        let applied = try appliedBefore()
        for fixup in missing where applied.contains(fixup.id) { retire(fixup, "dropped") }
    }
}
