/// The search of the first failing point of an ordered list of states (the results after each
/// tree of the merge order, a tree's commits one after another, the trees before a culprit): the
/// state at `passing` passed, the one at `failing` failed, and the first failing one between them
/// is found by bisection — with `width` points tried at once in each round (`--jobs`), so a round
/// costs one run's time and the number of rounds is log base width + 1.
///
/// A state that cannot be made (a commit that does not merge on its own) answers nil and is
/// skipped, as `git bisect skip` does: the culprit is then the first failing state, with the
/// skipped ones before it among the candidates.
public enum CulpritSearch {
    /// The first failing index in `passing + 1 ... failing`, and the skipped indices just before it
    /// (which may be the real culprit).
    public static func firstFailing(
        passing: Int, failing: Int, width: Int, test: ([Int]) throws -> [Int: Bool?]
    ) rethrows -> (index: Int, skippedBefore: [Int]) {
        var low = passing
        var high = failing
        var skipped = Set<Int>()
        while true {
            let candidates = (low + 1..<high).filter { !skipped.contains($0) }
            if candidates.isEmpty { break }
            let count = min(max(1, width), candidates.count)
            // `count` points splitting the candidates evenly.
            let points = (1...count).map { candidates[(candidates.count * $0) / (count + 1)] }
            let answers = try test(Array(Set(points)).sorted())
            for (point, answer) in answers where answer == nil { skipped.insert(point) }
            if let firstFail = answers.filter({ $0.value == false }).keys.min() {
                high = firstFail
            }
            if let lastPass = answers.filter({ $0.value == true && $0.key < high }).keys.max() {
                low = max(low, lastPass)
            }
        }
        return (high, (low + 1..<high).filter { skipped.contains($0) })
    }
}
