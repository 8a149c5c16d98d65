import Foundation
public import Git

/// The commits of one place as the index holds them (`LedgerPlaces.update` read them), looked
/// up by what identifies a copy without reading the place's other commits: what lets `trib
/// where` answer in milliseconds on a long mainline history. The lookups of one question are
/// shared by all the places (`IndexLookup`): each runs once, for every place at a time.
public struct IndexedPlace: LandingCandidates {
    public let lookup: IndexLookup
    /// The place's name in the index (`LedgerPlaces.Place.indexName`).
    public let name: String

    public init(lookup: IndexLookup, name: String) {
        self.lookup = lookup
        self.name = name
    }

    public func commits(withPatchID patchID: ObjectID) throws -> [LandingMatcher.CommitFacts] {
        try lookup.facts(of: lookup.placed("p " + patchID.hex) { try $0.placedCommits(withPatchID: patchID) }, in: name)
    }

    public func commits(linking messageID: String) throws -> [LandingMatcher.CommitFacts] {
        try lookup.facts(of: lookup.placed("l " + messageID) { try $0.placedCommits(linking: messageID) }, in: name)
    }

    public func commits(marking commit: ObjectID) throws -> [LandingMatcher.CommitFacts] {
        let hex = commit.hex
        let key = "m " + hex.prefix(7)
        return try lookup.facts(of: lookup.placed("k " + key) { try $0.placedCommits(withKeys: [key]) }, in: name)
            .filter { facts in facts.markers.contains { hex.hasPrefix($0) } }
    }

    public func commits(withPrefix prefix: String) throws -> [LandingMatcher.CommitFacts] {
        guard prefix.count >= 7 else { return [] }
        return try lookup.facts(of: lookup.placed("i " + prefix) { try $0.placedCommits(withPrefix: prefix) }, in: name)
    }

    public func commits(near content: ChangeContent, byFiles: Bool) throws -> [(LandingMatcher.CommitFacts, Int)] {
        let near = try lookup.near(content)
        var shared: [ObjectID: Int] = [:]
        if byFiles {
            for (commit, count) in near.byFiles[name] ?? [] { shared[commit] = count }
        }
        // Those of the same subject or author count when they change one of the files.
        for (commit, count) in near.named[name] ?? [] where shared[commit] == nil { shared[commit] = count }
        // Only those the engine will compare are read: it takes the same subject first, then the
        // most files shared, then the id, `candidateLimit` of them.
        let sameSubject = near.sameSubject[name] ?? []
        let ranked = shared.map { ($0.key, $0.value, sameSubject.contains($0.key)) }
            .sorted { ($0.2 ? 1 : 0, $0.1, $1.0.hex) > ($1.2 ? 1 : 0, $1.1, $0.0.hex) }
            .prefix(LandingEngine.candidateLimit)
        let found = try lookup.facts(of: ranked.map(\.0))
        return found.map { ($0, shared[$0.id] ?? 0) }
    }
}

/// The index's answers to the lookups of one question, kept for all the places it is asked in.
public final class IndexLookup {
    public let index: IndexDatabase
    private var placedAnswers: [String: [IndexDatabase.PlacedCommit]] = [:]
    /// By place: commits and how many of the files they change.
    typealias Near = (
        byFiles: [String: [(ObjectID, Int)]], named: [String: [(ObjectID, Int)]], sameSubject: [String: Set<ObjectID>]
    )
    private var nearAnswers: [ChangeContent: Near] = [:]
    private var decoded: [ObjectID: LandingMatcher.CommitFacts?] = [:]

    public init(index: IndexDatabase) { self.index = index }

    func placed(_ key: String, _ query: (IndexDatabase) throws -> [IndexDatabase.PlacedCommit]) throws
        -> [IndexDatabase.PlacedCommit]
    {
        if let known = placedAnswers[key] { return known }
        let answer = try query(index)
        placedAnswers[key] = answer
        return answer
    }

    /// The commits that change at least half of `content`'s files, and those of its subject or
    /// author that change one, in every place.
    func near(_ content: ChangeContent) throws -> Near {
        if let known = nearAnswers[content] { return known }
        func byPlace(_ rows: [(commit: ObjectID, place: String, shared: Int)]) -> [String: [(ObjectID, Int)]] {
            var grouped: [String: [(ObjectID, Int)]] = [:]
            for row in rows { grouped[row.place, default: []].append((row.commit, row.shared)) }
            return grouped
        }
        let files = Array(content.files)
        var sameSubject: [String: Set<ObjectID>] = [:]
        for (commit, place) in try index.placedCommits(withKeys: ["s " + content.subject]) {
            sameSubject[place, default: []].insert(commit)
        }
        let answer = (
            byFiles: byPlace(try index.placedCommits(changing: files, atLeast: (files.count + 1) / 2)),
            named: byPlace(
                try index.placedCommits(
                    changing: files, atLeast: 1,
                    withKeys: ["s " + content.subject, "a " + content.author.email.lowercased()])),
            sameSubject: sameSubject
        )
        nearAnswers[content] = answer
        return answer
    }

    /// The facts of the commits of `placed` held by `place`, in order.
    func facts(of placed: [IndexDatabase.PlacedCommit], in place: String) throws -> [LandingMatcher.CommitFacts] {
        try facts(of: placed.filter { $0.place == place }.map(\.commit))
    }

    /// The stored facts of `ids` (merges and unreadable commits left out), each decoded once.
    func facts(of ids: [ObjectID]) throws -> [LandingMatcher.CommitFacts] {
        let unread = ids.filter { decoded[$0] == nil }
        if !unread.isEmpty {
            let stored = try index.commitFacts(of: unread)
            let decoder = JSONDecoder()
            for id in unread {
                decoded[id] = stored[id].flatMap { try? decoder.decode(LandingMatcher.CommitFacts.self, from: $0) }
                    .flatMap { LandingMatcher.isPlaceholder($0) ? nil : $0 }
            }
        }
        return ids.compactMap { decoded[$0] ?? nil }
    }
}
