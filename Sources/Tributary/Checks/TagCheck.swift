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
    private var notes: [String] = []
    private var warnings: [MaintainersWarning] = []

    public init(repository: Repository, policy: TagPolicy, source: MaintainersSource = .parentTree) throws {
        self.repository = repository
        self.policy = policy
        self.source = source
        checker = CommitTagChecker(policy: policy, identities: IdentityMatcher(mailmap: try repository.mailmap()))
    }

    /// Checks every non-merge commit of `range`.
    public func run(_ range: RevisionRange) throws -> Report {
        var results: [CommitResult] = []
        let walk = try repository.walk(range)
        while let id = walk.next() {
            let commit = try repository.commit(id)
            guard !commit.isMerge else { continue }
            results.append(try check(commit))
        }
        if let error = walk.error { throw error }
        return Report(
            range: range.description, commits: results.reversed(), maintainersWarnings: warnings, notes: notes)
    }

    /// Checks one commit.
    public func check(_ commit: Commit) throws -> CommitResult {
        let parentTree = try commit.parents.first.map { try repository.commit($0).tree }
        let files = try repository.changedPaths(from: parentTree, to: commit.tree)
        let index = try ownershipIndex(for: commit, parentTree: parentTree ?? commit.tree)
        var sections: [String: [SectionMatch]] = [:]
        if let index { for file in files { sections[file] = index.sections(for: file) } }
        let trailers = TrailerParser.trailers(in: commit.message)
        let facts = CommitFacts(
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

    /// The F:/X: patterns without a trailing `/` that are directories of `tree`: get_maintainer.pl
    /// treats those as directory prefixes.
    private func directories(named file: MaintainersFile, in tree: ObjectID) throws -> Set<String> {
        var directories = Set<String>()
        for section in file.sections {
            for field in section.fields where (field.kind == "F" || field.kind == "X") && !field.value.hasSuffix("/") {
                let value = field.value
                guard !value.isEmpty, !value.contains("."), !value.contains("*"), !value.contains("?"),
                    !value.contains("[")
                else { continue }
                if try repository.entry(at: value, in: tree)?.mode.isTree == true { directories.insert(value) }
            }
        }
        return directories
    }

    private func note(_ text: String) {
        if notes.count < 50 { notes.append(text) }
    }
}
