import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// `trib series import --public-inbox`: a v2 archive's epochs, each commit one message (`m`) or
/// a removal; only what is new is imported; an import stopped between batches resumes.
@Suite struct PublicInboxImportTests {
    /// A message with a `From ` line in its body (which the mbox quotes) and a patch.
    private static func message(_ number: Int) -> String {
        """
        From: Ada Author <ada@example.org>
        Subject: [PATCH \(number)/1] mm: change \(number)
        Message-ID: <\(number).change@example.org>
        Date: Mon, 2 Mar 2026 10:00:00 +0000

        From the author: change \(number).
        >From quoted once already.
        ---
        diff --git a/mm/f\(number).c b/mm/f\(number).c
        --- a/mm/f\(number).c
        +++ b/mm/f\(number).c
        @@ -1 +1 @@
        -old line \(number)
        +new line \(number)

        """
    }

    /// An epoch repository whose commits each store one message as `m`, the fourth removing
    /// the third's (public-inbox's deletion: `m` gone, `d` holding it).
    private func epoch(at path: String, messages range: ClosedRange<Int>) throws -> FixtureRepository {
        let epoch = try FixtureRepository(bare: true, at: path, initialBranch: "master")
        var removed = false
        for number in range {
            var files: [String: FileContent] = ["m": .text(Self.message(number))]
            if removed { files["d"] = .deleted }
            removed = false
            try epoch.commit("message \(number)", files: files, on: "master")
            if number == range.lowerBound + 2 {
                removed = true
                try epoch.commit(
                    "remove \(number)", files: ["m": .deleted, "d": .text(Self.message(number))], on: "master")
            }
        }
        return epoch
    }

    @Test("two epochs imported, messages as git has them; again, nothing; new ones, only those; resumed after a stop")
    func importsWhatIsNew() throws {
        let root = try FixtureRepository()
        let inbox = root.path + "/inbox"
        let zero = try epoch(at: inbox + "/git/0.git", messages: 1...7)
        _ = try epoch(at: inbox + "/git/1.git", messages: 8...10)
        let target = try FixtureRepository(bare: true)
        let importer = try PublicInboxImport(repository: target.repository, batchSize: 3)
        #expect(
            try PublicInboxImport.epochs(of: inbox).map { URL(fileURLWithPath: $0).lastPathComponent } == [
                "0.git", "1.git",
            ])
        let first = try importer.importArchive(inbox)
        // Messages 3 and 10 were removed (10 is the third of epoch 1).
        #expect(first.messages == 8 && first.removed == 4)
        let messages = try MailArchive(repository: target.repository).messages()
        let kept = [1, 2, 4, 5, 6, 7, 8, 9]
        #expect(Set(messages.compactMap(\.messageID)) == Set(kept.map { "\($0).change@example.org" }))
        let one = messages.first { $0.messageID == "1.change@example.org" }
        #expect(one?.body.hasPrefix("From the author: change 1.\n>From quoted once already.\n") == true)
        // Again: nothing new.
        #expect(try importer.importArchive(inbox).messages == 0)
        // Three more messages in epoch 0: only they are imported.
        for number in 11...13 {
            try zero.commit("message \(number)", files: ["m": .text(Self.message(number))], on: "master")
        }
        #expect(try importer.importArchive(inbox).messages == 3)
        // A stop after the mbox files were written but before the positions were: the next
        // import reads the batches again as the same files, and nothing is there twice.
        let state = target.repository.gitDirectory + "tributary/public-inbox.json"
        try FileManager.default.removeItem(atPath: state)
        let again = try importer.importArchive(inbox)
        #expect(again.messages == 11)
        #expect(try MailArchive(repository: target.repository).messages().count == 11)
        let files = try FileManager.default.contentsOfDirectory(
            atPath: target.repository.gitDirectory + "tributary/mail")
        #expect(files.allSatisfy { $0.hasSuffix(".mbox") })
    }

    @Test("a directory that is neither an archive nor a repository is refused")
    func refusesOther() throws {
        let root = try FixtureRepository()
        let empty = root.path + "/not-an-inbox"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(
            throws: TributaryError.badInput(
                "\(empty) is neither a public-inbox v2 archive (git/0.git, …) nor a git repository")
        ) {
            _ = try PublicInboxImport.epochs(of: empty)
        }
    }
}
