public import Foundation
import GRDB
public import Git

/// The SQLite index under the git directory (`GIT_DIR/tributary/index.sqlite`, through GRDB):
/// what Tributary derived from the repository and may derive again, kept so that repeated work
/// costs nothing — trial-merge results by their inputs, patch-ids by commit, tag findings by
/// commit and policy, the ledger's commit facts, which place holds which commit, and the posted
/// patches with their landings. Everything in it can be rebuilt; a damaged or outdated file is
/// deleted and recreated.
public final class IndexDatabase: Sendable {
    private let queue: DatabaseQueue
    /// The file's path.
    public let path: String

    /// Opens (creating when needed) the index of `repository`.
    public convenience init(repository: Repository) throws {
        try self.init(path: try StateDirectory.ensure(for: repository) + "/index.sqlite")
    }

    /// Opens (creating when needed) the index at `path`.
    public init(path: String) throws {
        self.path = path
        do {
            queue = try Self.open(path)
        } catch {
            // Derived data only: start again rather than fail.
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
            queue = try Self.open(path)
        }
    }

    /// A new, empty index of `repository`: the old file is removed first (a process that still
    /// has it open keeps reading the old one). Faster than deleting every row.
    public static func recreated(repository: Repository) throws -> IndexDatabase {
        let path = try StateDirectory.ensure(for: repository) + "/index.sqlite"
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        return try IndexDatabase(path: path)
    }

    private static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // Write-ahead log, synced at checkpoints only: a transaction costs no fsync (a plan stores a
        // few results per tree; with a rollback journal each took three fsyncs, seconds in all on
        // a slow disk). A crash may lose the last results, never the file's consistency, and
        // everything here can be derived again.
        configuration.prepareDatabase { database in
            try database.execute(sql: "PRAGMA journal_mode = WAL")
            try database.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try migrator.migrate(queue)
        return queue
    }

