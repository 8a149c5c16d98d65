import Foundation
public import Git

/// The commits of one place as the index holds them (`LedgerPlaces.update` read them), looked
/// up by what identifies a copy without reading the place's other commits: what lets `trib
/// where` answer in milliseconds on a long mainline history.
public struct IndexedPlace: LandingCandidates {
    public let index: IndexDatabase
    /// The place's name in the index (`LedgerPlaces.Place.indexName`).
    public let name: String

    public init(index: IndexDatabase, name: String) {
        self.index = index
        self.name = name
    }

    public func commits(withPatchID patchID: ObjectID) throws -> [LandingMatcher.CommitFacts] {
        try facts(of: index.commits(withPatchID: patchID, in: name))
    }

    public func commits(linking messageID: String) throws -> [LandingMatcher.CommitFacts] {
        try facts(of: index.commits(linking: messageID, in: name))
    }

    public func commits(marking commit: ObjectID) throws -> [LandingMatcher.CommitFacts] {
        let hex = commit.hex
        return try facts(of: index.commits(withKeys: ["m " + hex.prefix(7)], in: name)).filter { facts in
            facts.markers.contains { hex.hasPrefix($0) }
        }
    }

    public func commits(withPrefix prefix: String) throws -> [LandingMatcher.CommitFacts] {
        guard prefix.count >= 7 else { return [] }
        return try facts(of: index.commits(withPrefix: prefix, in: name))
    }

    public func commits(near content: ChangeContent, byFiles: Bool) throws -> [(LandingMatcher.CommitFacts, Int)] {
        let files = Array(content.files)
        var shared: [ObjectID: Int] = [:]
        if byFiles {
            shared = try index.commits(changing: files, atLeast: (files.count + 1) / 2, in: name)
        }
        // Those of the same subject or author count when they change one of the files.
        let named = try index.commits(
            changing: files, atLeast: 1, withKeys: ["s " + content.subject, "a " + content.author.email.lowercased()],
            in: name)
        shared.merge(named) { first, _ in first }
        let found = try facts(of: Array(shared.keys))
        return found.map { ($0, shared[$0.id] ?? 0) }
    }

    /// The stored facts of `ids` (merges and unreadable commits left out).
    private func facts(of ids: [ObjectID]) throws -> [LandingMatcher.CommitFacts] {
        guard !ids.isEmpty else { return [] }
        let stored = try index.commitFacts(of: ids)
        let decoder = JSONDecoder()
        return ids.compactMap { id in
            stored[id].flatMap { try? decoder.decode(LandingMatcher.CommitFacts.self, from: $0) }
                .flatMap { LandingMatcher.isPlaceholder($0) ? nil : $0 }
        }
    }
}
