import CLibgit2

/// A commit, copied out of libgit2 into a value (`git_commit`).
public struct Commit: Hashable, Sendable {
    public var id: ObjectID
    /// The root tree.
    public var tree: ObjectID
    /// The parents, first parent first.
    public var parents: [ObjectID]
    public var author: Signature
    public var committer: Signature
    /// The full message, as stored (`git_commit_message_raw`), decoded as UTF-8 with invalid bytes
    /// replaced.
    public var message: String

    /// The first line of the message: git's subject (`git_commit_summary` joins a first paragraph
    /// of several lines with spaces; so does this).
    public var summary: String { Self.summary(of: message) }

    /// The subject of a message, as `summary` gives it.
    public static func summary(of message: String) -> String {
        var lines: [Substring.UTF8View] = []
        let utf8 = message.utf8
        var lineStart = utf8.startIndex
        while lineStart < utf8.endIndex {
            let lineEnd = utf8[lineStart...].firstIndex(of: 0x0A) ?? utf8.endIndex
            var line = Substring(message)[lineStart..<lineEnd].utf8
            while let last = line.last, last == 0x20 || (0x09...0x0D).contains(last) { line = line.dropLast() }
            while let first = line.first, first == 0x20 || first == 0x09 { line = line.dropFirst() }
            if line.isEmpty {
                if !lines.isEmpty { break }
            } else {
                lines.append(line)
            }
            lineStart = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : utf8.endIndex
        }
        return lines.map { String(Substring($0)) }.joined(separator: " ")
    }

    /// Whether the commit has more than one parent.
    public var isMerge: Bool { parents.count > 1 }
}

extension Repository {
    /// Reads the commit `id` (`git_commit_lookup`).
    public func commit(_ id: ObjectID) throws(GitError) -> Commit {
        let handle = try commitHandle(id)
        defer { git_commit_free(handle) }
        return Commit(handle: handle)
    }

    /// Looks up a commit handle; the caller frees it with `git_commit_free`.
    func commitHandle(_ id: ObjectID) throws(GitError) -> OpaquePointer {
        var commit: OpaquePointer?
        var raw = id.raw
        let result = git_commit_lookup(&commit, pointer, &raw)
        if result == GIT_ENOTFOUND.rawValue {
            throw GitError.tributary("no commit \(id)", operation: "git_commit_lookup", code: .notFound)
        }
        try check(result, "git_commit_lookup(\(id))")
        return commit!
    }

    /// The root tree of commit `id`, read without copying its message (`git_commit_tree_id`).
    public func treeOfCommit(_ id: ObjectID) throws(GitError) -> ObjectID {
        let handle = try commitHandle(id)
        defer { git_commit_free(handle) }
        return ObjectID(git_commit_tree_id(handle))
    }

    /// The committer time of commit `id` in seconds since the epoch, read without copying its
    /// message or signatures (`git_commit_time`).
    public func commitTime(_ id: ObjectID) throws(GitError) -> Int64 {
        let handle = try commitHandle(id)
        defer { git_commit_free(handle) }
        return Int64(git_commit_time(handle))
    }

    /// The parents of commit `id`, read without copying its message (`git_commit_parent_id`).
    public func parents(of id: ObjectID) throws(GitError) -> [ObjectID] {
        let handle = try commitHandle(id)
        defer { git_commit_free(handle) }
        return (0..<git_commit_parentcount(handle)).map { ObjectID(git_commit_parent_id(handle, $0)) }
    }

    /// Creates a commit object (`git_commit_create`) without moving any reference; move one with
    /// `updateReference(_:to:expecting:message:)`.
    public func createCommit(
        tree: ObjectID,
        parents: [ObjectID],
        author: Signature,
        committer: Signature,
        message: String
    ) throws(GitError) -> ObjectID {
        var treeHandle: OpaquePointer?
        var treeRaw = tree.raw
        try check(git_tree_lookup(&treeHandle, pointer, &treeRaw), "git_tree_lookup(\(tree))")
        defer { git_tree_free(treeHandle) }
        var parentHandles: [OpaquePointer?] = []
        defer { parentHandles.forEach { git_commit_free($0) } }
        for parent in parents {
            parentHandles.append(try commitHandle(parent))
        }
        var oid = git_oid()
        try author.withGitSignature { (authorSignature) throws(GitError) in
            try committer.withGitSignature { (committerSignature) throws(GitError) in
                let result = parentHandles.withUnsafeMutableBufferPointer { buffer in
                    git_commit_create(
                        &oid, pointer, nil, authorSignature, committerSignature, nil, message, treeHandle,
                        buffer.count, buffer.baseAddress
                    )
                }
                try check(result, "git_commit_create")
            }
        }
        return ObjectID(oid)
    }
}

extension Commit {
    init(handle: OpaquePointer) {
        id = ObjectID(git_commit_id(handle))
        tree = ObjectID(git_commit_tree_id(handle))
        parents = (0..<git_commit_parentcount(handle)).map { ObjectID(git_commit_parent_id(handle, $0)) }
        author = Signature(git_commit_author(handle))
        committer = Signature(git_commit_committer(handle))
        message = git_commit_message_raw(handle).map { String(cString: $0) } ?? ""
    }
}
