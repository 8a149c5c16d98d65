public import Foundation
public import Git

/// The commits of a range (a tree since its fork point, the integration branch since the base),
/// with what is known of each, held in memory and looked up by what identifies a copy — the
/// `LandingCandidates` the landing engine asks when the question is about a whole range (the
/// ledger's series, a sync's upstream, the plan's already-applied commits).
public struct LandingMatcher: LandingCandidates {
    /// How a patch was matched to a commit.
    public enum Rule: String, Sendable, Codable {
        /// The same stable patch-id: the change applied as it was.
        case patchID = "patch-id"
        /// A Link: or Message-ID: trailer names the posting.
        case messageID = "message-id"
        /// A backport marker (`(cherry picked from commit X)`, `commit X upstream.`) names the
        /// commit asked about, or the change's own marker names the copy.
        case backportMarker = "backport-marker"
        /// The changed lines, subject and author score at or above the threshold (`ContentScore`).
        case content
    }

    /// What is known of one commit.
    public struct CommitFacts: Sendable, Codable {
        public var id: ObjectID
        public var patchID: ObjectID?
        public var messageIDs: [String]
        public var authorEmail: String
        /// The subject as the landing engine compares it (`ChangeContent.normalized`); for a
        /// placeholder (a merge, an unreadable commit), a name starting with U+0000.
        public var subject: String
        /// The subject as written.
        public var summary: String
        public var trailers: [Trailer]
        public var date: Int64
        /// The files it changes.
        public var files: [String]
        public var authorName: String
        /// The commits its backport markers name (abbreviated ids, lower case).
        public var markers: [String]
        /// By file: the hashes of its changed lines (`ChangedLineHasher`), as 32-bit little-endian
        /// numbers; nil when there were more than `lineLimit` (then read again when needed).
        public var changedLines: [String: Data]?

        /// At most this many changed lines are kept with a commit's facts.
        public static let lineLimit = 20_000

        public init(
            id: ObjectID, patchID: ObjectID?, messageIDs: [String], authorName: String, authorEmail: String,
            summary: String, trailers: [Trailer], date: Int64, files: [String], markers: [String],
            changedLines: [String: [UInt32]]?
        ) {
            self.id = id
            self.patchID = patchID
            self.messageIDs = messageIDs
            self.authorName = authorName
            self.authorEmail = authorEmail.lowercased()
            self.subject = ChangeContent.normalized(summary)
            self.summary = summary
            self.trailers = trailers
            self.date = date
            self.files = files
            self.markers = markers
            let kept = changedLines.flatMap { lines in
                lines.values.reduce(0) { $0 + $1.count } <= Self.lineLimit ? lines : nil
            }
            self.changedLines = kept?.mapValues { hashes in
                var data = Data(capacity: hashes.count * 4)
                for hash in hashes { withUnsafeBytes(of: hash.littleEndian) { data.append(contentsOf: $0) } }
                return data
            }
        }

        /// Its content, for the landing engine; nil when its changed lines were not kept.
        public var content: ChangeContent? {
            guard let changedLines else { return nil }
            let lines = changedLines.mapValues { data in
                var hashes = Set<UInt32>()
                hashes.reserveCapacity(data.count / 4)
                data.withUnsafeBytes { raw in
                    for offset in stride(from: 0, to: raw.count - 3, by: 4) {
                        hashes.insert(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    }
                }
                return hashes
            }
            return ChangeContent(
                subject: summary, author: Identity(name: authorName, email: authorEmail), files: Set(files),
                lines: lines)
        }

        /// The keys the index looks it up by (see `IndexDatabase.Update.StoredFacts`).
        var lookupKeys: [String] {
            var keys = ["s " + subject, "a " + authorEmail]
            for marker in markers { keys.append("m " + marker.prefix(7)) }
            return keys
        }
    }

    /// Facts already read, shared by the matchers built one after another over overlapping
    /// ranges (the plan's integration branch since each tree's fork point): each commit's facts
    /// are decoded once.
    public final class FactsCache {
        var facts: [ObjectID: CommitFacts] = [:]
        public init() {}
    }

