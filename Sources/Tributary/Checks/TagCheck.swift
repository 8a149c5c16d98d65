import Foundation
public import Git

/// `trib check`: applies the tag rules to every non-merge commit of a range.
///
/// MAINTAINERS is read from each commit's parent tree (the rules in force when the change was
/// made) unless one is given; each version is parsed and indexed once, keyed by its blob id, so
/// a range of thousands of commits parses MAINTAINERS once or a few times.
public final class TagCheck {
    /// The result for one commit.
    public struct CommitResult: Sendable, Codable {
        public var commit: ObjectID
        public var subject: String
        public var author: Identity
        public var committer: Identity
        /// Every trailer of the message, as `git interpret-trailers --parse` reads them.
        public var trailers: [Trailer]
        public var files: [String]
        public var findings: [TagFinding]
        /// Trailers given by bots: listed, never counted as reviews or acks.
        public var botTrailers: [Trailer]
    }

    /// The result for a range.
    public struct Report: Sendable, Codable {
        public var range: String
        /// Oldest first.
        public var commits: [CommitResult]
        /// Problems in the MAINTAINERS files read.
        public var maintainersWarnings: [MaintainersWarning]
        /// Notes about the check itself (for example commits whose tree has no MAINTAINERS).
        public var notes: [String]

        public var errorCount: Int { commits.reduce(0) { $0 + $1.findings.filter { $0.severity == .error }.count } }
        public var warningCount: Int { commits.reduce(0) { $0 + $1.findings.filter { $0.severity == .warning }.count } }
    }

    /// Where MAINTAINERS comes from.
    public enum MaintainersSource: Sendable {
        /// The `MAINTAINERS` file at the root of each commit's parent tree.
        case parentTree
        /// Every file named `MAINTAINERS` in each commit's parent tree (get_maintainer.pl's
        /// `--find-maintainer-files`).
        case parentTreeAllFiles
        /// A given file or set of files, for every commit.
        case fixed(MaintainersFile)
    }

    public let repository: Repository
    public let policy: TagPolicy
    public let source: MaintainersSource
    private let checker: CommitTagChecker
    private var indexes: [String: OwnershipIndex] = [:]
    /// The key of the index the last `ownershipIndex(for:parentTree:)` returned.
    private var currentIndexKey = "" {
        didSet {
            // Each MAINTAINERS version has its own path → sections cache.
            if currentIndexKey != oldValue {
                sectionCaches[oldValue] = sectionCache
                sectionCache = sectionCaches.removeValue(forKey: currentIndexKey) ?? [:]
            }
        }
    }
    private var sectionCache: [String: [SectionMatch]] = [:]
    private var sectionCaches: [String: [String: [SectionMatch]]] = [:]

    private var notes: [String] = []
    private var warnings: [MaintainersWarning] = []

    public convenience init(repository: Repository, policy: TagPolicy, source: MaintainersSource = .parentTree) throws {
        try self.init(repository: repository, policy: policy, source: source, indexes: [:])
    }

    /// A check under another policy that starts with the MAINTAINERS indexes `other` has built
    /// (they depend on MAINTAINERS only), so that checking many trees builds each index once.
    public convenience init(repository: Repository, policy: TagPolicy, reusingIndexesOf other: TagCheck) throws {
        try self.init(repository: repository, policy: policy, source: other.source, indexes: other.indexes)
    }

    /// A check that starts with indexes already built (shared by parallel workers: an
    /// `OwnershipIndex` is an immutable value).
    private init(
        repository: Repository, policy: TagPolicy, source: MaintainersSource, indexes: [String: OwnershipIndex]
    ) throws {
        self.repository = repository
        self.policy = policy
        self.source = source
        self.indexes = indexes
        checker = CommitTagChecker(policy: policy, identities: IdentityMatcher(mailmap: try repository.mailmap()))
    }

