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
        /// How each MAINTAINERS section the commit touches was approved (owner-ack), or not.
        public var approvals: [OwnerApproval] = []
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

        public var errorCount: Int { commits.reduce(0) { $0 + $1.findings.count { $0.severity == .error } } }
        public var warningCount: Int { commits.reduce(0) { $0 + $1.findings.count { $0.severity == .warning } } }
    }

    /// Where MAINTAINERS comes from.
    public enum MaintainersSource: Sendable {
        /// What the project's get_maintainer.pl reads: every MAINTAINERS file of each parent tree
        /// when the tree's `.get_maintainer.conf` says `--find-maintainer-files` (U-Boot's), else
        /// the root one.
        public static func asConfigured(in repository: Repository) throws -> MaintainersSource {
            let top = try TopOfTree(repository)
            guard let found = GetMaintainerConfiguration.find(home: nil, topOfTree: top.text) else {
                return .parentTree
            }
            return GetMaintainerConfiguration(contents: found.text).findsMaintainerFiles
                ? .parentTreeAllFiles : .parentTree
        }

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
    private var currentIndexKey = ""
    /// Each path's sections per version, shared with the checks made for parallel workers.
    private let pathSections: PathSections

    private var notes: [String] = []
    private var warnings: [MaintainersWarning] = []

    public convenience init(repository: Repository, policy: TagPolicy, source: MaintainersSource = .parentTree) throws {
        try self.init(
            repository: repository, policy: policy, source: source, indexes: [:], pathSections: PathSections())
    }

    /// A check under another policy that starts with the MAINTAINERS indexes `other` has built
    /// (they depend on MAINTAINERS only), so that checking many trees builds each index once.
    public convenience init(repository: Repository, policy: TagPolicy, reusingIndexesOf other: TagCheck) throws {
        try self.init(
            repository: repository, policy: policy, source: other.source, indexes: other.indexes,
            pathSections: other.pathSections)
    }

    /// A check that starts with indexes already built (shared by parallel workers: an
    /// `OwnershipIndex` is an immutable value).
    private init(
        repository: Repository, policy: TagPolicy, source: MaintainersSource, indexes: [String: OwnershipIndex],
        pathSections: PathSections
    ) throws {
        self.repository = repository
        self.policy = policy
        self.pathSections = pathSections
        self.source = source
        self.indexes = indexes
        checker = CommitTagChecker(policy: policy, identities: IdentityMatcher(mailmap: try repository.mailmap()))
    }

    /// Checks every non-merge commit of `range`, on `jobs` threads (each with its own
    /// repository handle, as libgit2 requires); the results keep the range's order.
    public func run(_ range: RevisionRange, jobs: Int? = nil, context: Context = Context()) throws -> Report {
        defer { context.progress(nil) }
        var tip: Commit?
        for case .include(let revision) in range.terms {
            tip = try repository.commit(repository.resolveCommit(revision))
            break
        }
        let ids = try walkBuildingTipIndex(range, tip: tip)
        let width = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let workers = max(1, min(width, ids.count / 200 + 1))
        if let tip, !policy.ownedSections.isEmpty, let index = try ownershipIndex(for: tip.id, parentTree: tip.tree) {
            try Self.checkOwnedNames(policy.ownedSections, in: index.maintainers, at: tip)
        }
        var results: [CommitResult]
        if workers == 1 {
            let commits = try ids.map { try repository.commit($0) }.filter { !$0.isMerge }
            let parentTrees = try commits.map { commit in
                try commit.parents.first.map { try repository.treeOfCommit($0) }
            }
            try buildVersions(
                met: zip(commits, parentTrees).map { commit, parentTree in
                    let tree = parentTree ?? commit.tree
                    return (commit.id, tree, try Self.maintainersBlob(in: tree, of: repository, source: source))
                }, width: width)
            results = try zip(commits, parentTrees).enumerated().map { number, pair in
                if number % 50 == 0 { context.progress("check: commit \(number + 1) of \(commits.count)") }
                let (commit, parentTree) = pair
                return try check(
                    commit, parentTree: parentTree,
                    files: repository.changedPaths(from: parentTree, to: commit.tree))
            }
        } else {
            results = try checkInParallel(ids, workers: workers, context: context)
        }
        results.reverse()
        return Report(
            range: range.description, commits: results, maintainersWarnings: Self.distinct(warnings), notes: notes)
    }

    /// The commits of `range`, walked while another thread builds the MAINTAINERS index of its
    /// tip (which most of its commits use): the two take about as long on a long range.
    private func walkBuildingTipIndex(_ range: RevisionRange, tip: Commit?) throws -> [ObjectID] {
        guard let tip else { return try repository.commits(in: range) }
        enum Part: Sendable {
            case walk, tipIndex
        }
        enum Outcome: Sendable {
            case ids([ObjectID])
            case indexes([String: OwnershipIndex], [MaintainersWarning])
        }
        let gitDirectory = repository.gitDirectory
        let (policy, source, known) = (policy, source, indexes)
        let outcomes = try Parallel.map([Part.walk, .tipIndex], width: 2) { part -> Outcome in
            let handle = try Repository(at: gitDirectory)
            switch part {
            case .walk:
                return .ids(try handle.commits(in: range))
            case .tipIndex:
                let check = try TagCheck(
                    repository: handle, policy: policy, source: source, indexes: known, pathSections: PathSections())
                _ = try check.ownershipIndex(for: tip.id, parentTree: tip.tree)
                return .indexes(check.indexes, check.warnings)
            }
        }
        var ids: [ObjectID] = []
        for outcome in outcomes {
            switch outcome {
            case .ids(let walked): ids = walked
            case .indexes(let built, let builtWarnings): adopt(built, builtWarnings)
            }
        }
        return ids
    }

    /// Refuses owned names that are neither a section title nor a group heading of the
    /// MAINTAINERS in force at the range's tip, with the closest name.
    static func checkOwnedNames(_ owned: Set<String>, in file: MaintainersFile, at tip: Commit) throws {
        let names = file.names
        let known = Set(names)
        for name in owned.sorted() where !known.contains(name) {
            throw TributaryError.badInput(
                "owns '\(name)': no MAINTAINERS section or heading has that name at \(tip.id.abbreviated())"
                    + Spelling.suggestion(for: name, among: names))
        }
    }

    /// Each warning once: the same problem in several MAINTAINERS versions of the range (at other
    /// lines as the file grows) is reported where it was first met.
    static func distinct(_ warnings: [MaintainersWarning]) -> [MaintainersWarning] {
        var seen = Set<String>()
        return warnings.filter { seen.insert($0.message).inserted }
    }

    /// A commit read in the first round: its parent tree and the MAINTAINERS blob there (when
    /// MAINTAINERS comes from the parent tree).
    private struct PreparedCommit: Sendable {
        var commit: Commit
        var parentTree: ObjectID?
        var maintainers: ObjectID?
    }

    /// The check of `ids` on `workers` threads, in two rounds: the commits are read with their
    /// parent trees, and every MAINTAINERS version they meet is built (the tip's was built
    /// during the walk); then, chunk by chunk, a `git log` run lists the paths the chunk's
    /// commits change (`GitProgram.changedPaths(of:in:)`, faster than comparing trees with
    /// libgit2; the trees are compared in process when git cannot run) and the chunk is
    /// checked, one thread more than there are workers so that a core never waits for git.
    private func checkInParallel(_ ids: [ObjectID], workers: Int, context: Context) throws
        -> [CommitResult]
    {
        context.progress("check: reading \(ids.count) commits")
        let gitDirectory = repository.gitDirectory
        let (policy, source) = (policy, source)
        let readSize = (ids.count + workers - 1) / workers
        let read = try Parallel.map(
            stride(from: 0, to: ids.count, by: readSize).map { $0..<min($0 + readSize, ids.count) }, width: workers
        ) { range in
            let handle = try Repository(at: gitDirectory)
            return try range.compactMap { position -> PreparedCommit? in
                let commit = try handle.commit(ids[position])
                if commit.isMerge { return nil }
                let parentTree = try commit.parents.first.map { try handle.treeOfCommit($0) }
                return PreparedCommit(
                    commit: commit, parentTree: parentTree,
                    maintainers: try Self.maintainersBlob(in: parentTree ?? commit.tree, of: handle, source: source))
            }
        }
        let commits = read.flatMap { $0 }
        try buildVersions(
            met: commits.map { ($0.commit.id, $0.parentTree ?? $0.commit.tree, $0.maintainers) }, width: workers)
        let (indexes, pathSections) = (indexes, pathSections)
        var checked = 0
        context.progress("check: checking \(ids.count) commits")
        let size = max(100, (commits.count + workers * 4 - 1) / (workers * 4))
        let chunks = stride(from: 0, to: commits.count, by: size).map {
            Array(commits[$0..<min($0 + size, commits.count)])
        }
        let outcomes = try Parallel.map(chunks, width: workers + 1) { chunk in
            let listed = try? GitProgram().changedPaths(of: chunk.map(\.commit.id), in: gitDirectory)
            let handle = try Repository(at: gitDirectory)
            let check = try TagCheck(
                repository: handle, policy: policy, source: source, indexes: indexes, pathSections: pathSections)
            let results = try chunk.enumerated().map { position, prepared in
                let (commit, parentTree) = (prepared.commit, prepared.parentTree)
                let files = try listed?[position] ?? handle.changedPaths(from: parentTree, to: commit.tree)
                return try check.check(commit, parentTree: parentTree, files: files)
            }
            return (results, check.warnings, check.notes)
        } received: { _, outcome in
            checked += outcome.0.count
            context.progress("check: \(checked) of \(ids.count) commits checked")
        }
        var results: [CommitResult] = []
        results.reserveCapacity(commits.count)
        for (checked, workerWarnings, workerNotes) in outcomes {
            results += checked
            for warning in workerWarnings where !warnings.contains(warning) { warnings.append(warning) }
            for text in workerNotes where !notes.contains(text) { note(text) }
        }
        return results
    }

    /// Builds, on up to `width` threads at once, the index of every MAINTAINERS version that
    /// `commits` (with their parent trees) meet and that is not built yet, each on one thread: a
    /// range across several versions does not build them one after another. One version missing
    /// is left to be built where it is met.
    private func buildVersions(met commits: [(commit: ObjectID, tree: ObjectID, maintainers: ObjectID?)], width: Int)
        throws
    {
        guard case .parentTree = source, width > 1 else { return }
        var seen = Set(indexes.keys)
        var missing: [(commit: ObjectID, parentTree: ObjectID)] = []
        for (commit, tree, maintainers) in commits {
            if let maintainers, seen.insert(maintainers.hex).inserted { missing.append((commit, tree)) }
        }
        guard missing.count > 1 else { return }
        let gitDirectory = repository.gitDirectory
        let (policy, source) = (policy, source)
        let built = try Parallel.map(missing, width: width) { commit, tree in
            let check = try TagCheck(
                repository: try Repository(at: gitDirectory), policy: policy, source: source, indexes: [:],
                pathSections: PathSections())
            _ = try check.ownershipIndex(for: commit, parentTree: tree)
            return (check.indexes, check.warnings)
        }
        for (versions, versionWarnings) in built { adopt(versions, versionWarnings) }
    }

    /// The MAINTAINERS file at the top of `tree`, when MAINTAINERS comes from the parent tree;
    /// nil when it does not, or the tree has none.
    private static func maintainersBlob(in tree: ObjectID, of repository: Repository, source: MaintainersSource) throws
        -> ObjectID?
    {
        guard case .parentTree = source,
            let entry = try repository.entry(at: "MAINTAINERS", in: tree), !entry.mode.isTree
        else { return nil }
        return entry.id
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
        let index = try ownershipIndex(for: commit.id, parentTree: parentTree ?? commit.tree)
        var sections: [String: [SectionMatch]] = [:]
        if let index {
            for file in files {
                sections[file] = pathSections.sections(of: file, version: currentIndexKey, in: index)
            }
        }
        var trailers = TrailerParser.trailers(in: commit.message, from: .commit)
        if policy.tagParagraphs == 2 {
            trailers = TrailerParser.tagParagraph(aboveTrailersIn: commit.message) + trailers
        }
        var facts = CommitTagFacts(
            id: commit.id, subject: commit.summary, author: Identity(commit.author),
            committer: Identity(commit.committer),
            trailers: trailers, files: files, sections: sections)
        facts.message = commit.message
        if policy.treeMaintainersApprove { facts.treeEntries = index?.treeEntries ?? [] }
        var (findings, approvals) = checker.evaluate(facts) { hash in self.fixesTarget(hash, for: commit.id) }
        if index == nil {
            findings.removeAll { $0.rule == .ownerAck }
            approvals = []
        }
        let bots = trailers.filter { trailer in Identity.parse(trailer.value).map(policy.isBot) ?? false }
        return CommitResult(
            commit: commit.id, subject: commit.summary, author: facts.author, committer: facts.committer,
            trailers: trailers,
            files: files, findings: findings, botTrailers: bots, approvals: approvals)
    }

    private func fixesTarget(_ hash: String, for commit: ObjectID) -> FixesTarget {
        do {
            let id = try repository.resolveObject(hash)
            guard try repository.objectKind(of: id) == .commit else { return .notFound }
            let target = try repository.commit(id)
            let isAncestor = try id != commit && repository.isAncestor(id, of: commit)
            let firstLine = target.message.split(separator: "\n", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            return .found(
                id: id, subject: target.summary, isAncestor: isAncestor,
                firstLine: firstLine == target.summary ? nil : firstLine)
        } catch let error as GitError where error.code == .ambiguous {
            return .ambiguous
        } catch {
            return .notFound
        }
    }

    /// The index for the MAINTAINERS in force for `commit`; nil when there is none.
    private func ownershipIndex(for commit: ObjectID, parentTree: ObjectID) throws -> OwnershipIndex? {
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
                note("\(commit.abbreviated()): its parent tree has no MAINTAINERS file; owner-ack not checked")
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
                note("\(commit.abbreviated()): its parent tree has no MAINTAINERS file; owner-ack not checked")
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
