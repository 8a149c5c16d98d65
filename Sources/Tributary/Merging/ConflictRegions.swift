public import Git

/// The conflicting regions of a three-way merge of one text file, found as xdiff's merge finds
/// them (`xdl_do_merge` at git's default level for the diff3 style): each side is diffed against
/// the base; changes from the two sides that overlap or touch in the base conflict, unless both
/// sides made the same change. Regions are given in each version's own line numbers, so that
/// each side's lines can be blamed.
public enum ConflictRegions {
    /// One conflicting region: half-open 0-based line ranges in the base, ours and theirs.
    public struct Region: Hashable, Sendable {
        public var base: Range<Int>
        public var ours: Range<Int>
        public var theirs: Range<Int>
    }

    /// The conflicting regions of merging `ours` and `theirs` from `base`.
    public static func find(base: [UInt8], ours: [UInt8], theirs: [UInt8]) throws(GitError) -> [Region] {
        let ourChanges = try Repository.lineChanges(from: base, to: ours)
        let theirChanges = try Repository.lineChanges(from: base, to: theirs)
        let ourLines = splitLines(ours)
        let theirLines = splitLines(theirs)
        return regions(ourChanges: ourChanges, theirChanges: theirChanges).filter { region in
            // Both sides made the same change: not a conflict.
            Array(ourLines[region.ours]) != Array(theirLines[region.theirs])
        }
    }

    /// Groups the two sides' changes into regions where both sides changed overlapping or
    /// touching base lines.
    static func regions(ourChanges: [LineChange], theirChanges: [LineChange]) -> [Region] {
        var regions: [Region] = []
        var ourIndex = 0
        var theirIndex = 0
        // Line offsets (new minus old) of the changes already passed on each side.
        var ourShift = 0
        var theirShift = 0
        while ourIndex < ourChanges.count && theirIndex < theirChanges.count {
            let ourChange = ourChanges[ourIndex]
            let theirChange = theirChanges[theirIndex]
            if ourChange.oldEnd < theirChange.oldStart {
                ourShift += ourChange.newCount - ourChange.oldCount
                ourIndex += 1
                continue
            }
            if theirChange.oldEnd < ourChange.oldStart {
                theirShift += theirChange.newCount - theirChange.oldCount
                theirIndex += 1
                continue
            }
            // A conflict: grow it while further changes of either side overlap or touch it.
            let ourShiftBefore = ourShift
            let theirShiftBefore = theirShift
            var start = min(ourChange.oldStart, theirChange.oldStart)
            var end = max(ourChange.oldEnd, theirChange.oldEnd)
            ourShift += ourChange.newCount - ourChange.oldCount
            theirShift += theirChange.newCount - theirChange.oldCount
            ourIndex += 1
            theirIndex += 1
            while true {
                if ourIndex < ourChanges.count, ourChanges[ourIndex].oldStart <= end {
                    let change = ourChanges[ourIndex]
                    start = min(start, change.oldStart)
                    end = max(end, change.oldEnd)
                    ourShift += change.newCount - change.oldCount
                    ourIndex += 1
                } else if theirIndex < theirChanges.count, theirChanges[theirIndex].oldStart <= end {
                    let change = theirChanges[theirIndex]
                    start = min(start, change.oldStart)
                    end = max(end, change.oldEnd)
                    theirShift += change.newCount - change.oldCount
                    theirIndex += 1
                } else {
                    break
                }
            }
            regions.append(
                Region(
                    base: start..<end,
                    ours: (start + ourShiftBefore)..<(end + ourShift),
                    theirs: (start + theirShiftBefore)..<(end + theirShift)))
        }
        return regions
    }
}
