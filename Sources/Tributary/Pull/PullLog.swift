import Foundation
public import Git

/// The pull history, kept in a git ref (`refs/tributary/log`): one commit per pull, whose
/// message is a summary line and the entry as JSON, so it travels with push and fetch like the
/// resolutions do.
public struct PullLog {
    public static let reference = "refs/tributary/log"

    /// One pull.
    public struct Entry: Sendable, Codable {
        public struct Tree: Sendable, Codable {
            public var name: String
            public var tip: ObjectID
            /// "merged", "up-to-date", "skipped" (conflict, with `skip`), "not-fetched".
            public var outcome: String
            public var resolutions: [String]
            public var fixups: [String]
            public var staleFixups: [String]
        }

        public var branch: String
        public var previousTip: ObjectID?
        public var newTip: ObjectID
        public var rebuild: Bool
        public var backup: String?
        public var trees: [Tree]
        public var who: String
        public var when: Int64
    }

    public let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// Appends `entry` (a commit on the log ref, moved by compare-and-swap).
    public func append(_ entry: Entry) throws {
        let previous = try repository.referenceTarget(Self.reference)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(entry), as: UTF8.self)
        let merged = entry.trees.filter { $0.outcome == "merged" }.map(\.name)
        let summary =
            "trib pull: \(entry.branch) \(entry.previousTip?.abbreviated() ?? "(new)")..\(entry.newTip.abbreviated()), merged \(merged.count) trees"
        let signature = Signature(name: "trib", email: "trib@localhost", time: entry.when)
        let id = try repository.createCommit(
            tree: try repository.emptyTree(), parents: previous.map { [$0] } ?? [], author: signature,
            committer: signature, message: summary + "\n\n" + json + "\n")
        try repository.updateReference(Self.reference, to: id, expecting: previous, message: summary)
    }

    /// The entries, newest first.
    public func entries(limit: Int = Int.max) throws -> [Entry] {
        guard let tip = try repository.referenceTarget(Self.reference) else { return [] }
        var found: [Entry] = []
        var next: ObjectID? = tip
        while let id = next, found.count < limit {
            let commit = try repository.commit(id)
            if let start = commit.message.firstIndex(of: "{"),
                let entry = try? JSONDecoder().decode(Entry.self, from: Data(commit.message[start...].utf8))
            {
                found.append(entry)
            }
            next = commit.parents.first
        }
        return found
    }
}