    /// Checks every non-merge commit of `range`, on `jobs` threads (each with its own
    /// repository handle, as libgit2 requires); the results keep the range's order.
    public func run(_ range: RevisionRange, jobs: Int? = nil) throws -> Report {
        // While the range is walked, build the MAINTAINERS index of the range's tip on another
        // thread (with its own repository handle); commits whose MAINTAINERS is another version
        // build theirs when they meet it.
        let parallel = (jobs ?? ProcessInfo.processInfo.activeProcessorCount) > 1
        var tipCommit: Commit?
        for case .include(let revision) in range.terms {
            tipCommit = try repository.commit(repository.resolveCommit(revision))
            break
        }
        let prebuild = IndexPrebuild()
        if parallel, let tipCommit {
            let gitDirectory = repository.gitDirectory
            let policy = policy
            let source = source
            prebuild.start {
                let check = try TagCheck(repository: Repository(at: gitDirectory), policy: policy, source: source)
                _ = try check.ownershipIndex(for: tipCommit, parentTree: tipCommit.tree)
                return (check.indexes, check.warnings)
            }
        }
        let ids = try repository.commits(in: range)
        let workers = max(1, min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, ids.count / 200 + 1))
        var results: [CommitResult]
        if workers == 1 {
            if let (built, builtWarnings) = prebuild.wait() { adopt(built, builtWarnings) }
            results = try ids.compactMap { id in
                let commit = try repository.commit(id)
                return commit.isMerge ? nil : try check(commit)
            }
        } else {
            // The workers start at once: what does not need MAINTAINERS (reading the commits,
            // comparing trees) is done while the index is still being built.
            let chunk = (ids.count + workers - 1) / workers
            let known = indexes
            let box = WorkerResults(count: workers)
            let gitDirectory = repository.gitDirectory
            let policy = policy
            let source = source
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let slice = ids[min(worker * chunk, ids.count)..<min((worker + 1) * chunk, ids.count)]
                box.store(worker) {
                    let handle = try Repository(at: gitDirectory)
                    var prepared: [(Commit, ObjectID?, [String])] = []
                    prepared.reserveCapacity(slice.count)
                    for id in slice {
                        let commit = try handle.commit(id)
                        if commit.isMerge { continue }
                        let parentTree = try commit.parents.first.map { try handle.treeOfCommit($0) }
                        prepared.append(
                            (commit, parentTree, try handle.changedPaths(from: parentTree, to: commit.tree)))
                    }
                    var indexes = known
                    if let (built, _) = prebuild.wait() { indexes.merge(built) { current, _ in current } }
                    let check = try TagCheck(repository: handle, policy: policy, source: source, indexes: indexes)
                    let results = try prepared.map { commit, parentTree, files in
                        try check.check(commit, parentTree: parentTree, files: files)
                    }
                    return (results, check.warnings, check.notes)
                }
            }
            if let (built, builtWarnings) = prebuild.wait() { adopt(built, builtWarnings) }
            results = []
            for outcome in try box.outcomes() {
                results += outcome.0
                for warning in outcome.1 where !warnings.contains(warning) { warnings.append(warning) }
                for text in outcome.2 where !notes.contains(text) { note(text) }
            }
        }
        return Report(
            range: range.description, commits: results.reversed(), maintainersWarnings: warnings, notes: notes)
    }

    /// Takes indexes (and their warnings) built elsewhere.
    private func adopt(_ built: [String: OwnershipIndex], _ builtWarnings: [MaintainersWarning]) {
        indexes.merge(built) { current, _ in current }
        for warning in builtWarnings where !warnings.contains(warning) { warnings.append(warning) }
    }

    /// Checks one commit.
    public func check(_ commit: Commit) throws -> CommitResult {
        let parentTree = try commit.parents.first.map { try repository.treeOfCommit($0) }
        return try check(
            commit, parentTree: parentTree, files: repository.changedPaths(from: parentTree, to: commit.tree))
    }

    /// Checks one commit whose parent tree and changed files are known.
    func check(_ commit: Commit, parentTree: ObjectID?, files: [String]) throws -> CommitResult {
        let index = try ownershipIndex(for: commit, parentTree: parentTree ?? commit.tree)
        var sections: [String: [SectionMatch]] = [:]
        if let index {
            for file in files {
                // The same files are touched again and again: remember each path's sections for
                // the index in force.
                if let cached = sectionCache[file] {
                    sections[file] = cached
                } else {
                    let matches = index.sections(for: file)
                    if sectionCache.count > 200_000 { sectionCache.removeAll(keepingCapacity: true) }
                    sectionCache[file] = matches
                    sections[file] = matches
                }
            }
        }
        let trailers = TrailerParser.trailers(in: commit.message)
        let facts = CommitTagFacts(
            id: commit.id, subject: commit.summary, author: Identity(commit.author),
            committer: Identity(commit.committer),
            trailers: trailers, files: files, sections: sections)
        var findings = checker.findings(for: facts) { hash in self.fixesTarget(hash, for: commit.id) }
        if index == nil { findings.removeAll { $0.rule == .ownerAck } }
        let bots = trailers.filter { trailer in Identity.parse(trailer.value).map(policy.isBot) ?? false }
        return CommitResult(
            commit: commit.id, subject: commit.summary, author: facts.author, committer: facts.committer,
            trailers: trailers,
            files: files, findings: findings, botTrailers: bots)
    }

    private func fixesTarget(_ hash: String, for commit: ObjectID) -> FixesTarget {
        do {
            let id = try repository.resolveObject(hash)
            guard try repository.objectKind(of: id) == .commit else { return .notFound }
            let target = try repository.commit(id)
            let isAncestor = try id != commit && repository.isAncestor(id, of: commit)
            return .found(id: id, subject: target.summary, isAncestor: isAncestor)
        } catch let error as GitError where error.code == .ambiguous {
            return .ambiguous
        } catch {
            return .notFound
        }
    }

    /// The index for the MAINTAINERS in force for `commit`; nil when there is none.
    private func ownershipIndex(for commit: Commit, parentTree: ObjectID) throws -> OwnershipIndex? {
        switch source {
        case .fixed(let file):
            currentIndexKey = "fixed"
            if let index = indexes["fixed"] { return index }
            let index = OwnershipIndex(file, directories: try directories(named: file, in: parentTree))
            indexes["fixed"] = index
            warnings += index.warnings
            return index
        case .parentTree:
            guard let entry = try repository.entry(at: "MAINTAINERS", in: parentTree), !entry.mode.isTree else {
                note("\(commit.id.abbreviated()): its parent tree has no MAINTAINERS file; owner-ack not checked")
                return nil
            }
            currentIndexKey = entry.id.hex
            if let index = indexes[entry.id.hex] { return index }
            let file = MaintainersFile(
                contents: String(decoding: try repository.blob(entry.id), as: UTF8.self), name: "MAINTAINERS")
            let index = OwnershipIndex(file, directories: try directories(named: file, in: parentTree))
            indexes[entry.id.hex] = index
            warnings += index.warnings.map { warning in
                var located = warning
                located.file = "\(entry.id.abbreviated()):MAINTAINERS"
                return located
            }
            return index
        case .parentTreeAllFiles:
            let entries = try repository.files(in: parentTree).filter {
                $0.path == "MAINTAINERS" || $0.path.hasSuffix("/MAINTAINERS")
            }
            guard !entries.isEmpty else {
                note("\(commit.id.abbreviated()): its parent tree has no MAINTAINERS file; owner-ack not checked")
                return nil
            }
            let key = entries.map { $0.path + ":" + $0.entry.id.hex }.joined(separator: ",")
            currentIndexKey = key
            if let index = indexes[key] { return index }
            var file = MaintainersFile()
            for entry in entries {
                file.add(
                    contents: String(decoding: try repository.blob(entry.entry.id), as: UTF8.self), name: entry.path)
            }
            let index = OwnershipIndex(file, directories: try directories(named: file, in: parentTree))
            indexes[key] = index
            warnings += index.warnings
            return index
        }
    }

    private func directories(named file: MaintainersFile, in tree: ObjectID) throws -> Set<String> {
        try file.directoryPatterns(in: tree, of: repository)
    }

    private func note(_ text: String) {
        if notes.count < 50 { notes.append(text) }
    }
}

