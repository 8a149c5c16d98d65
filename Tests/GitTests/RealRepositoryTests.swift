import Foundation
import Git
import GitFixtures
import Testing

/// Patch-ids on a real history: this project's own repository, when the tests run from a git
/// checkout of it (CI does). Skipped, with the reason shown, otherwise.
@Suite struct RealRepositoryTests {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var isCheckout: Bool {
        FileManager.default.fileExists(atPath: projectRoot + "/.git")
    }

    @Test(
        "patch-ids of this project's own history equal git log -p | git patch-id --stable",
        .enabled(if: isCheckout, "the tests do not run from a git checkout of the project")
    )
    func ownHistory() throws {
        let git = FixtureGit(directory: Self.projectRoot)
        let log = try git.run(["log", "-p", "--no-merges", "HEAD"])
        guard log.status == 0 else {
            Issue.record("git log failed: \(log.errorOutput)")
            return
        }
        let expected = try git.run(["patch-id", "--stable"], input: log.output).text
        let repository = try Repository.discover(from: Self.projectRoot)
        var lines: [String] = []
        for id in try repository.commits(in: RevisionRange(arguments: ["HEAD"])) {
            let commit = try repository.commit(id)
            if let patchID = try repository.patchID(of: commit) { lines.append("\(patchID.hex) \(id.hex)") }
        }
        #expect(lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n") == expected)
        #expect(!lines.isEmpty)
    }
}
