import CLibgit2

/// What a work tree holds that HEAD does not: the state `git status` reports.
public struct WorkTreeStatus: Hashable, Sendable {
    /// Paths with staged or unstaged changes to tracked files (or conflicts).
    public var changed: [String]
    /// Untracked paths (not ignored).
    public var untracked: [String]

    /// Whether tracked files are as HEAD has them.
    public var isClean: Bool { changed.isEmpty }
}

extension Repository {
    /// The work tree's state against HEAD and the index (`git_status_list_new`, with untracked
    /// files listed and ignored ones left out). Nil for a bare repository.
    public func workTreeStatus() throws(GitError) -> WorkTreeStatus? {
        guard !isBare else { return nil }
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "git_status_options_init")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RENAMES_HEAD_TO_INDEX.rawValue
        var list: OpaquePointer?
        try check(git_status_list_new(&list, pointer, &options), "git_status_list_new")
        defer { git_status_list_free(list) }
        var status = WorkTreeStatus(changed: [], untracked: [])
        for index in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, index) else { continue }
            let delta = entry.pointee.head_to_index ?? entry.pointee.index_to_workdir
            let path =
                delta.flatMap { $0.pointee.new_file.path ?? $0.pointee.old_file.path }.map { String(cString: $0) } ?? ""
            if entry.pointee.status == GIT_STATUS_WT_NEW {
                status.untracked.append(path)
            } else if entry.pointee.status != GIT_STATUS_CURRENT && entry.pointee.status != GIT_STATUS_IGNORED {
                status.changed.append(path)
            }
        }
        return status
    }

    /// Makes the index and work tree go from tree `baseline` (what they hold now) to tree `tree`,
    /// refusing, before anything is written, when a change would overwrite a modified or untracked
    /// file (`git_checkout_tree` with `GIT_CHECKOUT_SAFE` and the baseline). HEAD is not moved.
    /// A signal (`Interrupts`) waits for the checkout to end.
    public func checkout(tree: ObjectID, from baseline: ObjectID) throws(GitError) {
        try Interrupts.finishing { () throws(GitError) in try checkoutNow(tree: tree, from: baseline) }
    }

    private func checkoutNow(tree: ObjectID, from baseline: ObjectID) throws(GitError) {
        let target = try treeHandle(tree)
        defer { git_tree_free(target) }
        let base = try treeHandle(baseline)
        defer { git_tree_free(base) }
        var options = git_checkout_options()
        try check(
            git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        options.baseline = base
        try check(git_checkout_tree(pointer, target, &options), "git_checkout_tree")
    }

    /// The identity git would commit as (`git_signature_default`: user.name and user.email),
    /// with the current time; nil when they are not configured.
    public func defaultSignature() -> Signature? {
        var signature: UnsafeMutablePointer<git_signature>?
        guard git_signature_default(&signature, pointer) == 0, let signature else { return nil }
        defer { git_signature_free(signature) }
        return Signature(signature)
    }
}
