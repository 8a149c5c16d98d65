import Foundation
import Git

/// A work tree of trib's own, where verify commands run: `GIT_DIR/tributary/verify/work/N/`, with
/// an index of its own (`N.index`) — never the user's work tree or index. Reused between runs:
/// moving it to another tree rewrites only the files that differ (`git read-tree --reset -u`),
/// and what a build left outside git's files stays, so builds are incremental.
struct ScratchWorkTree: Sendable {
    let path: String
    let indexPath: String
    let gitDirectory: String

    /// `GIT_DIR/tributary/verify`: the work trees, the results, the logs.
    static func root(for repository: Repository) -> String { StateDirectory.path(for: repository) + "/verify" }

    init(slot: Int, repository: Repository) throws {
        let root = Self.root(for: repository) + "/work"
        path = root + "/\(slot)"
        indexPath = root + "/\(slot).index"
        gitDirectory = repository.gitDirectory
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Makes the work tree's tracked files those of `tree`: files that differ are rewritten, files
    /// of the previous tree that `tree` lacks removed, untracked files (a build's output) kept.
    func checkout(_ tree: ObjectID, git: GitProgram) throws {
        var git = git
        git.environment.merge(["GIT_DIR": gitDirectory, "GIT_WORK_TREE": path, "GIT_INDEX_FILE": indexPath]) {
            _, new in new
        }
        let result = try git.run(["read-tree", "--reset", "-u", tree.hex], in: path)
        guard result.status == 0 else {
            throw TributaryError.environment("git read-tree into \(path): \(result.errorOutput)")
        }
    }

    /// Removes every work tree (`trib verify --clean`); the results and logs stay unless `all`.
    static func clean(in repository: Repository, all: Bool) throws -> [String] {
        let root = Self.root(for: repository)
        let doomed = all ? [root] : [root + "/work"]
        var removed: [String] = []
        for path in doomed where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
            removed.append(path)
        }
        return removed
    }
}
