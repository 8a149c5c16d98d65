import Foundation

extension GitProgram {
    /// What went wrong running `git rev-list`.
    public struct RevListFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The commits other than merges that `tip` reaches and none of `excluded` does, that change
    /// any of `paths`, newest first: `git rev-list --no-merges TIP ^EXCLUDED… -- PATHS` (what `git
    /// log --no-merges BASE..TIP -- PATHS` lists), paths taken literally. A path names a file or
    /// everything under a directory. git's history simplification applies: a side branch whose
    /// changes a merge did not keep is not walked (it did not make the files what they are, and
    /// walking every side branch — `--full-history` — cost 0.1 s on 275 commits). No rename is
    /// followed.
    public func commits(
        changing paths: [String], from tip: ObjectID, excluding excluded: [ObjectID], in gitDirectory: String
    ) throws -> [ObjectID] {
        guard !paths.isEmpty else { return [] }
        return try revList(
            ["--no-merges", tip.hex] + excluded.map { "^" + $0.hex } + ["--"] + paths,
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
