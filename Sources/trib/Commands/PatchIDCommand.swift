import ArgumentParser
import Foundation
import Git

struct PatchIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patch-id",
        abstract: "Print the stable patch-id of each non-merge commit.",
        discussion: """
            Prints `<patch-id> <commit>` for every non-merge commit that changes something, as \
            `git log -p --no-merges --full-index REV... | git patch-id --stable` does: the same ids, \
            in the same order. Renames are detected as `git log` detects them by default (git's \
            similarity score, 50% threshold). Binary files are hashed by their full blob ids.

            REV arguments are a range as `git rev-list` takes it (`A..B`, `A...B`, `^A B`). With no \
            REV, commit names are read from standard input, one per line (the first word of each \
            line), and no history is walked: `git rev-list main | trib patch-id`.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .customLong("no-renames"), help: "Do not detect renames (like `git log --no-renames`).")
    var noRenames = false

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp(
            "Revisions and ranges, as for `git rev-list`: A..B, A...B, ^A, A^!, A^@, A^-N, --not.", valueName: "rev"))
    var revisions: [String] = []

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            var options = DiffOptions()
            options.detectRenames = !noRenames
            var output = StandardOutput()
            defer { output.flush() }
            func emit(_ id: ObjectID) throws {
                let commit = try repository.commit(id)
                guard let patchID = try repository.patchID(of: commit, options: options) else { return }
                output.line("\(patchID.hex) \(id.hex)")
            }
            if revisions.isEmpty {
                while let line = readLine() {
                    guard let word = line.split(whereSeparator: \.isWhitespace).first else { continue }
                    try emit(try repository.resolveCommit(String(word)))
                }
            } else {
                let walk = try repository.walk(RevisionRange(arguments: revisions))
                while let id = walk.next() { try emit(id) }
                if let error = walk.error { throw error }
            }
        }
    }
}