/// What each worker of a parallel check produced, filled in concurrently.
private final class WorkerResults: @unchecked Sendable {
    typealias Outcome = ([TagCheck.CommitResult], [MaintainersWarning], [String])
    private let lock = NSLock()
    private var values: [Result<Outcome, any Error>?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ work: () throws -> Outcome) {
        let result = Result { try work() }
        lock.lock()
        values[index] = result
        lock.unlock()
    }

    func outcomes() throws -> [Outcome] {
        try values.map { try $0!.get() }
    }
}

/// An index built on a thread of its own while the range is walked.
private final class IndexPrebuild: @unchecked Sendable {
    private var result: ([String: OwnershipIndex], [MaintainersWarning])?
    private let done = DispatchSemaphore(value: 0)
    private var started = false

    func start(_ work: @escaping @Sendable () throws -> ([String: OwnershipIndex], [MaintainersWarning])) {
        started = true
        Thread {
            self.result = try? work()
            self.done.signal()
        }.start()
    }

    /// The indexes built, once the thread is done; nil when none was started or it failed
    /// (the workers then build what they need). Any number of threads may wait.
    func wait() -> ([String: OwnershipIndex], [MaintainersWarning])? {
        guard started else { return nil }
        done.wait()
        done.signal()
        return result
    }
}
