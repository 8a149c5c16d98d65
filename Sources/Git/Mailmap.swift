import CLibgit2

/// A `.mailmap`: maps the names and addresses people used to the ones they use now
/// (`git_mailmap`).
public final class Mailmap {
    let pointer: OpaquePointer

    /// Parses mailmap text (`git_mailmap_from_buffer`). Lines libgit2 cannot read are skipped, as
    /// git skips them.
    public init(contents: String) throws(GitError) {
        Libgit2.ensureInitialized()
        var mailmap: OpaquePointer?
        let bytes = Array(contents.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { git_mailmap_from_buffer(&mailmap, $0.baseAddress, $0.count) }
        }
        try check(result, "git_mailmap_from_buffer")
        pointer = mailmap!
    }

    /// The repository's mailmap: `.mailmap` in the work tree (or HEAD's tree in a bare
    /// repository) and `mailmap.file`/`mailmap.blob` from its config (`git_mailmap_from_repository`).
    public init(repository: Repository) throws(GitError) {
        var mailmap: OpaquePointer?
        try check(git_mailmap_from_repository(&mailmap, repository.pointer), "git_mailmap_from_repository")
        pointer = mailmap!
    }

    deinit { git_mailmap_free(pointer) }

    /// The canonical name and address for `name <email>` (`git_mailmap_resolve`); unchanged
    /// when no entry matches. Addresses match case-insensitively, as in git.
    public func resolve(name: String, email: String) throws(GitError) -> (name: String, email: String) {
        var realName: UnsafePointer<CChar>?
        var realEmail: UnsafePointer<CChar>?
        try check(git_mailmap_resolve(&realName, &realEmail, pointer, name, email), "git_mailmap_resolve")
        // The results point into the mailmap or into our arguments: copy them now.
        let resolvedName = realName.map { String(cString: $0) } ?? name
        let resolvedEmail = realEmail.map { String(cString: $0) } ?? email
        return (resolvedName, resolvedEmail)
    }

    /// The canonical form of a signature's person (`git_mailmap_resolve`).
    public func resolve(_ signature: Signature) throws(GitError) -> Signature {
        var mapped = signature
        (mapped.name, mapped.email) = try resolve(name: signature.name, email: signature.email)
        return mapped
    }
}
