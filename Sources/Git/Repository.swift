import CLibgit2

/// A git repository opened through libgit2 (`git_repository`).
///
/// A `Repository` owns its libgit2 handle and is not `Sendable`: libgit2 handles must not be used
/// from two threads at once, so open one `Repository` per task for parallel work.
public final class Repository {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_repository_free(pointer)
    }

    /// Opens the repository whose git directory or work tree is exactly `path`
    /// (`git_repository_open_ext` with `GIT_REPOSITORY_OPEN_NO_SEARCH`).
    public convenience init(at path: String) throws(GitError) {
        Libgit2.ensureInitialized()
        var repository: OpaquePointer?
        let result = git_repository_open_ext(&repository, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        if result == GIT_ENOTFOUND.rawValue { throw GitError.notARepository(path) }
        try check(result, "git_repository_open_ext(\(path))")
        self.init(pointer: repository!)
    }

    /// Opens the repository that contains `path`, looking upwards as git does
    /// (`git_repository_open_ext` with no flags, which honours `GIT_DIR` and `GIT_CEILING_DIRECTORIES`).
    public static func discover(from path: String) throws(GitError) -> Repository {
        Libgit2.ensureInitialized()
        var repository: OpaquePointer?
        let result = git_repository_open_ext(&repository, path, 0, nil)
        if result == GIT_ENOTFOUND.rawValue { throw GitError.notARepository(path) }
        try check(result, "git_repository_open_ext(\(path))")
        return Repository(pointer: repository!)
    }

    /// Creates a new repository at `path` (`git_repository_init_ext`), with `initialBranch` as the
    /// branch HEAD names.
    public static func create(
        at path: String,
        bare: Bool = false,
        initialBranch: String = "main"
    ) throws(GitError) -> Repository {
        Libgit2.ensureInitialized()
        var options = git_repository_init_options()
        try check(
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
            "git_repository_init_options_init"
        )
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue
        if bare { options.flags |= GIT_REPOSITORY_INIT_BARE.rawValue }
        var repository: OpaquePointer?
        let result = initialBranch.withCString { branch in
            options.initial_head = branch
            return git_repository_init_ext(&repository, path, &options)
        }
        try check(result, "git_repository_init_ext(\(path))")
        return Repository(pointer: repository!)
    }

    /// The git directory (`git_repository_path`), with a trailing `/`.
    public var gitDirectory: String { String(cString: git_repository_path(pointer)) }

    /// The work tree (`git_repository_workdir`), with a trailing `/`; nil for a bare repository.
    public var workTree: String? { git_repository_workdir(pointer).map { String(cString: $0) } }

    /// Whether the repository has no work tree (`git_repository_is_bare`).
    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// Whether the repository's history is cut short (`git_repository_is_shallow`): its oldest
    /// commits' parents are missing, and what is computed from its history (merge bases, ancestry)
    /// may change when it is deepened.
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// The commit HEAD points at (`git_reference_name_to_id` on `HEAD`); nil when the branch HEAD
    /// names has no commits yet.
    public func head() throws(GitError) -> ObjectID? {
        try referenceTarget("HEAD")
    }

    /// The full name of the branch HEAD points at (`git_reference_symbolic_target`), such as
    /// `refs/heads/main`, also for an unborn branch; nil when HEAD is detached.
    public func headBranch() throws(GitError) -> String? {
        var reference: OpaquePointer?
        try check(git_reference_lookup(&reference, pointer, "HEAD"), "git_reference_lookup(HEAD)")
        defer { git_reference_free(reference) }
        guard git_reference_type(reference) == GIT_REFERENCE_SYMBOLIC else { return nil }
        return String(cString: git_reference_symbolic_target(reference))
    }

    /// Resolves a revision such as `main`, `HEAD~2`, `v1.0^{commit}` or an abbreviated id to the
    /// commit it names (`git_revparse_single`, then `git_object_peel` to a commit).
    public func resolveCommit(_ revision: String) throws(GitError) -> ObjectID {
        let object = try revparse(revision)
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        let result = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        if result < 0 {
            throw GitError.tributary("'\(revision)' does not name a commit", operation: "git_object_peel", code: .peel)
        }
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit))
    }

    /// Resolves a revision to the object it names, of any type (`git_revparse_single`).
    public func resolveObject(_ revision: String) throws(GitError) -> ObjectID {
        let object = try revparse(revision)
        defer { git_object_free(object) }
        return ObjectID(git_object_id(object))
    }

    private func revparse(_ revision: String) throws(GitError) -> OpaquePointer {
        var object: OpaquePointer?
        let result = git_revparse_single(&object, pointer, revision)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue {
            throw GitError(
                code: GitError.Code(rawValue: result),
                category: "revparse",
                message: "unknown revision '\(revision)'",
                operation: "git_revparse_single",
                revision: revision
            )
        }
        try check(result, "git_revparse_single(\(revision))")
        return object!
    }

    /// Whether the object exists in the object database (`git_odb_exists`).
    public func contains(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, pointer) == 0 else { return false }
        defer { git_odb_free(odb) }
        var raw = id.raw
        return git_odb_exists(odb, &raw) == 1
    }

    /// The type of the object `id` (`git_odb_read_header`).
    public func objectKind(of id: ObjectID) throws(GitError) -> ObjectKind {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_INVALID
        var raw = id.raw
        try check(git_odb_read_header(&size, &type, odb, &raw), "git_odb_read_header(\(id))")
        return ObjectKind(type)
    }
}

extension Repository {
    /// Makes the work tree and index match HEAD, overwriting local changes
    /// (`git_checkout_head` with `GIT_CHECKOUT_FORCE`). Only for repositories this program just
    /// created; never call it on a user's work tree.
    public func forceCheckoutHead() throws(GitError) {
        var options = git_checkout_options()
        try check(
            git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
        try check(git_checkout_head(pointer, &options), "git_checkout_head")
    }
}

/// The four kinds of git object (`git_object_t`).
public enum ObjectKind: String, Sendable, Codable {
    case commit, tree, blob, tag, unknown

    init(_ type: git_object_t) {
        switch type {
        case GIT_OBJECT_COMMIT: self = .commit
        case GIT_OBJECT_TREE: self = .tree
        case GIT_OBJECT_BLOB: self = .blob
        case GIT_OBJECT_TAG: self = .tag
        default: self = .unknown
        }
    }
}