    public let commits: [CommitFacts]
    private let repository: Repository
    /// Whose names and addresses are the same person (the repository's .mailmap).
    public let identities: IdentityMatcher
    private let byFile: [String: [Int]]
    private let byPatchID: [ObjectID: [Int]]
    private let byMessageID: [String: [Int]]
    private let bySubject: [String: [Int]]
    private let byAuthor: [String: [Int]]
    /// By the first seven digits: the commits whose markers name such an id, and the commits
    /// whose own id starts so.
    private let byMarker: [Substring: [Int]]
    private let byIDPrefix: [Substring: [Int]]
    private let byID: [ObjectID: Int]
    /// Each commit's content once decoded (a matcher answers many questions).
    private let contents = ContentCache()

    private final class ContentCache: @unchecked Sendable {
        private let lock = NSLock()
        private var contents: [ObjectID: ChangeContent] = [:]

        func content(of id: ObjectID, making make: () throws -> ChangeContent) rethrows -> ChangeContent {
            if let known = lock.withLock({ contents[id] }) { return known }
            let made = try make()
            lock.withLock { contents[id] = made }
            return made
        }
    }

    /// The facts of every non-merge commit of `range`: read from `index` when it has them, else
    /// computed (on one thread per core, each with its own repository handle) and stored there,
    /// so that only commits not seen before cost anything.
    /// `limit`: at most this many commits of the range, the first the walk gives (the newest).
    /// `cache`: facts read by earlier matchers, and where this one leaves what it reads.
    /// `identities`: whose names and addresses are one person (default: the repository's .mailmap).
    public init(
        repository: Repository, range: RevisionRange, index: IndexDatabase?, jobs: Int? = nil,
        git: GitProgram = GitProgram(), limit: Int? = nil, cache: FactsCache? = nil,
        identities: IdentityMatcher? = nil
    ) throws {
        try self.init(
            repository: repository,
            commits: try limit.map { Array(try repository.walk(range).prefix($0)) } ?? repository.commits(in: range),
            index: index, jobs: jobs, git: git, cache: cache, identities: identities)
    }

