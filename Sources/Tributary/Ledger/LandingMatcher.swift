import Foundation
public import Git

/// Finds where mailed patches landed among a tree's commits, as a cascade: the same stable
/// patch-id (the patch applied as posted), else a Link: or Message-ID: trailer naming the
/// patch's message (applied with edits, by a tool that records the link), else the same author
/// and subject (edited on the way, link not kept).
public struct LandingMatcher {
    /// How a patch was matched to a commit.
    public enum Rule: String, Sendable, Codable {
        case patchID = "patch-id"
        case messageID = "message-id"
        case authorSubject = "author+subject"
        /// Most of the patch's changed lines are among the commit's, in the same files (a patch
        /// squashed with others, or applied with neither its link nor its subject).
        case similarity
        /// A backport marker (`(cherry picked from commit X)`, `commit X upstream.`) names the
        /// commit asked about (`trib where`).
        case backportMarker = "backport-marker"
        /// The changed lines, subject and author score above the threshold (`trib where`).
        case content
    }

    /// What is known of one commit.
    public struct CommitFacts: Sendable, Codable {
        public var id: ObjectID
        public var patchID: ObjectID?
        public var messageIDs: [String]
        public var authorEmail: String
        /// The subject, normalised for matching.
        public var subject: String
        /// The subject as written.
        public var summary: String
        public var trailers: [Trailer]
        public var date: Int64
        /// The files it changes.
        public var files: [String]
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
    private let byFile: [String: [Int]]
    private let byPatchID: [ObjectID: Int]
    private let byMessageID: [String: Int]
    private let byAuthorSubject: [String: [Int]]

    /// The facts of every non-merge commit of `range`: read from `index` when it has them, else
    /// computed (on one thread per core, each with its own repository handle) and stored there,
    /// so that only commits not seen before cost anything.
    /// `limit`: at most this many commits of the range, the first the walk gives (the newest).
    /// `cache`: facts read by earlier matchers, and where this one leaves what it reads.
    public init(
        repository: Repository, range: RevisionRange, index: IndexDatabase?, jobs: Int? = nil,
        git: GitProgram = GitProgram(), limit: Int? = nil, cache: FactsCache? = nil
    ) throws {
        let ids = try limit.map { Array(try repository.walk(range).prefix($0)) } ?? repository.commits(in: range)
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
        let facts = ids.compactMap { id in known[id].flatMap { $0.subject == Self.mergeSubject ? nil : $0 } }
        commits = facts
        self.repository = repository
        var byFile: [String: [Int]] = [:]
        for (position, fact) in facts.enumerated() {
            for file in fact.files { byFile[file, default: []].append(position) }
        }
        self.byFile = byFile
        var byPatchID: [ObjectID: Int] = [:]
        var byMessageID: [String: Int] = [:]
        var byAuthorSubject: [String: [Int]] = [:]
        for (position, fact) in facts.enumerated() {
            if let patchID = fact.patchID, byPatchID[patchID] == nil { byPatchID[patchID] = position }
            for id in fact.messageIDs where byMessageID[id] == nil { byMessageID[id] = position }
            let key = fact.authorEmail + "\u{1}" + fact.subject
            byAuthorSubject[key, default: []].append(position)
        }
        self.byPatchID = byPatchID
        self.byMessageID = byMessageID
        self.byAuthorSubject = byAuthorSubject
    }

    /// The commit `patch` landed as, and the rule that found it.
    public func match(_ patch: PatchSeries.Patch) -> (commit: CommitFacts, rule: Rule)? {
        if let patchID = patch.patchID, let position = byPatchID[patchID] { return (commits[position], .patchID) }
        if let position = byMessageID[patch.messageID] { return (commits[position], .messageID) }
        let author = patch.message.from?.address.lowercased() ?? ""
        let key = author + "\u{1}" + Self.normalized(Self.commitSubject(of: patch))
        if let candidates = byAuthorSubject[key] {
            let posted = Self.changedLines(patch.message.body)
            if let position = candidates.first(where: { corroborates($0, files: posted.files, lines: posted.lines) }) {
                return (commits[position], .authorSubject)
            }
        }
        return similar(to: patch).map { ($0, .similarity) }
    }

    /// Whether the commit at `position` backs up a match by author and subject, which alone is
    /// not enough (the same author writes "fix a memory leak" more than once): it changes every
    /// one of `files`, and at least half of the changed `lines` have a counterpart among its own
    /// — the same line, or one that extends or shortens it (an argument added when applying).
    private func corroborates(_ position: Int, files: Set<String>, lines: Set<String>) -> Bool {
        let commit = commits[position]
        guard files.isSubset(of: commit.files) else { return false }
        if lines.isEmpty { return true }
        guard let diff = try? repository.diff(of: repository.commit(commit.id)).patch() else { return false }
        let own = Self.changedLines(diff).lines
        let matched = lines.filter { line in
            own.contains(line) || own.contains { $0.hasPrefix(line) || line.hasPrefix($0) }
        }
        return matched.count * 2 >= lines.count
    }

    /// The commit touching the patch's files that has the largest share of the patch's changed
    /// lines, when that share is at least `minimumShare` and at least two lines.
    func similar(to patch: PatchSeries.Patch, minimumShare: Double = 0.6) -> CommitFacts? {
        let posted = Self.changedLines(patch.message.body)
        guard posted.lines.count >= 2 else { return nil }
        var candidates: [Int] = []
        for file in posted.files { candidates += byFile[file] ?? [] }
        var best: (position: Int, share: Double)?
        for position in Set(candidates) {
            guard let diff = try? repository.diff(of: repository.commit(commits[position].id)).patch() else { continue }
            let committed = Self.changedLines(diff).lines
            let share = Double(posted.lines.intersection(committed).count) / Double(posted.lines.count)
            if share >= minimumShare, share > (best?.share ?? 0) { best = (position, share) }
        }
        return best.map { commits[$0.position] }
    }

