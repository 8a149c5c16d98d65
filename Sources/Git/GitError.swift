import CLibgit2
import Foundation

/// An error reported by libgit2, or by this module on its behalf.
///
/// Carries libgit2's return code and error class, its message (copied from the thread-local
/// `git_error_last` right after the failing call), and the operation that failed.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libgit2's return code (`git_error_code`).
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// `GIT_ERROR`: a generic error.
        public static let generic = Code(rawValue: -1)
        /// `GIT_ENOTFOUND`: the object, reference or entry does not exist.
        public static let notFound = Code(rawValue: -3)
        /// `GIT_EEXISTS`: the object or reference already exists.
        public static let exists = Code(rawValue: -4)
        /// `GIT_EAMBIGUOUS`: a short id matches several objects.
        public static let ambiguous = Code(rawValue: -5)
        /// `GIT_EBAREREPO`: the operation needs a work tree.
        public static let bareRepository = Code(rawValue: -8)
        /// `GIT_EUNBORNBRANCH`: HEAD names a branch with no commits yet.
        public static let unbornBranch = Code(rawValue: -9)
        /// `GIT_EINVALIDSPEC`: a revision or reference name is malformed.
        public static let invalidSpec = Code(rawValue: -12)
        /// `GIT_ECONFLICT`: checkout conflicts prevented the operation.
        public static let conflict = Code(rawValue: -13)
        /// `GIT_ELOCKED`: a lock file is held by someone else.
        public static let locked = Code(rawValue: -14)
        /// `GIT_EMODIFIED`: a reference no longer has the value it was expected to have.
        public static let modified = Code(rawValue: -15)
        /// `GIT_EPEEL`: the object cannot be peeled to the requested type.
        public static let peel = Code(rawValue: -19)
        /// `GIT_EINVALID`: invalid input.
        public static let invalid = Code(rawValue: -21)
        /// `GIT_ITEROVER`: the end of an iteration (not an error to users).
        public static let iterationOver = Code(rawValue: -31)
        /// `GIT_EOWNER`: the repository is owned by another user (git's `safe.directory` check).
        public static let owner = Code(rawValue: -36)
    }

    /// libgit2's return code.
    public var code: Code
    /// libgit2's error class (`GIT_ERROR_*`), as a word: "reference", "odb", "merge", …
    public var category: String
    /// The message libgit2 gave, or ours when the error is this module's.
    public var message: String
    /// The operation that failed, usually the libgit2 function name.
    public var operation: String
    /// The revision that did not resolve to an object, for errors of resolving one (the input
    /// was wrong); nil for every other error.
    public var revision: String?

    public init(code: Code, category: String, message: String, operation: String, revision: String? = nil) {
        self.code = code
        self.category = category
        self.message = message
        self.operation = operation
        self.revision = revision
    }

    /// An error raised by this module for a condition libgit2 does not report itself.
    static func tributary(_ message: String, operation: String, code: Code = .invalid) -> GitError {
        GitError(code: code, category: "tributary", message: message, operation: operation)
    }

    /// No repository at or above `path` (`git_repository_open_ext` found none): said as git says
    /// it, with the absolute path, instead of libgit2's "could not find repository from '.'".
    static func notARepository(_ path: String) -> GitError {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        return GitError(
            code: .notFound, category: "repository", message: "not a git repository: \(standardized)", operation: "")
    }

    public var description: String {
        if operation.isEmpty { return message }
        var text = "\(operation): \(message)"
        if code == .owner {
            text +=
                " (the repository belongs to another user; git refuses it too — add it to"
                + " safe.directory in your git config if you trust it)"
        }
        return text
    }

    /// Builds an error from a failing return code and `git_error_last()`.
    static func last(_ result: Int32, operation: String) -> GitError {
        let last = git_error_last()
        let message = last.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "failed with code \(result)"
        let klass = last.map { Int($0.pointee.klass) } ?? 0
        return GitError(
            code: Code(rawValue: result),
            category: categoryNames.indices.contains(klass) ? categoryNames[klass] : "class \(klass)",
            message: message.hasSuffix("\n") ? String(message.dropLast()) : message,
            operation: operation
        )
    }

    /// Names of `git_error_t`, in the order of its values.
    private static let categoryNames = [
        "none", "nomemory", "os", "invalid", "reference", "zlib", "repository", "config", "regex",
        "odb", "index", "object", "net", "tag", "tree", "indexer", "ssl", "submodule", "thread",
        "stash", "checkout", "fetchhead", "merge", "ssh", "filter", "revert", "callback",
        "cherrypick", "describe", "rebase", "filesystem", "patch", "worktree", "sha", "http",
        "internal",
    ]
}

/// Throws the error libgit2 recorded when `result` is negative; returns `result` otherwise.
@discardableResult
@inline(__always)
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(GitError) -> Int32 {
    if result < 0 { throw GitError.last(result, operation: operation()) }
    return result
}
