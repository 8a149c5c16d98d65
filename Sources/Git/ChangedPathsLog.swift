import Foundation

extension GitProgram {
    /// What went wrong running `git log` for changed paths.
    public struct ChangedPathsFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The paths each of `commits` changes against its first parent (every path for a root
    /// commit; none for a merge), read by one `git log --no-walk --name-only` run, sorted: the
    /// same lists as `Repository.changedPaths(from:to:)` gives for the commit's parent tree and
    /// tree. git reads packs and compares trees faster than libgit2 does (10,000 commits of a
    /// kernel-like tree: 0.32 s in one git run, about 0.5 s of threads' time in process), so a
    /// check of thousands of commits asks git. Every option that decides which paths are
    /// listed is given explicitly, so that the user's configuration cannot change them: no
    /// rename detection (a rename is its two paths, as in the tree comparison), submodule
    /// changes shown, the whole tree (no relative paths), root commits shown, merges not
    /// diffed, replace refs ignored (as libgit2 ignores them). The lists come in the order of
    /// `commits`.
    public func changedPaths(of commits: [ObjectID], in gitDirectory: String) throws -> [[String]] {
        guard !commits.isEmpty else { return [] }
        let arguments = [
            "-c", "diff.relative=false", "-c", "log.showSignature=false",
            "--git-dir=\(gitDirectory)", "log", "--no-walk=unsorted", "--stdin", "--format=%x01%H", "-z",
            "--name-only", "--no-renames", "--root", "--diff-merges=off", "--ignore-submodules=none", "--no-relative",
            "--no-ext-diff", "--no-textconv",
        ]
        let result = try runLog(arguments, on: commits, in: gitDirectory)
        guard result.status == 0 else {
            throw ChangedPathsFailure(
                description: "git log for changed paths exited with \(result.status): \(result.errorOutput)")
        }
        let lists = Self.parseChangedPaths(result.output, expecting: commits)
        guard lists.count == commits.count else {
            throw ChangedPathsFailure(
                description: "git log gave the paths of \(lists.count) of \(commits.count) commits")
        }
        return lists
    }

    /// Splits the output into commits. A record is U+0001, the id of the commit expected next
    /// (so that no path can be taken for one) and a NUL; then, when the commit changes paths, a
    /// newline and each path followed by a NUL.
    static func parseChangedPaths(_ output: Data, expecting commits: [ObjectID]) -> [[String]] {
        var lists: [[String]] = []
        lists.reserveCapacity(commits.count)
        output.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            func headerLength(at offset: Int, of index: Int) -> Int? {
                guard index < commits.count, offset < bytes.count, bytes[offset] == 0x01 else { return nil }
                let hex = commits[index].hex.utf8
                guard offset + 2 + hex.count <= bytes.count, bytes[offset + 1 + hex.count] == 0,
                    hex.elementsEqual(UnsafeBufferPointer(rebasing: bytes[(offset + 1)..<(offset + 1 + hex.count)]))
                else { return nil }
                return hex.count + 2
            }
            var position = 0
            var index = 0
            while let length = headerLength(at: position, of: index) {
                position += length
                if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                var paths: [String] = []
                while position < bytes.count, headerLength(at: position, of: index + 1) == nil {
                    var end = position
                    while end < bytes.count && bytes[end] != 0 { end += 1 }
                    paths.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self))
                    position = min(end + 1, bytes.count)
                }
                paths.sort()
                lists.append(paths)
                index += 1
            }
        }
        return lists
    }
}
