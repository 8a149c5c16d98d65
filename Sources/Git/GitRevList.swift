import Foundation

extension GitProgram {
    /// What went wrong running `git rev-list`.
    public struct RevListFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The commit `count` commits back from `tip` in git's walk order (newest first by commit
    /// date, as `git log` lists them): `git rev-list --skip=COUNT --max-count=1 TIP`. Nil when
    /// `tip` and its ancestors are `count` commits or fewer. The walk streams: its cost is the
    /// `count` commits it passes, however long the history is. Replace refs are ignored, as
    /// libgit2 ignores them.
    public func commit(skipping count: Int, from tip: ObjectID, in gitDirectory: String) throws -> ObjectID? {
        let output = try revList(
            ["--skip=\(max(0, count))", "--max-count=1", tip.hex], in: gitDirectory)
        return output.first
    }

    /// How many commits `tip` reaches in git's walk before the first one committed before
    /// `time` (seconds since the epoch): `git rev-list --count --max-age=TIME TIP`, which stops
    /// there, so the cost is the commits counted.
    public func count(from tip: ObjectID, since time: Int64, in gitDirectory: String) throws -> Int {
        var program = self
        program.environment["GIT_NO_REPLACE_OBJECTS"] = "1"
        let result = try program.run(
            ["--git-dir=\(gitDirectory)", "rev-list", "--count", "--max-age=\(time)", tip.hex], in: gitDirectory)
        let text = String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, let count = Int(text) else {
            throw RevListFailure(
                description: "git rev-list --count exited with \(result.status): \(result.errorOutput)")
        }
        return count
    }

    /// The commits other than merges that `tip` reaches and none of `excluded` does, that change
    /// any of `paths` against their parent (a root commit: that has one of them), newest first:
    /// `git rev-list --full-history --no-merges TIP ^EXCLUDED… -- PATHS`, paths taken literally.
    /// A path names a file or everything under a directory. No history simplification hides a
    /// side branch whose changes a merge did not keep, and no rename is followed.
    public func commits(
        changing paths: [String], from tip: ObjectID, excluding excluded: [ObjectID], in gitDirectory: String
    ) throws -> [ObjectID] {
        guard !paths.isEmpty else { return [] }
        return try revList(
            ["--full-history", "--no-merges", tip.hex] + excluded.map { "^" + $0.hex } + ["--"] + paths,
            in: gitDirectory)
    }

    /// `git rev-list ARGUMENTS`, its lines read as commit ids.
    private func revList(_ arguments: [String], in gitDirectory: String) throws -> [ObjectID] {
        var program = self
        program.environment["GIT_NO_REPLACE_OBJECTS"] = "1"
        program.environment["GIT_LITERAL_PATHSPECS"] = "1"
        let result = try program.run(["--git-dir=\(gitDirectory)", "rev-list"] + arguments, in: gitDirectory)
        guard result.status == 0 else {
            throw RevListFailure(
                description: "git rev-list exited with \(result.status): \(result.errorOutput)")
        }
        var ids: [ObjectID] = []
        for line in result.output.split(separator: UInt8(ascii: "\n")) {
            guard let id = ObjectID(hex: String(decoding: line, as: UTF8.self)) else {
                throw RevListFailure(description: "git rev-list printed \(String(decoding: line, as: UTF8.self))")
            }
            ids.append(id)
        }
        return ids
    }
}
