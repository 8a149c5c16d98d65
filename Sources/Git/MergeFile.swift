import CLibgit2
import Foundation

extension Repository {
    /// A three-way merge of texts (`git_merge_file` at git's default level), as `git merge-file`
    /// does: the result, with conflict markers where the sides conflict.
    public static func mergeFile(ancestor: [UInt8], ours: [UInt8], theirs: [UInt8]) throws(GitError) -> MergedFile {
        Libgit2.ensureInitialized()
        var options = git_merge_file_options()
        try check(
            git_merge_file_options_init(&options, UInt32(GIT_MERGE_FILE_OPTIONS_VERSION)), "git_merge_file_options_init"
        )
        var result = git_merge_file_result()
        let status = ancestor.withUnsafeBytes { ancestorBytes in
            ours.withUnsafeBytes { ourBytes in
                theirs.withUnsafeBytes { theirBytes in
                    var ancestorInput = git_merge_file_input()
                    var ourInput = git_merge_file_input()
                    var theirInput = git_merge_file_input()
                    git_merge_file_input_init(&ancestorInput, UInt32(GIT_MERGE_FILE_INPUT_VERSION))
                    git_merge_file_input_init(&ourInput, UInt32(GIT_MERGE_FILE_INPUT_VERSION))
                    git_merge_file_input_init(&theirInput, UInt32(GIT_MERGE_FILE_INPUT_VERSION))
                    ancestorInput.ptr = ancestorBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                    ancestorInput.size = ancestorBytes.count
                    ourInput.ptr = ourBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                    ourInput.size = ourBytes.count
                    theirInput.ptr = theirBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                    theirInput.size = theirBytes.count
                    return git_merge_file(&result, &ancestorInput, &ourInput, &theirInput, &options)
                }
            }
        }
        try check(status, "git_merge_file")
        defer { git_merge_file_result_free(&result) }
        let bytes = result.ptr.map { Array(UnsafeRawBufferPointer(start: $0, count: result.len)) } ?? []
        return MergedFile(isClean: result.automergeable == 1, contents: bytes, path: nil)
    }

    /// Applies a patch in git's format (`git diff` or `git format-patch` text) to tree `tree`,
    /// in memory (`git_diff_from_buffer`, `git_apply_to_tree`), and writes the resulting tree.
    /// Nil when the patch does not apply.
    public func apply(patch: String, to tree: ObjectID) throws(GitError) -> ObjectID? {
        try apply(patch: Array(patch.utf8), to: tree)
    }

    /// Applies patch text given as bytes (files need not be UTF-8); nil when it does not apply.
    /// All or nothing: a patch of which one hunk fails leaves the tree as it was. A patch that
    /// creates a file the tree has does not apply (as with `git apply`).
    ///
    /// Only the files the patch names are looked at: they are copied into a tree of their own,
    /// the patch applied there, and the results written into `tree` (libgit2 reads the whole
    /// tree into an index to apply to it, which on a large tree costs more than the patch).
    public func apply(patch: [UInt8], to tree: ObjectID) throws(GitError) -> ObjectID? {
        guard !patch.isEmpty else { return tree }
        var diff: OpaquePointer?
        let parsed = patch.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(bytes.count, 1)) {
                git_diff_from_buffer(&diff, $0, bytes.count)
            }
        }
        try check(parsed, "git_diff_from_buffer")
        defer { git_diff_free(diff) }
        var paths: [String] = []
        var preimage: [TreeEdit] = []
        for number in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, number) else { continue }
            let old = delta.pointee.old_file.path.map { String(cString: $0) }
            let new = delta.pointee.new_file.path.map { String(cString: $0) }
            for path in [old, new].compactMap({ $0 }) where !paths.contains(path) { paths.append(path) }
            // libgit2 applies a new file's hunk to a file that exists already, inserting its lines
            // at the top; git apply refuses ("already exists"), and so does this.
            if delta.pointee.status == GIT_DELTA_ADDED, let new, try entry(at: new, in: tree) != nil { return nil }
            // So does it a rename or copy onto a path the tree has.
            if delta.pointee.status == GIT_DELTA_RENAMED || delta.pointee.status == GIT_DELTA_COPIED, let new,
                new != old, try entry(at: new, in: tree) != nil
            {
                return nil
            }
            if delta.pointee.status != GIT_DELTA_ADDED, let old, let entry = try entry(at: old, in: tree),
                !entry.mode.isTree
            {
                preimage.append(.upsert(path: old, blob: entry.id, mode: entry.mode))
            }
        }
        let small = try writeTree(base: nil, edits: preimage)
        guard let applied = try applyWhole(diff: diff, patch: patch, to: small) else { return nil }
        var edits: [TreeEdit] = []
        for path in paths {
            let before = try entry(at: path, in: small)
            let after = try entry(at: path, in: applied)
            if let after, after != before {
                edits.append(.upsert(path: path, blob: after.id, mode: after.mode))
            } else if after == nil, before != nil {
                edits.append(.remove(path: path))
            }
        }
        return try writeTree(base: tree, edits: edits)
    }

    /// `diff` (parsed from `patch`) applied to all of `tree` (`git_apply_to_tree`), else by git
    /// apply where libgit2 does not find a hunk's lines; nil when it does not apply.
    private func applyWhole(diff: OpaquePointer?, patch: [UInt8], to tree: ObjectID) throws(GitError) -> ObjectID? {
        let handle = try treeHandle(tree)
        defer { git_tree_free(handle) }
        var index: OpaquePointer?
        let result = git_apply_to_tree(&index, pointer, handle, diff, nil)
        if result == GIT_EAPPLYFAIL.rawValue {
            // libgit2 1.5 looks for each hunk only at the line it names; git apply also finds it
            // where the file's lines moved (an offset: a fix-up recorded on one merge, replayed on
            // another whose file has lines added above). Ask git before refusing.
            git_error_clear()
            return try applyMoved(patch: patch, to: tree)
        }
        if result == GIT_ENOTFOUND.rawValue || result == GIT_ECONFLICT.rawValue {
            git_error_clear()
            return nil
        }
        try check(result, "git_apply_to_tree")
        defer { git_index_free(index) }
        var oid = git_oid()
        try check(git_index_write_tree_to(&oid, index, pointer), "git_index_write_tree_to")
        return ObjectID(oid)
    }

    /// `git apply --cached` of `patch` onto `tree` in a scratch index of its own (the repository's
    /// index untouched): git's rules, hunks found where their lines moved to, no fuzz; nil when
    /// git refuses.
    func applyMoved(patch: [UInt8], to tree: ObjectID) throws(GitError) -> ObjectID? {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("trib-apply-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let git = GitProgram(environment: ["GIT_DIR": gitDirectory, "GIT_INDEX_FILE": scratch])
        func run(_ arguments: [String], input: Data? = nil) throws(GitError) -> Subprocess.Result {
            do {
                return try git.run(arguments, in: gitDirectory, input: input)
            } catch {
                throw GitError.tributary("\(error)", operation: "git \(arguments.first ?? "")")
            }
        }
        guard try run(["read-tree", tree.hex]).status == 0 else { return nil }
        guard try run(["apply", "--cached", "--whitespace=nowarn", "-"], input: Data(patch)).status == 0 else {
            return nil
        }
        let written = try run(["write-tree"])
        guard written.status == 0 else { throw GitError.tributary(written.errorOutput, operation: "git write-tree") }
        return ObjectID(hex: written.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
