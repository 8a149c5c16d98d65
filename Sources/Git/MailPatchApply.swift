import CLibgit2

/// How one patch went onto a tree, as `git am --3way` takes it.
public enum PatchOutcome: Sendable, Hashable {
    /// It applied as it is (`git apply`: no fuzz, hunks found where their lines moved to).
    case applied(ObjectID)
    /// It did not, and the three-way merge from the blobs its `index` lines name gave this tree.
    case merged(ObjectID)
    /// The three-way merge changed nothing: git am's "No changes -- Patch already applied.".
    case alreadyApplied
    case failed(PatchFailure)

    /// The tree after it (the tree it was applied to when it was already there); nil when it failed.
    public func tree(after start: ObjectID) -> ObjectID? {
        switch self {
        case .applied(let tree), .merged(let tree): tree
        case .alreadyApplied: start
        case .failed: nil
        }
    }
}

/// Why a patch did not go onto a tree, and where.
public struct PatchFailure: Sendable, Hashable, Codable {
    public enum Reason: String, Sendable, Hashable, Codable {
        /// The mail has no diff: git am's "Patch is empty.".
        case empty
        /// libgit2 cannot read it (a hunk with fewer lines than its header counts): git am's
        /// "corrupt patch".
        case corrupt
        /// It did not apply, and a blob its `index` lines name is not in the repository (or it has
        /// no `index` line): git am's "Repository lacks necessary blobs to fall back on 3-way merge.".
        case missingBlobs = "missing-blobs"
        /// It does not apply even to the blobs its `index` lines name (a hand-edited patch).
        case notApplyingToIndex = "not-applying-to-index"
        /// The three-way merge conflicts.
        case conflict
    }

    public var reason: Reason
    /// The first file that does not apply, and the first of its hunks that does not (its header),
    /// or what is wrong with the file (`already exists`, `does not exist`).
    public var file: String?
    public var hunk: String?
    /// The paths the three-way merge conflicts in.
    public var conflicts: [String]

    public init(reason: Reason, file: String? = nil, hunk: String? = nil, conflicts: [String] = []) {
        self.reason = reason
        self.file = file
        self.hunk = hunk
        self.conflicts = conflicts
    }
}

extension Repository {
    /// Applies `patch` to `tree` in memory as `git am --3way` does: as it is first; when that
    /// fails, builds the tree its `index` lines name (git's fake ancestor: the blobs before the
    /// change at their paths), applies it there and merges the result into `tree` with that
    /// ancestor as the base (`git_merge_trees`). Writes blobs and trees, never a reference.
    public func applyAsMail(_ patch: PatchText, to tree: ObjectID) throws(GitError) -> PatchOutcome {
        guard !patch.files.isEmpty else { return .failed(PatchFailure(reason: .empty)) }
        let plain: ObjectID?
        do {
            plain = try apply(patch: patch.diff, to: tree)
        } catch  where error.operation == "git_diff_from_buffer" {
            return .failed(PatchFailure(reason: .corrupt, file: nil, hunk: error.message))
        }
        if let plain { return .applied(plain) }
        // Where it stops applying, said only when the three-way merge fails too.
        func failure(_ reason: PatchFailure.Reason, conflicts: [String] = []) throws(GitError) -> PatchOutcome {
            let (file, hunk) = try firstFailure(of: patch, on: tree)
            return .failed(PatchFailure(reason: reason, file: file, hunk: hunk, conflicts: conflicts))
        }
        var ancestorEdits: [TreeEdit] = []
        for section in patch.files where !section.isNew {
            guard let prefix = section.oldBlob, let oldPath = section.oldPath, let blob = try expand(blob: prefix)
            else {
                return try failure(.missingBlobs)
            }
            ancestorEdits.append(.upsert(path: oldPath, blob: blob, mode: section.oldMode ?? .regular))
        }
        let ancestor = try writeTree(base: nil, edits: ancestorEdits)
        guard let theirs = try apply(patch: patch.diff, to: ancestor) else { return try failure(.notApplyingToIndex) }
        let merged = try mergeTrees(ancestor: ancestor, ours: tree, theirs: theirs)
        if merged.hasConflicts { return try failure(.conflict, conflicts: try merged.conflictedPaths()) }
        let result = try merged.writeTree()
        return result == tree ? .alreadyApplied : .merged(result)
    }

    /// The full id of the blob `prefix` abbreviates (`git_odb_exists_prefix`); nil when no object
    /// or several have it, or it is all zeros (no blob).
    public func expand(blob prefix: String) throws(GitError) -> ObjectID? {
        guard prefix.count >= 4, prefix.count <= 40, prefix.allSatisfy(\.isHexDigit),
            prefix.contains(where: { $0 != "0" })
        else { return nil }
        if prefix.count == 40 {
            guard let id = ObjectID(hex: prefix) else { return nil }
            return contains(id) ? id : nil
        }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var short = git_oid()
        guard git_oid_fromstrn(&short, prefix, prefix.utf8.count) == 0 else { return nil }
        var full = git_oid()
        let result = git_odb_exists_prefix(&full, odb, &short, prefix.utf8.count)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EAMBIGUOUS.rawValue {
            git_error_clear()
            return nil
        }
        try check(result, "git_odb_exists_prefix(\(prefix))")
        return ObjectID(full)
    }

    /// Where `patch` stops applying to `tree`, as git apply would say it: the first file that
    /// does not apply on its own, and the first of its hunks whose lines are not in the file
    /// (each looked for after the one before, anywhere, as git apply moves hunks).
    public func firstFailure(of patch: PatchText, on tree: ObjectID) throws(GitError) -> (file: String?, hunk: String?)
    {
        for section in patch.files {
            let path = section.path
            let entry = try entry(at: section.isNew ? (section.newPath ?? path) : path, in: tree)
            if section.isNew {
                if entry != nil { return (section.newPath, "already exists") }
                continue
            }
            guard let entry, !entry.mode.isTree else { return (path, "does not exist") }
            if section.isBinary {
                if try apply(patch: section.text, to: tree) == nil {
                    return (path, "has a binary patch that does not apply")
                }
                continue
            }
            let lines = PatchText.lines(try blob(entry.id))
            var from = 0
            for hunk in section.hunks {
                guard let found = Self.find(hunk.preimage, in: lines, from: from) else { return (path, hunk.header) }
                from = found + hunk.preimage.count
            }
            if try apply(patch: section.text, to: tree) == nil { return (path, nil) }
        }
        return (nil, nil)
    }

    /// The first line at or after `from` where `block` starts in `lines`.
    static func find(_ block: [[UInt8]], in lines: [ArraySlice<UInt8>], from: Int) -> Int? {
        guard !block.isEmpty else { return from }
        guard lines.count >= block.count else { return nil }
        var start = from
        while start + block.count <= lines.count {
            if block.indices.allSatisfy({ lines[start + $0].elementsEqual(block[$0]) }) { return start }
            start += 1
        }
        return nil
    }
}