    /// The facts of every non-merge commit of `ids` (in that order), read as the range
    /// initialiser reads them.
    public init(
        repository: Repository, commits ids: [ObjectID], index: IndexDatabase?, jobs: Int? = nil,
        git: GitProgram = GitProgram(), cache: FactsCache? = nil, identities: IdentityMatcher? = nil
    ) throws {
        var known: [ObjectID: CommitFacts] = [:]
        var unread = ids
        if let cache {
            unread = []
            for id in ids {
                if let facts = cache.facts[id] { known[id] = facts } else { unread.append(id) }
            }
        }
        let stored = try index?.commitFacts(of: unread) ?? [:]
        let decoder = JSONDecoder()
        for (id, data) in stored {
            if let facts = try? decoder.decode(CommitFacts.self, from: data) { known[id] = facts }
        }
        let missing = unread.filter { known[$0] == nil }
        let computed: [(ObjectID, CommitFacts?)]
        if let index {
            // A transaction per batch, not one around the reading: the facts are kept by commit id,
            // so each batch stands alone, and the index stays free between batches for whoever
            // else uses it meanwhile (the plan's trial merges look up and store their results
            // while its side work reads facts; one transaction held them up for seconds).
            computed = try Self.computeFacts(
                missing, gitDirectory: repository.gitDirectory, git: git,
                jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount
            ) { batch in try index.update { try Self.store(batch, in: $0) } }
        } else {
            computed = try Self.computeFacts(
                missing, gitDirectory: repository.gitDirectory, git: git,
                jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        }
        for (id, facts) in computed { if let facts { known[id] = facts } }
        if let cache { for id in unread { cache.facts[id] = known[id] ?? Self.mergeMarker(id) } }
        // Merges are stored with an empty marker (so they are not read again) and left out.
        let facts = ids.compactMap { id in known[id].flatMap { Self.isPlaceholder($0) ? nil : $0 } }
        commits = facts
        self.repository = repository
        self.identities = try identities ?? IdentityMatcher(mailmap: repository.mailmap())
        func group<Key: Hashable>(_ keys: (CommitFacts) -> [Key]) -> [Key: [Int]] {
            var groups: [Key: [Int]] = [:]
            for (position, fact) in facts.enumerated() {
                for key in keys(fact) { groups[key, default: []].append(position) }
            }
            return groups
        }
        byFile = group(\.files)
        byPatchID = group { $0.patchID.map { [$0] } ?? [] }
        byMessageID = group(\.messageIDs)
        bySubject = group { [$0.subject] }
        byAuthor = group { [$0.authorEmail] }
        byMarker = group { $0.markers.map { $0.prefix(7) } }
        byIDPrefix = group { [$0.id.hex.prefix(7)] }
        byID = Dictionary(facts.enumerated().map { ($0.element.id, $0.offset) }) { first, _ in first }
    }

    /// What is known of `id`, when it is one of the commits (not a merge).
    public func facts(of id: ObjectID) -> CommitFacts? { byID[id].map { commits[$0] } }

    /// The commit `patch` landed as, and the rule that found it (the landing engine's best
    /// answer).
    public func match(_ patch: PatchSeries.Patch) -> (commit: CommitFacts, rule: Rule)? {
        let author =
            patch.message.from.map { Identity(name: $0.name, email: $0.address) } ?? Identity(name: "", email: "")
        let query = LandingEngine.Query(
            patchIDs: patch.patchID.map { [$0] } ?? [], messageIDs: [patch.messageID],
            content: ChangeContent(subject: Self.commitSubject(of: patch), author: author, diff: patch.message.body))
        return best(query)
    }

    /// The commit of the range that carries the change of another branch's commit (known by its
    /// `facts`), and the rule that found it (the landing engine's best answer).
    public func match(_ facts: CommitFacts) -> (commit: CommitFacts, rule: Rule)? {
        best(LandingEngine.Query(facts))
    }

    private func best(_ query: LandingEngine.Query) -> (commit: CommitFacts, rule: Rule)? {
        let landings =
            (try? LandingEngine.landings(
                of: query, in: self, mainline: false, identities: identities, repository: repository)) ?? []
        return landings.first.map { ($0.commit, $0.rule) }
    }

    // MARK: Candidates

    public func commits(withPatchID patchID: ObjectID) -> [CommitFacts] {
        (byPatchID[patchID] ?? []).map { commits[$0] }
    }

    public func commits(linking messageID: String) -> [CommitFacts] {
        (byMessageID[messageID] ?? []).map { commits[$0] }
    }

    public func commits(marking commit: ObjectID) -> [CommitFacts] {
        let hex = commit.hex
        return (byMarker[hex.prefix(7)] ?? []).map { commits[$0] }.filter { facts in
            facts.markers.contains { hex.hasPrefix($0) }
        }
    }

    public func commits(withPrefix prefix: String) -> [CommitFacts] {
        guard prefix.count >= 7 else { return [] }
        return (byIDPrefix[prefix.prefix(7)] ?? []).map { commits[$0] }.filter { $0.id.hex.hasPrefix(prefix) }
    }

    public func content(of facts: CommitFacts, in repository: Repository) throws -> ChangeContent {
        try contents.content(of: facts.id) { try LandingEngine.content(of: facts, in: repository) }
    }

    /// The commits of the matcher that one place holds, as a place of their own: the matcher of
    /// several places' commits asked about one of them, with the engine's rules per place.
    public struct Portion: LandingCandidates {
        public let matcher: LandingMatcher
        public let members: Set<ObjectID>

        public init(of matcher: LandingMatcher, members: Set<ObjectID>) {
            self.matcher = matcher
            self.members = members
        }

        private func kept(_ found: [CommitFacts]) -> [CommitFacts] { found.filter { members.contains($0.id) } }

        public func commits(withPatchID patchID: ObjectID) -> [CommitFacts] {
            kept(matcher.commits(withPatchID: patchID))
        }

        public func commits(linking messageID: String) -> [CommitFacts] { kept(matcher.commits(linking: messageID)) }

        public func commits(marking commit: ObjectID) -> [CommitFacts] { kept(matcher.commits(marking: commit)) }

        public func commits(withPrefix prefix: String) -> [CommitFacts] { kept(matcher.commits(withPrefix: prefix)) }

        public func commits(near content: ChangeContent, byFiles: Bool) -> [(CommitFacts, Int)] {
            matcher.commits(near: content, byFiles: byFiles).filter { members.contains($0.0.id) }
        }

        public func content(of facts: CommitFacts, in repository: Repository) throws -> ChangeContent {
            try matcher.content(of: facts, in: repository)
        }
    }

    public func commits(near content: ChangeContent, byFiles: Bool) -> [(CommitFacts, Int)] {
        var shared: [Int: Int] = [:]
        for file in content.files { for position in byFile[file] ?? [] { shared[position, default: 0] += 1 } }
        let named = Set((bySubject[content.subject] ?? []) + (byAuthor[content.author.email.lowercased()] ?? []))
        return shared.filter { position, count in
            named.contains(position) || (byFiles && count * 2 >= content.files.count)
        }.map { (commits[$0.key], $0.value) }
    }

    static let mergeSubject = "\u{0}merge"
    /// The subject of the facts kept for a commit whose objects cannot be read (a mirror that
    /// lacks a blob): left out, like a merge, and not read again.
    static let unreadableSubject = "\u{0}unreadable"

    /// Whether `facts` stand for a merge or an unreadable commit, not a change.
    static func isPlaceholder(_ facts: CommitFacts) -> Bool { facts.subject.hasPrefix("\u{0}") }

    /// Stores computed facts (a merge as a marker, so that it is not read again).
    static func store(_ computed: [(ObjectID, CommitFacts?)], in update: IndexDatabase.Update) throws {
        let encoder = JSONEncoder()
        try update.storeCommitFacts(
            try computed.map { id, facts in
                let stored = facts ?? mergeMarker(id)
                let placeholder = isPlaceholder(stored)
                return IndexDatabase.Update.StoredFacts(
                    commit: id, patchID: stored.patchID, messageIDs: stored.messageIDs,
                    keys: placeholder ? [] : stored.lookupKeys, files: placeholder ? [] : stored.files,
                    data: try encoder.encode(stored))
            })
    }

    static func mergeMarker(_ id: ObjectID, subject: String = mergeSubject) -> CommitFacts {
        var facts = CommitFacts(
            id: id, patchID: nil, messageIDs: [], authorName: "", authorEmail: "", summary: "", trailers: [],
            date: 0, files: [], markers: [], changedLines: [:])
        facts.subject = subject
        return facts
    }

    /// The facts of `ids` (nil for merges), read in batches by up to `jobs` `git log` runs at
    /// once (`GitProgram.commitLog(of:in:)`: the same patch-ids and paths as
    /// `Repository.patchID(of:)` and `changedPaths`, about twice as fast in bulk). Each batch is
    /// handed to `consume` on the calling thread as soon as it is read, while the next ones are
    /// read (so that it can be stored in a transaction the caller holds). Fewer than 200 commits,
    /// or no `git` program: everything is computed in process. A batch `git log` cannot read (an
    /// object missing) is read again in halves, down to single commits in process; a commit that
    /// cannot be read gets placeholder facts (`unreadableSubject`).
    static func computeFacts(
        _ ids: [ObjectID], gitDirectory: String, git: GitProgram = GitProgram(), jobs: Int,
        consume: (([(ObjectID, CommitFacts?)]) throws -> Void)? = nil
    ) throws -> [(ObjectID, CommitFacts?)] {
        guard !ids.isEmpty else { return [] }
        // A few commits are read faster in process than by starting git.
        if ids.count < 200 {
            let facts = try inProcess(ids, gitDirectory: gitDirectory)
            try consume?(facts)
            return facts
        }
        let batchSize = max(100, min(2_500, ids.count / max(1, jobs)))
        let batches = stride(from: 0, to: ids.count, by: batchSize).map {
            Array(ids[$0..<min($0 + batchSize, ids.count)])
        }
        let facts = try Parallel.map(batches, width: jobs) { batch in
            try read(batch, gitDirectory: gitDirectory, git: git)
        } received: { _, batch in
            try consume?(batch)
        }
        return facts.flatMap { $0 }
    }

    private static func read(_ batch: [ObjectID], gitDirectory: String, git: GitProgram) throws
        -> [(ObjectID, CommitFacts?)]
    {
        do {
            return try git.commitLog(of: batch, in: gitDirectory).map { entry in
                (entry.id, entry.isMerge ? nil : Self.facts(of: entry))
            }
        } catch is Subprocess.LaunchError {
            return try inProcess(batch, gitDirectory: gitDirectory)
        } catch is GitProgram.CommitLogFailure where batch.count > 16 {
            let half = batch.count / 2
            return try read(Array(batch[..<half]), gitDirectory: gitDirectory, git: git)
                + read(Array(batch[half...]), gitDirectory: gitDirectory, git: git)
        } catch is GitProgram.CommitLogFailure {
            return try inProcess(batch, gitDirectory: gitDirectory)
        }
    }

    private static func inProcess(_ ids: [ObjectID], gitDirectory: String) throws -> [(ObjectID, CommitFacts?)] {
        let repository = try Repository(at: gitDirectory)
        return ids.map { id in
            do {
                return (id, try Self.facts(of: id, in: repository))
            } catch {
                return (id, mergeMarker(id, subject: unreadableSubject))
            }
        }
    }

    /// The facts `git log` gave of a non-merge commit.
    static func facts(of entry: GitProgram.CommitLogEntry) -> CommitFacts {
        let trailers = TrailerParser.trailers(in: entry.message, from: .commit)
        return CommitFacts(
            id: entry.id, patchID: entry.patchID, messageIDs: MessageID.linked(in: trailers),
            authorName: entry.authorName, authorEmail: entry.authorEmail, summary: Commit.summary(of: entry.message),
            trailers: trailers, date: entry.committerTime, files: entry.files,
            markers: BackportMarker.commits(in: entry.message), changedLines: entry.changedLines)
    }

    /// One commit's facts, read in process; nil for a merge.
    public static func facts(of id: ObjectID, in repository: Repository) throws -> CommitFacts? {
        let commit = try repository.commit(id)
        if commit.isMerge { return nil }
        let trailers = TrailerParser.trailers(in: commit.message, from: .commit)
        let parentTree = try commit.parents.first.map { try repository.treeOfCommit($0) }
        let files = try repository.changedPaths(from: parentTree, to: commit.tree)
        var options = DiffOptions()
        options.paths = files
        let patchID = try repository.diff(from: parentTree, to: commit.tree, options: options).patchID()
        let lines = ChangedLineHasher.hashing(try repository.diff(of: commit).patch()).lines
        return CommitFacts(
            id: id, patchID: patchID, messageIDs: MessageID.linked(in: trailers), authorName: commit.author.name,
            authorEmail: commit.author.email, summary: commit.summary, trailers: trailers,
            date: commit.committer.time, files: files, markers: BackportMarker.commits(in: commit.message),
            changedLines: lines)
    }

    /// The subject a patch's commit gets: the mail subject without prefixes, unless the body
    /// starts with a `From:` / `Subject:` override as format-patch writes for other authors.
    static func commitSubject(of patch: PatchSeries.Patch) -> String {
        for line in patch.message.body.split(separator: "\n", omittingEmptySubsequences: false).prefix(4)
        where line.hasPrefix("Subject: ") {
            return PatchSubject(String(line.dropFirst(9))).text
        }
        return patch.subject
    }
}
