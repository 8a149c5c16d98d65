public import Git

/// The recorded resolutions and fix-ups as the pull history judges them (`trib resolve list`): a
/// resolution is stale when none of the last `staleAfter` pulls used it; a fix-up is stale when
/// it did not apply in the last pull that merged its tree.
public struct ResolutionListing: Sendable {
    public struct Resolution: Sendable {
        public var resolution: ResolutionStore.Resolution
        public var isStale: Bool
    }

    public struct Fixup: Sendable {
        public var fixup: ResolutionStore.Fixup
        public var isStale: Bool
    }

    /// A merge fix-up, with when it last applied.
    public struct MergeFixupEntry: Sendable {
        public var fixup: MergeFixup
        /// When a pull of the log last made it (seconds since the epoch).
        public var lastApplied: Int64?
        /// Whether the last pull in which it was due could not apply it.
        public var isStale: Bool
    }

    /// In path, then id, order.
    public var resolutions: [Resolution]
    /// In the order they were recorded.
    public var mergeFixups: [MergeFixupEntry]
    /// In tree, then name, order.
    public var fixups: [Fixup]
    public var staleAfter: Int

    public init(repository: Repository, staleAfter: Int) throws {
        let store = ResolutionStore(repository: repository)
        let log = try PullLog(repository: repository).entries(limit: staleAfter)
        let used = Set(log.flatMap { $0.trees.flatMap(\.resolutions) })
        let staleFixups = Set(log.first?.trees.flatMap { tree in tree.staleFixups.map { "\(tree.name)/\($0)" } } ?? [])
        self.staleAfter = staleAfter
        resolutions = try store.resolutions().values.sorted { ($0.path, $0.id) < ($1.path, $1.id) }.map {
            Resolution(resolution: $0, isStale: log.count >= staleAfter && !used.contains($0.id))
        }
        fixups = try store.fixups().map { Fixup(fixup: $0, isStale: staleFixups.contains("\($0.tree)/\($0.name)")) }
        let history = try PullLog(repository: repository).entries(limit: 1_000)
        mergeFixups = try store.mergeFixups().map { fixup in
            let applied = history.first { $0.trees.contains { $0.fixups.contains(fixup.id) } }
            let due = history.first {
                $0.trees.contains { $0.fixups.contains(fixup.id) || $0.staleFixups.contains(fixup.id) }
            }
            return MergeFixupEntry(
                fixup: fixup, lastApplied: applied?.when,
                isStale: due?.trees.contains { $0.staleFixups.contains(fixup.id) } == true)
        }
    }
}

extension ResolutionStore {
    /// What an id given on the command line names.
    public enum Recorded: Sendable {
        case resolution(Resolution)
        case mergeFixup(MergeFixup)
    }

    /// The one resolution or merge fix-up whose id starts with `prefix` (any case); `badInput`
    /// when none or several do (naming them).
    public func recorded(withPrefix prefix: String) throws -> Recorded {
        let wanted = prefix.lowercased()
        let matches =
            try resolutions().values.filter { $0.id.hasPrefix(wanted) }.sorted { $0.id < $1.id }.map(
                Recorded.resolution)
            + (try mergeFixups().filter { $0.id.hasPrefix(wanted) }.map(Recorded.mergeFixup))
        guard matches.count == 1, let found = matches.first else {
            guard !matches.isEmpty, !wanted.isEmpty else {
                throw TributaryError.badInput("no resolution or fix-up \(prefix) (see `trib resolve list`)")
            }
            let names = matches.prefix(5).map { match -> String in
                switch match {
                case .resolution(let resolution): "resolution \(resolution.id.prefix(12)) (\(resolution.path))"
                case .mergeFixup(let fixup): "fix-up \(fixup.id)"
                }
            }
            throw TributaryError.badInput("\(prefix) is ambiguous: \(names.joined(separator: ", "))")
        }
        return found
    }
}
