import Foundation
public import Git

/// A real git repository in a temporary directory, built commit by commit for a test, and
/// removed when the value goes away.
///
/// Commits are made in memory through `Git` (trees written with `Repository.writeTree`), so
/// building hundreds of commits is fast; branches are plain references. Every commit gets a
/// distinct time from an increasing clock unless the caller gives signatures, so that commit
/// order by date is well defined, as in real histories.
public final class FixtureRepository {
    public let repository: Repository
    /// The directory that holds the repository (the work tree, or the git directory when bare).
    public let path: String
    private let ownedDirectory: String?
    /// The next commit time, in seconds since the epoch; each commit advances it by a minute.
    public var clock: Int64 = 1_700_000_000

    /// The default author of fixture commits.
    public static let defaultAuthor = Signature(name: "Ada Author", email: "ada@example.org", time: 0)
    /// The default committer of fixture commits.
    public static let defaultCommitter = Signature(name: "Carl Committer", email: "carl@example.org", time: 0)

    /// Creates a new repository in a new temporary directory (removed on deinit) or at `path`
    /// (kept).
    public init(bare: Bool = false, at path: String? = nil, initialBranch: String = "main") throws {
        let directory: String
        if let path {
            directory = path
            ownedDirectory = nil
        } else {
            directory =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("tributary-fixture-\(UUID().uuidString)").path
            ownedDirectory = directory
        }
        repository = try Repository.create(at: directory, bare: bare, initialBranch: initialBranch)
        self.path = directory
    }

    deinit {
        if let ownedDirectory { try? FileManager.default.removeItem(atPath: ownedDirectory) }
    }

    /// The `git` program, run in this repository.
    public var git: FixtureGit { FixtureGit(directory: path) }

    /// The commit a branch points at; nil when it does not exist.
    public func tip(_ branch: String) throws -> ObjectID? {
        try repository.referenceTarget(Self.fullName(branch))
    }

    /// Makes a commit on `branch` (created when missing) whose tree is the branch tip's (or
    /// `base`'s tree, when the branch is new) with `files` applied. The message gets `trailers`
    /// appended as a final paragraph. Returns the new commit.
    @discardableResult
    public func commit(
        _ message: String,
        files: [String: FileContent] = [:],
        on branch: String = "main",
        from base: ObjectID? = nil,
        author: Signature? = nil,
        committer: Signature? = nil,
        trailers: [(String, String)] = []
    ) throws -> ObjectID {
        let reference = Self.fullName(branch)
        let current = try repository.referenceTarget(reference)
        let parent = current ?? base
        return try commit(
            message, files: files, parents: parent.map { [$0] } ?? [], updating: reference, expecting: current,
            author: author, committer: committer, trailers: trailers
        )
    }

    /// Makes a commit with exactly these parents, its tree being the first parent's with `files`
    /// applied, and moves `reference` (if given) to it.
    @discardableResult
    public func commit(
        _ message: String,
        files: [String: FileContent] = [:],
        parents: [ObjectID],
        updating reference: String? = nil,
        expecting expected: ObjectID? = nil,
        author: Signature? = nil,
        committer: Signature? = nil,
        trailers: [(String, String)] = []
    ) throws -> ObjectID {
        let baseTree = try parents.first.map { try repository.commit($0).tree }
        let edits = try files.map { path, content in try content.edit(at: path, in: repository) }
        let tree = try repository.writeTree(base: baseTree, edits: edits)
        return try commit(
            message, tree: tree, parents: parents, updating: reference, expecting: expected, author: author,
            committer: committer, trailers: trailers)
    }

    /// Makes a commit with this tree and these parents.
    @discardableResult
    public func commit(
        _ message: String,
        tree: ObjectID,
        parents: [ObjectID],
        updating reference: String? = nil,
        expecting expected: ObjectID? = nil,
        author: Signature? = nil,
        committer: Signature? = nil,
        trailers: [(String, String)] = []
    ) throws -> ObjectID {
        clock += 60
        var text = message
        if !trailers.isEmpty {
            if !text.hasSuffix("\n") { text += "\n" }
            text += "\n" + trailers.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        }
        if !text.hasSuffix("\n") { text += "\n" }
        var authorSignature = author ?? Self.defaultAuthor
        var committerSignature = committer ?? Self.defaultCommitter
        if author == nil { authorSignature.time = clock }
        if committer == nil { committerSignature.time = clock }
        let id = try repository.createCommit(
            tree: tree, parents: parents, author: authorSignature, committer: committerSignature, message: text)
        if let reference {
            try repository.updateReference(
                reference, to: id, expecting: expected, message: "fixture: \(message.prefix(40))")
        }
        return id
    }

    /// Creates (or moves) branch `name` to `commit`.
    public func branch(_ name: String, at commit: ObjectID) throws {
        let reference = Self.fullName(name)
        try repository.updateReference(
            reference, to: commit, expecting: repository.referenceTarget(reference), message: "fixture: branch")
    }

    /// Merges branch `theirs` into branch `ours` in memory and commits the result on `ours`.
    /// `resolutions` gives the final content of conflicted paths; a conflict without one is an
    /// error.
    @discardableResult
    public func merge(
        _ theirs: String,
        into ours: String = "main",
        message: String? = nil,
        resolutions: [String: FileContent] = [:]
    ) throws -> ObjectID {
        guard let ourTip = try tip(ours), let theirTip = try tip(theirs) else {
            throw FixtureError("merge: branch \(ours) or \(theirs) does not exist")
        }
        let index = try repository.merge(ours: ourTip, theirs: theirTip)
        let conflicts = try index.conflicts()
        let unresolved = conflicts.filter { resolutions[$0.path] == nil }
        guard unresolved.isEmpty else {
            throw FixtureError("merge of \(theirs) into \(ours) conflicts in \(unresolved.map(\.path))")
        }
        for (path, content) in resolutions {
            switch try content.edit(at: path, in: repository) {
            case .upsert(_, let blob, let mode): try index.resolve(path, blob: blob, mode: mode)
            case .remove: try index.resolve(path, blob: nil, mode: .none)
            }
        }
        let tree = try index.writeTree()
        return try commit(
            message ?? "Merge branch '\(theirs)' into \(ours)", tree: tree, parents: [ourTip, theirTip],
            updating: Self.fullName(ours), expecting: ourTip)
    }

    /// `refs/heads/NAME` for a short branch name; full names are kept.
    public static func fullName(_ branch: String) -> String {
        branch.hasPrefix("refs/") ? branch : "refs/heads/" + branch
    }
}