    /// The files of a diff and its changed lines (`+`/`-` and the line, spaces removed; lines
    /// too short to tell anything apart, such as `}`, left out), whatever file they are in.
    static func changedLines(_ text: String) -> (files: Set<String>, lines: Set<String>) {
        let (files, lines) = ChangeContent.changedLines(text)
        return (files, Set(lines.map { String($0.drop { $0 != "\u{1}" }.dropFirst()) }))
    }

    static let mergeSubject = "\u{0}merge"

    /// Stores computed facts (a merge as a marker, so that it is not read again).
    static func store(_ computed: [(ObjectID, CommitFacts?)], in update: IndexDatabase.Update) throws {
        let encoder = JSONEncoder()
        try update.storeCommitFacts(
            try computed.map { id, facts in
                (id, facts?.patchID, facts?.messageIDs ?? [], try encoder.encode(facts ?? mergeMarker(id)))
            })
    }

    static func mergeMarker(_ id: ObjectID) -> CommitFacts {
        CommitFacts(
            id: id, patchID: nil, messageIDs: [], authorEmail: "", subject: mergeSubject, summary: "", trailers: [],
            date: 0, files: [])
    }

    /// The facts of `ids` (nil for merges), read in batches by up to `jobs` `git log` runs at
    /// once (`GitProgram.commitLog(of:in:)`: the same patch-ids and paths as
    /// `Repository.patchID(of:)` and `changedPaths`, about twice as fast in bulk). Each batch is
    /// handed to `consume` on the calling thread as soon as it is read, while the next ones are
    /// read (so that it can be stored in a transaction the caller holds). Fewer than 200 commits,
    /// or no `git` program: everything is computed in process.
    static func computeFacts(
        _ ids: [ObjectID], gitDirectory: String, git: GitProgram = GitProgram(), jobs: Int,
        consume: (([(ObjectID, CommitFacts?)]) throws -> Void)? = nil
    ) throws -> [(ObjectID, CommitFacts?)] {
        guard !ids.isEmpty else { return [] }
        // A few commits are read faster in process than by starting git.
        if ids.count < 200 {
            let repository = try Repository(at: gitDirectory)
            let facts = try ids.map { id in (id, try Self.facts(of: id, in: repository)) }
            try consume?(facts)
            return facts
        }
        let batchSize = max(100, min(2_500, ids.count / max(1, jobs)))
        let batches = stride(from: 0, to: ids.count, by: batchSize).map {
            Array(ids[$0..<min($0 + batchSize, ids.count)])
        }
        let facts = try Parallel.map(batches, width: jobs) { batch -> [(ObjectID, CommitFacts?)] in
            do {
                return try git.commitLog(of: batch, in: gitDirectory).map { entry in
                    (entry.id, entry.isMerge ? nil : Self.facts(of: entry))
                }
            } catch is Subprocess.LaunchError {
                let repository = try Repository(at: gitDirectory)
                return try batch.map { id in (id, try Self.facts(of: id, in: repository)) }
            }
        } received: { _, batch in
            try consume?(batch)
        }
        return facts.flatMap { $0 }
    }

    /// The facts `git log` gave of a non-merge commit.
    static func facts(of entry: GitProgram.CommitLogEntry) -> CommitFacts {
        let trailers = TrailerParser.trailers(in: entry.message, from: .commit)
        let summary = Commit.summary(of: entry.message)
        return CommitFacts(
            id: entry.id, patchID: entry.patchID, messageIDs: MessageID.linked(in: trailers),
            authorEmail: entry.authorEmail.lowercased(), subject: normalized(summary), summary: summary,
            trailers: trailers, date: entry.committerTime, files: entry.files)
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
        return CommitFacts(
            id: id, patchID: try repository.diff(from: parentTree, to: commit.tree, options: options).patchID(),
            messageIDs: MessageID.linked(in: trailers), authorEmail: commit.author.email.lowercased(),
            subject: normalized(commit.summary), summary: commit.summary, trailers: trailers,
            date: commit.committer.time, files: files)
    }

    /// The upstream commit a commit of another branch landed as: the same patch-id, a Link: or
    /// Message-ID: naming the same posting, or the same author and subject backed up by the
    /// content (the same files, half of the changed lines).
    public func match(_ facts: CommitFacts) -> (commit: CommitFacts, rule: Rule)? {
        if let patchID = facts.patchID, let position = byPatchID[patchID] { return (commits[position], .patchID) }
        for messageID in facts.messageIDs {
            if let position = byMessageID[messageID] { return (commits[position], .messageID) }
        }
        if let candidates = byAuthorSubject[facts.authorEmail + "\u{1}" + facts.subject] {
            let own =
                (try? repository.diff(of: repository.commit(facts.id)).patch()).map { Self.changedLines($0).lines }
                ?? []
            let files = Set(facts.files)
            if let position = candidates.first(where: { corroborates($0, files: files, lines: own) }) {
                return (commits[position], .authorSubject)
            }
        }
        return nil
    }

    /// The commit with this patch-id.
    public func commit(withPatchID patchID: ObjectID) -> CommitFacts? {
        byPatchID[patchID].map { commits[$0] }
    }

    /// The commit whose Link: or Message-ID: names this message.
    public func commit(linking messageID: String) -> CommitFacts? {
        byMessageID[messageID].map { commits[$0] }
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

    /// Lower case, single spaces, without a trailing period.
    static func normalized(_ subject: String) -> String {
        var text = subject.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
