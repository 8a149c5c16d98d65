public import Foundation

/// What changed per tree between two reports: series that are new in the tree, that reached the
/// integration branch, that left the tree, or whose patches changed (another version, or commits
/// with other patch-ids).
public struct ReportChanges: Sendable, Codable {
    /// The previous report's moment; nil when there was none.
    public var previousAsOf: Date?
    /// Trees with a change, in merge order.
    public var trees: [TreeChanges]

    public struct TreeChanges: Sendable, Codable {
        public var tree: String
        /// The plan's state then and now (nil: the tree was not in the previous report; the
        /// first report takes every state as unchanged).
        public var stateBefore: TreePlan.State?
        public var state: TreePlan.State
        public var new: [Item]
        /// In the tree, and now in the integration branch too.
        public var landed: [Item]
        /// In the tree before, not now (and not in the integration branch).
        public var dropped: [Item]
        /// In the tree then and now, with other patches.
        public var changed: [Item]

        var isEmpty: Bool {
            stateBefore == state && new.isEmpty && landed.isEmpty && dropped.isEmpty && changed.isEmpty
        }
    }

    public struct Item: Sendable, Codable, Hashable {
        public var key: String
        public var title: String
        public var version: Int?
        /// For a change: what changed.
        public var detail: String?
    }

    /// Compares `current` with `previous` (nil: the first report, where every series in a tree is new).
    public static func between(_ previous: IntegrationReport?, _ current: IntegrationReport) -> ReportChanges {
        let integration = current.integration.branch
        let before = Dictionary(previous?.series.map { ($0.key, $0) } ?? [], uniquingKeysWith: { first, _ in first })
        let now = Dictionary(current.series.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let previousStates = Dictionary(
            previous?.trees.map { ($0.name, $0.state) } ?? [], uniquingKeysWith: { first, _ in first })
        var trees: [TreeChanges] = []
        for tree in current.trees {
            // The first report has no state to compare with: the tree's state is taken as unchanged.
            var changes = TreeChanges(
                tree: tree.name, stateBefore: previous == nil ? tree.state : previousStates[tree.name],
                state: tree.state, new: [], landed: [], dropped: [], changed: [])
            for row in current.series {
                let old = before[row.key]
                let wasHere = old?.isPresent(in: tree.name) ?? false
                let isHere = row.isPresent(in: tree.name)
                let item = Item(key: row.key, title: row.title, version: row.version)
                if isHere && !wasHere { changes.new.append(item) }
                if (isHere || wasHere) && row.isPresent(in: integration)
                    && !(old?.isPresent(in: integration) ?? false) && previous != nil
                {
                    changes.landed.append(item)
                }
                if isHere, wasHere, let old {
                    if old.version != row.version, let was = old.version, let version = row.version {
                        changes.changed.append(with(item, "v\(was) → v\(version)"))
                    } else if old.patchIDs[tree.name] != row.patchIDs[tree.name] {
                        let count = row.patchIDs[tree.name]?.count ?? 0
                        changes.changed.append(with(item, "other patches (\(count) now)"))
                    }
                }
                if wasHere && !isHere && !row.isPresent(in: integration) { changes.dropped.append(item) }
            }
            // Series that are gone from the ledger altogether.
            for old in previous?.series ?? [] where now[old.key] == nil && old.isPresent(in: tree.name) {
                changes.dropped.append(Item(key: old.key, title: old.title, version: old.version))
            }
            if !changes.isEmpty { trees.append(changes) }
        }
        return ReportChanges(previousAsOf: previous?.asOf, trees: trees)
    }

    private static func with(_ item: Item, _ detail: String) -> Item {
        var item = item
        item.detail = detail
        return item
    }
}
