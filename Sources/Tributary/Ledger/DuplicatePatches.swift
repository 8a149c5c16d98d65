public import Git

/// The same patch carried as different commits: by two trees, or twice by one.
public struct DuplicatePatch: Sendable, Hashable {
    /// Where one copy sits.
    public struct Copy: Sendable, Hashable {
        public var tree: String
        public var commit: ObjectID
        public var subject: String
    }

    /// The stable patch-id the copies share.
    public var patchID: ObjectID
    /// The copies, in the order the trees were given.
    public var copies: [Copy]
}

/// Finds patches that appear as more than one commit among the given trees' commits, by stable
/// patch-id (the same diff, whatever the message, author or base).
public struct DuplicatePatchFinder {
    public let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// The duplicates among `trees` (name and commits), ordered by their first copy.
    public func duplicates(among trees: [(name: String, commits: [ObjectID])]) throws -> [DuplicatePatch] {
        var order: [ObjectID] = []
        var copies: [ObjectID: [DuplicatePatch.Copy]] = [:]
        for (name, commitIDs) in trees {
            for id in commitIDs {
                let commit = try repository.commit(id)
                guard let patchID = try repository.patchID(of: commit) else { continue }
                if copies[patchID] == nil { order.append(patchID) }
                copies[patchID, default: []].append(
                    DuplicatePatch.Copy(tree: name, commit: id, subject: commit.summary))
            }
        }
        return order.compactMap { patchID in
            guard let found = copies[patchID], Set(found.map(\.commit)).count > 1 else { return nil }
            return DuplicatePatch(patchID: patchID, copies: found)
        }
    }
}
