import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// `trib series import --maildir`: the messages of `new/` and `cur/`, each once, by unique name.
@Suite struct MaildirImportTests {
    private static func message(_ number: Int) -> String {
        """
        From: Ada Author <ada@example.org>
        Subject: [PATCH] mm: change \(number)
        Message-ID: <\(number).maildir@example.org>
        Date: Mon, 2 Mar 2026 10:00:00 +0000

        From the author: change \(number).
        ---
        diff --git a/mm/f\(number).c b/mm/f\(number).c
        --- a/mm/f\(number).c
        +++ b/mm/f\(number).c
        @@ -1 +1 @@
        -old line \(number)
        +new line \(number)

        """
    }

    private static func deliver(_ number: Int, to maildir: String, as file: String) throws {
        try message(number).write(toFile: maildir + "/" + file, atomically: true, encoding: .utf8)
    }

    @Test("new/ and cur/ imported; again, nothing; a message read and moved is not imported twice; a new one is")
    func importsWhatIsNew() throws {
        let root = try FixtureRepository()
        let maildir = root.path + "/lei-out"
        for part in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + part, withIntermediateDirectories: true)
        }
        try Self.deliver(1, to: maildir, as: "new/1767225601.M1P1.host")
        try Self.deliver(2, to: maildir, as: "cur/1767225602.M2P1.host:2,S")
        try Self.deliver(3, to: maildir, as: "new/1767225603.M3P1.host")
        // Being delivered: not a message yet.
        try Self.deliver(9, to: maildir, as: "tmp/1767225609.M9P1.host")
        let target = try FixtureRepository(bare: true)
        let importer = try MaildirImport(repository: target.repository, batchSize: 2)
        let first = try importer.importMaildir(maildir)
        #expect(first == MaildirImport.Result(messages: 3, known: 0, files: 2))
        let ids = { try MailArchive(repository: target.repository).messages().compactMap(\.messageID) }
        #expect(try ids().sorted() == ["1.maildir@example.org", "2.maildir@example.org", "3.maildir@example.org"])
        #expect(try importer.importMaildir(maildir) == MaildirImport.Result(messages: 0, known: 3, files: 0))
        // The mail program read message 1 (moved to cur/, flagged) and a new one came.
        try FileManager.default.moveItem(
            atPath: maildir + "/new/1767225601.M1P1.host", toPath: maildir + "/cur/1767225601.M1P1.host:2,RS")
        try Self.deliver(4, to: maildir, as: "new/1767225604.M4P1.host")
        #expect(try importer.importMaildir(maildir) == MaildirImport.Result(messages: 1, known: 3, files: 1))
        #expect(try ids().count == 4)
        // The series ledger reads them.
        #expect(
            PatchSeries.find(in: try MailArchive(repository: target.repository).messages()).map(\.title).sorted() == [
                "mm: change 1", "mm: change 2", "mm: change 3", "mm: change 4",
            ])
    }

    @Test("a directory that is not a maildir is refused, naming it")
    func refusesOtherDirectories() throws {
        let root = try FixtureRepository()
        let importer = try MaildirImport(repository: root.repository)
        #expect(throws: TributaryError.badInput("\(root.path) is not a maildir (it has neither new/ nor cur/)")) {
            try importer.importMaildir(root.path)
        }
    }
}
