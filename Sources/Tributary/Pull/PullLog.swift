import Foundation
public import Git

/// The pull history, kept in a git ref (`refs/tributary/log`): one commit per pull, whose
/// message is a summary line and the entry as JSON, so it travels with push and fetch like the
/// resolutions do.
public struct PullLog {
    public static let reference = "refs/tributary/log"

    /// One pull.
    public struct Entry: Sendable, Codable, Hashable {
        public struct Tree: Sendable, Codable, Hashable {
            public var name: String
            public var tip: ObjectID
            public var outcome: Puller.Outcome
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

    /// The commit that logs `entry`: its summary line and its JSON (keys sorted).
    public static func append(of entry: Entry) throws -> LogAppend {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(entry), as: UTF8.self)
        let merged = entry.trees.filter { $0.outcome == .merged }.count
        let summary =
            "trib pull: \(entry.branch) \(entry.previousTip?.abbreviated() ?? "(new)")..\(entry.newTip.abbreviated()), merged \(merged) trees"
        return LogAppend(reference: reference, message: summary + "\n\n" + json + "\n", when: entry.when)
    }

    /// Appends `entry` (a commit on the log ref, moved by compare-and-swap).
    public func append(_ entry: Entry) throws {
        try Self.append(of: entry).append(in: repository)
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
