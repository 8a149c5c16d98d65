import Foundation
import Git

/// A work tree of trib's own, where verify commands run: `GIT_DIR/tributary/verify/work/N/`, a
/// linked work tree of the repository (`git worktree add --detach`) with its own HEAD and index —
/// never the user's work tree or index. Being a real work tree matters to builds: what asks git
/// (or libgit2, gix — cargo does) for its repository finds this one, at the commit under test,
/// not the repository around it (git's own Rust build refuses a bare one; a kernel's
/// setlocalversion describes the commit built). Reused between runs: moving it to another commit
/// (`git checkout --detach --force`) rewrites only the files that differ, and what a build left
/// outside git's files stays, so builds are incremental.
struct ScratchWorkTree: Sendable {
    let path: String
    let gitDirectory: String

    /// `GIT_DIR/tributary/verify`: the work trees, the results, the logs.
    static func root(for repository: Repository) -> String { StateDirectory.path(for: repository) + "/verify" }

    init(slot: Int, repository: Repository) throws {
        path = Self.root(for: repository) + "/work/\(slot)"
        gitDirectory = repository.gitDirectory
    }

    /// Makes the work tree hold `commit`: created as a linked work tree the first time (or when a
    /// killed run left it half made), else checked out there by force.
    func checkout(_ commit: ObjectID, git: GitProgram) throws {
        var git = git
        git.environment.merge(["GIT_DIR": gitDirectory]) { _, new in new }
        if !FileManager.default.fileExists(atPath: path + "/.git") {
            // One at a time: `git worktree add` and `prune` edit GIT_DIR/worktrees.
            Self.creation.lock()
            defer { Self.creation.unlock() }
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = try git.run(["worktree", "prune"], in: gitDirectory)
            try Self.check(
                try git.run(["worktree", "add", "--detach", "--force", "--quiet", path, commit.hex], in: gitDirectory),
                "git worktree add \(path)")
            return
        }
        try Self.check(
            try GitProgram(executable: git.executable).run(
                ["checkout", "--detach", "--force", "--quiet", commit.hex], in: path),
            "git checkout in \(path)")
    }

    private static let creation = NSLock()

    static func check(_ result: Subprocess.Result, _ what: String) throws {
        guard result.status == 0 else {
            throw TributaryError.environment(
                "\(what): \(result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Removes every work tree (`trib verify --clean`) and their registration; the results and
    /// logs stay unless `all`.
    static func clean(in repository: Repository, all: Bool, git: GitProgram = GitProgram()) throws -> [String] {
        let root = Self.root(for: repository)
        let doomed = all ? [root] : [root + "/work"]
        var removed: [String] = []
        for path in doomed where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
            removed.append(path)
        }
        _ = try git.run(["worktree", "prune"], in: repository.gitDirectory)
        return removed
    }
}