    /// The tables, version by version.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: createV1)
        migrator.registerMigration("v2", migrate: createV2)
        migrator.registerMigration("v3", migrate: createV3)
        migrator.registerMigration("v4", migrate: createV4)
        migrator.registerMigration("v5", migrate: createV5)
        migrator.registerMigration("v6", migrate: createV6)
        migrator.registerMigration("v7", migrate: forgetFactsReadByOldRules)
        migrator.registerMigration("v8", migrate: createV8)
        return migrator
    }

    private static func createV1(_ database: Database) throws {
        try database.create(table: "merge_result") { table in
            table.primaryKey("key", .text)
            table.column("ours", .text).notNull()
            table.column("theirs", .text).notNull()
            table.column("base", .text)
            table.column("tree", .text)
            table.column("conflicts", .blob)
        }
        try database.create(table: "patch_id") { table in
            table.primaryKey("commit_id", .text)
            table.column("patch_id", .text)
        }
        try database.create(table: "tag_findings") { table in
            table.column("commit_id", .text).notNull()
            table.column("policy", .text).notNull()
            table.column("findings", .blob).notNull()
            table.primaryKey(["commit_id", "policy"])
        }
    }

    private static func createV2(_ database: Database) throws {
        // What the ledger knows of each commit (see LandingMatcher.CommitFacts).
        try database.create(table: "commit_fact") { table in
            table.primaryKey("commit_id", .text)
            table.column("patch_id", .text).indexed()
            table.column("facts", .blob).notNull()
        }
        // The message-ids each commit's Link:/Message-ID: trailers name.
        try database.create(table: "commit_link") { table in
            table.column("message_id", .text).notNull().indexed()
            table.column("commit_id", .text).notNull()
        }
    }

    private static func createV3(_ database: Database) throws {
        // The tip of each place when its commits were last read.
        try database.create(table: "place_tip") { table in
            table.primaryKey("name", .text)
            table.column("tip", .text).notNull()
        }
        // Which place holds which commit (since the base).
        try database.create(table: "commit_place") { table in
            table.column("commit_id", .text).notNull().indexed()
            table.column("place", .text).notNull().indexed()
        }
    }

    private static func createV4(_ database: Database) throws {
        // The ledger as last computed: each posted patch of each series version, and where it
        // landed (one row per patch and place).
        try database.create(table: "series_patch") { table in
            table.column("message_id", .text).notNull()
            table.column("series_id", .text).notNull().indexed()
            table.column("version", .integer).notNull()
            table.column("counter", .integer).notNull()
            table.column("subject", .text).notNull()
            table.column("patch_id", .text)
            table.primaryKey(["series_id", "version", "message_id"])
        }
        try database.create(table: "landing") { table in
            table.column("message_id", .text).notNull().indexed()
            table.column("series_id", .text).notNull()
            table.column("version", .integer).notNull()
            table.column("place", .text).notNull()
            table.column("branch", .text).notNull()
            table.column("commit_id", .text).notNull().indexed()
            table.column("date", .integer).notNull()
            table.column("rule", .text).notNull()
        }
    }

    private static func createV5(_ database: Database) throws {
        // Pairs of trees the conflict matrix found clean file by file (see ConflictMatrix).
        try database.create(table: "clean_pair", options: .withoutRowID) { table in
            table.primaryKey("key", .text)
        }
    }

    private static func createV6(_ database: Database) throws {
        // The merge bases of commit pairs (see MergeBases): space-separated, empty for none.
        try database.create(table: "merge_base", options: .withoutRowID) { table in
            table.primaryKey("key", .text)
            table.column("bases", .text).notNull()
        }
        // Answers derived from commits alone, under a key naming what they were derived from
        // (the plan's already-applied commits of a tree: its tip and the integration tip).
        try database.create(table: "derived_answer", options: .withoutRowID) { table in
            table.primaryKey("key", .text)
            table.column("answer", .blob).notNull()
        }
    }

    private static func forgetFactsReadByOldRules(_ database: Database) throws {
        // Facts read again: a commit's trailers below a `---` line count (git reads commit
        // messages with no divider), and an empty file's section is hashed as git prints it.
        try database.execute(
            sql: """
                DELETE FROM commit_fact; DELETE FROM commit_link; DELETE FROM tag_findings;
                DELETE FROM patch_id; DELETE FROM place_tip; DELETE FROM commit_place; DELETE FROM derived_answer;
                """)
    }

    private static func createV8(_ database: Database) throws {
        // What the landing engine looks commits up by (see LandingEngine): "s SUBJECT" (normalised),
        // "a ADDRESS" (the author's, lower case), "m HEX" (the first seven digits of a commit a
        // backport marker names).
        try database.create(table: "commit_key") { table in
            table.column("key", .text).notNull().indexed()
            table.column("commit_id", .text).notNull()
        }
        // The files each commit changes.
        try database.create(table: "commit_file") { table in
            table.column("file", .text).notNull().indexed()
            table.column("commit_id", .text).notNull()
        }
        // Facts read again: they now hold the author's name, the markers and the changed lines.
        try database.execute(
            sql: """
                DELETE FROM commit_fact; DELETE FROM commit_link; DELETE FROM place_tip; DELETE FROM commit_place;
                DELETE FROM derived_answer;
                """)
    }

    // MARK: Merge bases

    /// The stored merge bases of commits `one` and `two`, in the order they were stored; nil
    /// when not stored.
    public func mergeBases(of one: ObjectID, _ two: ObjectID) throws -> [ObjectID]? {
        try queue.read { database in
            try String.fetchOne(
                database, sql: "SELECT bases FROM merge_base WHERE key = ?", arguments: [one.hex + " " + two.hex]
            ).map { $0.split(separator: " ").compactMap { ObjectID(hex: String($0)) } }
        }
    }

    /// Stores the merge bases of commits `one` and `two`.
    public func storeMergeBases(_ bases: [ObjectID], of one: ObjectID, _ two: ObjectID) throws {
        try queue.write { database in
            try database.execute(
                sql: "INSERT OR REPLACE INTO merge_base (key, bases) VALUES (?, ?)",
                arguments: [one.hex + " " + two.hex, bases.map(\.hex).joined(separator: " ")])
        }
    }

    // MARK: Derived answers

    /// The answer stored under `key`; nil when there is none.
    public func derivedAnswer(forKey key: String) throws -> Data? {
        try queue.read { database in
            try Data.fetchOne(database, sql: "SELECT answer FROM derived_answer WHERE key = ?", arguments: [key])
        }
    }

    /// Stores `answer` under `key`.
    public func storeDerivedAnswer(_ answer: Data, forKey key: String) throws {
        try queue.write { database in
            try database.execute(
                sql: "INSERT OR REPLACE INTO derived_answer (key, answer) VALUES (?, ?)", arguments: [key, answer])
        }
    }

    // MARK: Trial merges

    /// A merge's result as stored: the merged tree, or the conflicts.
    public struct StoredMerge: Sendable {
        public var ours: ObjectID
        public var theirs: ObjectID
        /// The merge base used (the first, when there were several).
        public var base: ObjectID?
        public var tree: ObjectID?
        /// The conflicts, as their owner encoded them (nil for a clean merge).
        public var conflicts: Data?

        public init(ours: ObjectID, theirs: ObjectID, base: ObjectID?, tree: ObjectID?, conflicts: Data?) {
            self.ours = ours
            self.theirs = theirs
            self.base = base
            self.tree = tree
            self.conflicts = conflicts
        }
    }

    /// The stored result for the merge inputs `key` (see `TrialMerge.cacheKey`).
    public func merge(forKey key: String) throws -> StoredMerge? {
        try queue.read { database in
            guard
                let row = try Row.fetchOne(database, sql: "SELECT * FROM merge_result WHERE key = ?", arguments: [key])
            else { return nil }
            let ours: String = row["ours"]
            let theirs: String = row["theirs"]
            let tree: String? = row["tree"]
            let base: String? = row["base"]
            let conflictData: Data? = row["conflicts"]
            guard let ourID = ObjectID(hex: ours), let theirID = ObjectID(hex: theirs) else { return nil }
            return StoredMerge(
                ours: ourID, theirs: theirID, base: base.flatMap { ObjectID(hex: $0) },
                tree: tree.flatMap { ObjectID(hex: $0) }, conflicts: conflictData)
        }
    }

    /// Stores the result of the merge `key`.
    public func storeMerge(_ merge: StoredMerge, forKey key: String) throws {
        let conflicts = merge.tree == nil ? merge.conflicts : nil
        try queue.write { database in
            try database.execute(
                sql:
                    "INSERT OR REPLACE INTO merge_result (key, ours, theirs, base, tree, conflicts) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [key, merge.ours.hex, merge.theirs.hex, merge.base?.hex, merge.tree?.hex, conflicts])
        }
    }

    /// Which of `keys` name pairs found clean before (`ConflictMatrix`'s file-by-file check).
    public func cleanPairs(among keys: [String]) throws -> Set<String> {
        var found = Set<String>()
        try queue.read { database in
            for chunk in stride(from: 0, to: keys.count, by: 500) {
                let slice = keys[chunk..<min(chunk + 500, keys.count)]
                let placeholders = Array(repeating: "?", count: slice.count).joined(separator: ",")
                found.formUnion(
                    try String.fetchAll(
                        database, sql: "SELECT key FROM clean_pair WHERE key IN (\(placeholders))",
                        arguments: StatementArguments(Array(slice))))
            }
        }
        return found
    }

    /// Records pairs found clean, in one transaction.
    public func storeCleanPairs(_ keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try queue.write { database in
            let statement = try database.makeStatement(sql: "INSERT OR IGNORE INTO clean_pair (key) VALUES (?)")
            for key in keys { try statement.execute(arguments: [key]) }
        }
    }

    // MARK: Patch-ids

    /// The stored patch-ids of `commits` (a nil value: the commit has no patch-id, such as an
    /// empty change); commits not stored yet are missing from the answer.
    public func patchIDs(of commits: [ObjectID]) throws -> [ObjectID: ObjectID?] {
        var found: [ObjectID: ObjectID?] = [:]
        try rows(for: commits, select: "commit_id, patch_id FROM patch_id") { id, row in
            let patch: String? = row["patch_id"]
            found[id] = .some(patch.flatMap { ObjectID(hex: $0) })
        }
        return found
    }

    /// Stores patch-ids, in one transaction.
    public func storePatchIDs(_ ids: [ObjectID: ObjectID?]) throws {
        guard !ids.isEmpty else { return }
        try queue.write { database in
            let statement = try database.makeStatement(
                sql: "INSERT OR REPLACE INTO patch_id (commit_id, patch_id) VALUES (?, ?)")
            for (commit, patch) in ids { try statement.execute(arguments: [commit.hex, patch?.hex]) }
        }
    }

    // MARK: Tag findings

    /// Stored tag findings (encoded by the caller) of `commits` under the policy fingerprint
    /// `policy`.
    public func tagFindings(of commits: [ObjectID], policy: String) throws -> [ObjectID: Data] {
        var found: [ObjectID: Data] = [:]
        try rows(for: commits, select: "commit_id, findings FROM tag_findings", where: "policy = ?", [policy]) {
            id, row in
            found[id] = row["findings"]
        }
        return found
    }

    /// Stores tag findings, in one transaction.
    public func storeTagFindings(_ findings: [ObjectID: Data], policy: String) throws {
        guard !findings.isEmpty else { return }
        try queue.write { database in
            let statement = try database.makeStatement(
                sql: "INSERT OR REPLACE INTO tag_findings (commit_id, policy, findings) VALUES (?, ?, ?)")
            for (commit, data) in findings { try statement.execute(arguments: [commit.hex, policy, data]) }
        }
    }

    // MARK: Commit facts

    /// The stored facts (encoded by the caller) of `commits`.
    public func commitFacts(of commits: [ObjectID]) throws -> [ObjectID: Data] {
        var found: [ObjectID: Data] = [:]
        try rows(for: commits, select: "commit_id, facts FROM commit_fact") { id, row in found[id] = row["facts"] }
        return found
    }

    /// A write transaction in progress (see `update(_:)`).
    public final class Update {
        fileprivate let database: Database

        fileprivate init(database: Database) { self.database = database }

        /// One commit's facts as stored: the encoded facts, and what they are looked up by.
        public struct StoredFacts {
            public var commit: ObjectID
            public var patchID: ObjectID?
            public var messageIDs: [String]
            /// The lookup keys (`commit_key`).
            public var keys: [String]
            public var files: [String]
            public var data: Data

            public init(
                commit: ObjectID, patchID: ObjectID?, messageIDs: [String], keys: [String], files: [String],
                data: Data
            ) {
                self.commit = commit
                self.patchID = patchID
                self.messageIDs = messageIDs
                self.keys = keys
                self.files = files
                self.data = data
            }
        }

        /// Stores commit facts with their patch-ids, linked message-ids, lookup keys and files.
        public func storeCommitFacts(_ facts: [StoredFacts]) throws {
            // A commit's facts are the same whoever reads them: stored once, with their rows.
            let statement = try database.cachedStatement(
                sql: "INSERT OR IGNORE INTO commit_fact (commit_id, patch_id, facts) VALUES (?, ?, ?)")
            let link = try database.cachedStatement(
                sql: "INSERT INTO commit_link (message_id, commit_id) VALUES (?, ?)")
            let key = try database.cachedStatement(sql: "INSERT INTO commit_key (key, commit_id) VALUES (?, ?)")
            let file = try database.cachedStatement(sql: "INSERT INTO commit_file (file, commit_id) VALUES (?, ?)")
            for fact in facts {
                let id = fact.commit.hex
                try statement.execute(arguments: [id, fact.patchID?.hex, fact.data])
                guard database.changesCount == 1 else { continue }
                for messageID in fact.messageIDs { try link.execute(arguments: [messageID, id]) }
                for value in fact.keys { try key.execute(arguments: [value, id]) }
                for path in fact.files { try file.execute(arguments: [path, id]) }
            }
        }

        /// Records a place's tip and the commits it holds, replacing what was known of it.
        public func storePlace(_ name: String, tip: ObjectID, commits: [ObjectID]) throws {
            try database.execute(sql: "DELETE FROM commit_place WHERE place = ?", arguments: [name])
            let statement = try database.cachedStatement(
                sql: "INSERT INTO commit_place (commit_id, place) VALUES (?, ?)")
            for commit in commits { try statement.execute(arguments: [commit.hex, name]) }
            try database.execute(
                sql: "INSERT OR REPLACE INTO place_tip (name, tip) VALUES (?, ?)", arguments: [name, tip.hex])
        }
    }

    /// Runs `body` in one write transaction: what it stores is all there afterwards, or —
    /// when it throws, or the process dies — none of it.
    public func update<T>(_ body: (Update) throws -> T) throws -> T {
        try queue.write { database in try body(Update(database: database)) }
    }

    /// The tips the places had when their commits were last read.
    public func placeTips() throws -> [String: ObjectID] {
        try queue.read { database in
            var tips: [String: ObjectID] = [:]
            for row in try Row.fetchAll(database, sql: "SELECT name, tip FROM place_tip") {
                let name: String = row["name"]
                let tip: String = row["tip"]
                tips[name] = ObjectID(hex: tip)
            }
            return tips
        }
    }

    /// Which of `commits` have stored facts (without reading them).
    public func knownCommits(_ commits: [ObjectID]) throws -> Set<ObjectID> {
        var known = Set<ObjectID>()
        try rows(for: commits, select: "commit_id FROM commit_fact") { id, _ in known.insert(id) }
        return known
    }

    /// Runs `SELECT <select> WHERE [<where> AND] commit_id IN (…)` over `commits` in chunks (SQLite
    /// limits the number of parameters), calling `body` with each row's commit.
    private func rows(
        for commits: [ObjectID], select: String, where condition: String? = nil, _ arguments: [String] = [],
        _ body: (ObjectID, Row) -> Void
    ) throws {
        try queue.read { database in
            for chunk in stride(from: 0, to: commits.count, by: 500) {
                let slice = commits[chunk..<min(chunk + 500, commits.count)]
                let placeholders = Array(repeating: "?", count: slice.count).joined(separator: ",")
                let filter = condition.map { "\($0) AND " } ?? ""
                let rows = try Row.fetchAll(
                    database, sql: "SELECT \(select) WHERE \(filter)commit_id IN (\(placeholders))",
                    arguments: StatementArguments(arguments + slice.map(\.hex)))
                for row in rows {
                    let commit: String = row["commit_id"]
                    if let id = ObjectID(hex: commit) { body(id, row) }
                }
            }
        }
    }

    // MARK: Looking commits up in the places

    // Each lookup gives the commits with the places holding them, in the order the places' walks
    // stored them (newest first). CROSS JOIN keeps SQLite's loop order: the few rows of the key
    // first, then each one's places by commit (a place holds up to the whole mainline's commits).

    /// A commit and a place that holds it.
    public typealias PlacedCommit = (commit: ObjectID, place: String)

    /// The commits with this patch-id.
    public func placedCommits(withPatchID patchID: ObjectID) throws -> [PlacedCommit] {
        try placed(
            """
            SELECT f.commit_id, p.place FROM commit_fact f CROSS JOIN commit_place p ON p.commit_id = f.commit_id
            WHERE f.patch_id = ? ORDER BY p.rowid
            """, [patchID.hex])
    }

    /// The commits whose Link:/Message-ID: trailers name `messageID`.
    public func placedCommits(linking messageID: String) throws -> [PlacedCommit] {
        try placed(
            """
            SELECT l.commit_id, p.place FROM commit_link l CROSS JOIN commit_place p ON p.commit_id = l.commit_id
            WHERE l.message_id = ? ORDER BY p.rowid
            """, [messageID])
    }

    /// The commits stored under any of `keys` (see `Update.StoredFacts.keys`).
    public func placedCommits(withKeys keys: [String]) throws -> [PlacedCommit] {
        guard !keys.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
        return try placed(
            """
            SELECT DISTINCT k.commit_id, p.place FROM commit_key k CROSS JOIN commit_place p
            ON p.commit_id = k.commit_id WHERE k.key IN (\(placeholders)) ORDER BY p.rowid
            """, keys)
    }

    /// The commits whose id starts with `prefix` (hexadecimal, lower case).
    public func placedCommits(withPrefix prefix: String) throws -> [PlacedCommit] {
        try placed(
            "SELECT commit_id, place FROM commit_place WHERE commit_id >= ? AND commit_id < ? ORDER BY rowid",
            [prefix, prefix + "g"])
    }

    /// The commits that change at least `minimum` of `files`, with how many they change; with
    /// `keys`, only those stored under one of them.
    public func placedCommits(changing files: [String], atLeast minimum: Int, withKeys keys: [String]? = nil)
        throws -> [(commit: ObjectID, place: String, shared: Int)]
    {
        guard !files.isEmpty, keys?.isEmpty != true else { return [] }
        let placeholders = Array(repeating: "?", count: files.count).joined(separator: ",")
        let keyed = keys.map { keys in
            "AND f.commit_id IN (SELECT commit_id FROM commit_key WHERE key IN ("
                + Array(repeating: "?", count: keys.count).joined(separator: ",") + "))"
        }
        return try queue.read { database in
            let rows = try Row.fetchAll(
                database,
                sql: """
                    SELECT f.commit_id, p.place, COUNT(*) AS shared FROM commit_file f
                    CROSS JOIN commit_place p ON p.commit_id = f.commit_id
                    WHERE f.file IN (\(placeholders)) \(keyed ?? "")
                    GROUP BY f.commit_id, p.place HAVING COUNT(*) >= ? ORDER BY MIN(p.rowid)
                    """, arguments: StatementArguments(files + (keys ?? [])) + [minimum])
            return rows.compactMap { row in
                let id: String = row["commit_id"]
                return ObjectID(hex: id).map { ($0, row["place"], row["shared"]) }
            }
        }
    }

    private func placed(_ sql: String, _ arguments: [String]) throws -> [PlacedCommit] {
        try queue.read { database in
            try Row.fetchAll(database, sql: sql, arguments: StatementArguments(arguments)).compactMap { row in
                let id: String = row["commit_id"]
                return ObjectID(hex: id).map { ($0, row["place"]) }
            }
        }
    }

    /// How many commits have stored facts.
    public func commitFactCount() throws -> Int {
        try queue.read { database in try Int.fetchOne(database, sql: "SELECT COUNT(*) FROM commit_fact") ?? 0 }
    }

    // MARK: The ledger

    /// A posted patch of a series version, as the ledger last saw it.
    public struct StoredPatch: Sendable, Hashable {
        public var messageID: String
        public var seriesID: String
        public var version: Int
        public var counter: Int
        public var subject: String
        public var patchID: ObjectID?

        public init(
            messageID: String, seriesID: String, version: Int, counter: Int, subject: String, patchID: ObjectID?
        ) {
            self.messageID = messageID
            self.seriesID = seriesID
            self.version = version
            self.counter = counter
            self.subject = subject
            self.patchID = patchID
        }
    }

    /// A stored landing: a posted patch (by series, version and message-id) found in a place.
    public struct StoredLanding: Sendable, Hashable {
        public var messageID: String
        public var seriesID: String
        public var version: Int
        public var place: String
        public var branch: String
        public var commit: ObjectID
        /// The commit's committer time, in seconds since 1970.
        public var date: Int64
        public var rule: String

        public init(
            messageID: String, seriesID: String, version: Int, place: String, branch: String, commit: ObjectID,
            date: Int64, rule: String
        ) {
            self.messageID = messageID
            self.seriesID = seriesID
            self.version = version
            self.place = place
            self.branch = branch
            self.commit = commit
            self.date = date
            self.rule = rule
        }
    }

    /// Replaces the stored ledger with these patches and landings (one transaction).
    public func storeLedger(patches: [StoredPatch], landings: [StoredLanding]) throws {
        try queue.write { database in
            try database.execute(sql: "DELETE FROM series_patch; DELETE FROM landing;")
            let patch = try database.makeStatement(
                sql:
                    "INSERT OR REPLACE INTO series_patch (message_id, series_id, version, counter, subject, patch_id) VALUES (?, ?, ?, ?, ?, ?)"
            )
            let landing = try database.makeStatement(
                sql:
                    "INSERT INTO landing (message_id, series_id, version, place, branch, commit_id, date, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            )
            for posted in patches {
                try patch.execute(arguments: [
                    posted.messageID, posted.seriesID, posted.version, posted.counter, posted.subject,
                    posted.patchID?.hex,
                ])
            }
            for found in landings {
                try landing.execute(arguments: [
                    found.messageID, found.seriesID, found.version, found.place, found.branch, found.commit.hex,
                    found.date, found.rule,
                ])
            }
        }
    }

    /// The stored landings, by series, version, message-id and place.
    public func landings() throws -> [StoredLanding] {
        try queue.read { database in
            try Row.fetchAll(
                database,
                sql:
                    "SELECT message_id, series_id, version, place, branch, commit_id, date, rule FROM landing ORDER BY series_id, version, message_id, place"
            ).compactMap { row in
                guard let commit = ObjectID(hex: row["commit_id"] as String) else { return nil }
                return StoredLanding(
                    messageID: row["message_id"], seriesID: row["series_id"], version: row["version"],
                    place: row["place"], branch: row["branch"], commit: commit, date: row["date"], rule: row["rule"])
            }
        }
    }
}
