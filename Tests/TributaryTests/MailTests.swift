import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// The mail layer: mbox, messages, threads, series and reply trailers.
@Suite struct MailTests {
    @Test("mbox splitting, mboxrd unquoting, folded and encoded headers, quoted-printable, base64, multipart, CRLF")
    func formats() throws {
        let mbox = """
            From a@example.org Mon Jan  1 00:00:00 2026\r
            From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.org>\r
            Subject: [PATCH v2 1/2] mm: =?iso-8859-1?Q?caf=E9?=\r
             =?iso-8859-1?Q?_time?=\r
            Message-ID: <one@example.org>\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            soft=\r
            break =3D equal\r
            >From the start\r
            >>From twice\r
            From b@example.org Mon Jan  1 00:00:01 2026
            From: "Doe, Jane" <jane@example.org>
            Subject: Re: [PATCH v2 1/2] mm: thing
            Message-ID: <two@example.org>
            In-Reply-To: <one@example.org>
            Content-Type: multipart/mixed; boundary="XX"

            preamble
            --XX
            Content-Type: text/html

            <p>html</p>
            --XX
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            UmV2aWV3ZWQtYnk6IEphbmUgRG9lIDxqYW5lQGV4YW1wbGUub3JnPgo=
            --XX--

            """
        let raw = Mbox.messages(in: Array(mbox.utf8))
        #expect(raw.count == 2)
        let first = MailMessage(raw[0].bytes)
        #expect(first.from?.name == "Jürgen" && first.from?.address == "j@example.org")
        #expect(first.subject == "[PATCH v2 1/2] mm: café time")
        #expect(first.body == "softbreak = equal\nFrom the start\n>From twice\n")
        let second = MailMessage(raw[1].bytes)
        #expect(second.from?.name == "Doe, Jane")
        #expect(second.inReplyTo == "one@example.org")
        #expect(second.body == "Reviewed-by: Jane Doe <jane@example.org>\n")
        let subject = PatchSubject(second.subject)
        #expect(
            subject.isReply && subject.isPatch && subject.version == 2 && subject.counter == 1 && subject.total == 2)
        #expect(PatchSubject("[RFC PATCH net-next v3 00/12] x: y").isCover)
    }

    @Test("broken mail: garbage, truncation and missing headers give warnings, not failures")
    func brokenMail() {
        var bytes: [UInt8] = Array("From x\nSubject: ok\nMessage-ID: <a@b>\n\nbody\n".utf8)
        bytes += Array("From y\n".utf8) + (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        bytes += Array("\nFrom z\nno colon here\n".utf8)
        let messages = Mbox.messages(in: bytes).map { MailMessage($0.bytes) }
        #expect(messages.count == 3)
        #expect(messages[0].warnings.isEmpty && messages[0].body == "body\n")
        #expect(!messages[1].warnings.isEmpty)
        #expect(messages[2].warnings.contains("no Message-ID header"))
    }

    @Test(
        "the linux-watchdog threads: versions grouped and ordered, reply trailers as MANIFEST.json lists them",
        .enabled(if: SharedData.isAvailable, "needs ../shared/data"))
    func linuxWatchdog() throws {
        let directory = try #require(SharedData.dataDirectory).appendingPathComponent("mbox/linux-watchdog")
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: directory.appendingPathComponent("MANIFEST.json"))) as! [[String: Any]]
        var everything: [MailMessage] = []
        for entry in manifest {
            let file = entry["file"] as! String
            let messages = Mbox.messages(in: Array(try Data(contentsOf: directory.appendingPathComponent(file))))
                .map { MailMessage($0.bytes) }
            #expect(messages.count == entry["messages"] as? Int, "\(file)")
            everything += messages
            let series = PatchSeries.find(in: messages)
            let cover = String((entry["cover_message_id"] as! String).dropFirst().dropLast())
            let version = try #require(series.flatMap(\.versions).first { $0.messageID == cover }, "\(file)")
            #expect(version.cover != nil)
            let announced = PatchSubject(entry["subject"] as! String)
            #expect(version.version == announced.version && version.expected == announced.total, "\(file)")
            #expect(version.isComplete, "\(file)")
            // Each reply's review trailers, once per reply (a cover reply reaches every patch).
            var seen = Set<String>()
            var collected: [(text: String, messageID: String)] = []
            for patch in [version.cover!] + version.patches {
                for given in patch.replyTrailers
                where ["Reviewed-by", "Acked-by", "Tested-by"].contains(given.trailer.key) {
                    let key = given.messageID + "\u{1}" + given.trailer.description
                    if seen.insert(key).inserted { collected.append((given.trailer.description, given.messageID)) }
                }
            }
            // MANIFEST.json was extracted from single-part bodies read as UTF-8 and from replies
            // whose subject starts `Re:`: it lacks the trailers of PGP-signed (multipart) replies
            // and of `RE:` replies, and shows Latin-1 names as U+FFFD. Every trailer it lists is
            // found; each one more comes from such a reply.
            func comparable(_ text: String) -> String {
                String(text.unicodeScalars.map { $0.isASCII ? Character($0) : "?" })
            }
            var remaining = collected.map { comparable($0.text) }
            for trailer in entry["reply_trailers"] as! [String] {
                let wanted = comparable(trailer.trimmingCharacters(in: .whitespacesAndNewlines))
                if let found = remaining.firstIndex(of: wanted) {
                    remaining.remove(at: found)
                } else {
                    Issue.record("\(file): \(trailer) was not collected")
                }
            }
            let byID = Dictionary(messages.compactMap { message in message.messageID.map { ($0, message) } }) {
                first, _ in first
            }
            for extra in remaining {
                let explained = collected.filter { comparable($0.text) == extra }.contains { reply in
                    let message = byID[reply.messageID]
                    return (message?.header("Content-Type") ?? "").lowercased().hasPrefix("multipart/")
                        || (message?.subject.hasPrefix("RE:") ?? false)
                }
                #expect(explained, "\(file): \(extra) is not in MANIFEST.json")
            }
            // Trailers given on the cover letter reach every patch.
            for given in version.cover!.replyTrailers {
                #expect(version.patches.allSatisfy { $0.replyTrailers.contains(given) })
            }
        }
        let all = PatchSeries.find(in: everything)
        let tensor = try #require(all.first { $0.title.hasPrefix("Add minimal Tensor/GS101 SoC support") })
        #expect(tensor.versions.map(\.version) == [1, 3, 4, 5, 6, 7])
        let exynos = try #require(all.first { $0.title == "watchdog: s3c2410: Add Exynos850 support" })
        #expect(exynos.versions.map(\.version) == [1, 2, 3])
    }
}

/// Reply trailers against b4's own fixtures: what `b4 am` adds with its defaults.
@Suite struct B4TrailerFixtureTests {
    /// The `Key: value` lines of a message body that are trailers b4 collects.
    static func trailerLines(_ body: String) -> [String] {
        body.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
            guard let colon = line.firstIndex(of: ":") else { return false }
            return PatchSeries.reviewKeys.contains(line[..<colon].lowercased())
        }
    }

    @Test(
        "trailers collected from follow-ups equal those b4 am adds by default",
        .enabled(if: SharedData.isAvailable, "needs ../shared/data"))
    func fixtures() throws {
        let directory = try #require(SharedData.dataDirectory).appendingPathComponent("mbox/b4-samples")
        let references = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix("-ref-defaults.txt") }.sorted()
        #expect(references.count >= 10)
        for reference in references {
            let base = String(reference.dropLast("-ref-defaults.txt".count))
            let input = directory.appendingPathComponent(base + ".mbox")
            guard FileManager.default.fileExists(atPath: input.path) else { continue }
            let messages = Mbox.messages(in: Array(try Data(contentsOf: input))).map { MailMessage($0.bytes) }
            let expectedMessages = Mbox.messages(
                in: Array(try Data(contentsOf: directory.appendingPathComponent(reference)))
            )
            .map { MailMessage($0.bytes) }
            // b4 applies the newest version (a partial re-roll completed from the older one).
            let newest = try #require(
                PatchSeries.find(in: messages).flatMap(\.versions).max { $0.version < $1.version })
            let patches = newest.patches
            #expect(patches.count == expectedMessages.count, "\(base): \(patches.count) patches found")
            for (patch, expected) in zip(patches.sorted { $0.counter < $1.counter }, expectedMessages) {
                let original = Set(Self.trailerLines(patch.message.body))
                // b4 am also signs off as the person applying (its tests run as "Test Override"):
                // that is not a trailer given on the list.
                let added = Set(Self.trailerLines(expected.body)).subtracting(original)
                    .filter { !$0.hasPrefix("Signed-off-by: Test Override") }
                let collected = Set(
                    patch.replyTrailers.filter { $0.fromSender || !$0.trailer.key.lowercased().hasSuffix("-by") }
                        .map(\.trailer.description)
                ).subtracting(original)
                #expect(collected == added, "\(base) patch \(patch.counter)")
            }
        }
    }
}

/// Series grouping against patchwork's own fixtures and the groupings its tests assert.
@Suite struct PatchworkSeriesFixtureTests {
    /// Fixture → patches per series version (in date order), and whether each has a cover letter.
    static let expected: [(String, [Int], [Bool])] = [
        ("base-single-patch", [1], [false]),
        ("base-cover-letter", [2], [true]),
        ("base-no-cover-letter", [2], [false]),
        ("base-deep-threaded", [2], [true]),
        ("base-out-of-order", [2], [true]),
        ("base-different-versions", [4], [true]),
        ("base-incomplete", [1], [true]),
        ("base-extra-patches", [3], [true]),
        ("base-no-references", [2], [false]),
        ("base-no-references-no-cover", [2], [true]),
        ("bugs-multiple-references", [4], [true]),
        ("bugs-nocover", [2, 2], [false, false]),
        ("bugs-nocover-noversion", [2, 2], [false, false]),
        ("bugs-spamming", [1, 1, 1], [false, false, false]),
        ("bugs-mixed-versions", [1, 1], [false, false]),
        ("revision-basic", [2, 2], [true, true]),
        ("revision-threaded-to-single-patch", [1, 1], [false, false]),
        ("revision-threaded-to-cover", [2, 2], [true, true]),
        ("revision-threaded-to-patch", [2, 2], [true, true]),
        ("revision-out-of-order", [2, 2], [true, true]),
        ("revision-no-cover-letter", [2, 2], [true, false]),
        ("revision-unlabeled", [2, 2], [true, true]),
        ("revision-unlabeled-noreferences", [2, 2], [false, false]),
        ("mercurial-cover-letter", [2], [true]),
        ("mercurial-no-cover-letter", [2], [false]),
    ]

    @Test(
        "patch mails group into series versions as patchwork's tests assert",
        .enabled(if: SharedData.isAvailable, "needs ../shared/data"))
    func fixtures() throws {
        let directory = try #require(SharedData.dataDirectory).appendingPathComponent("mbox/patchwork-fixtures/series")
        for (name, counts, covers) in Self.expected {
            let file = directory.appendingPathComponent(name + ".mbox")
            let messages = Mbox.messages(in: Array(try Data(contentsOf: file))).map { MailMessage($0.bytes) }
            let versions = PatchSeries.find(in: messages).flatMap(\.versions).sorted {
                ($0.date ?? .distantPast, $0.version) < ($1.date ?? .distantPast, $1.version)
            }
            #expect(versions.map(\.patches.count) == counts, "\(name)")
            #expect(versions.map { $0.cover != nil } == covers, "\(name)")
        }
    }
}

/// Patch-ids of mailed patches against `git patch-id --stable` on the same mail.
@Suite struct MailPatchIDTests {
    @Test(
        "the patch-id of every patch mail of the linux-watchdog threads equals git patch-id --stable's",
        .enabled(if: SharedData.isAvailable, "needs ../shared/data"))
    func linuxWatchdog() throws {
        let directory = try #require(SharedData.dataDirectory).appendingPathComponent("mbox/linux-watchdog")
        var compared = 0
        var raw = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        where name.hasSuffix(".mbox") {
            let file = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
            let messages = Mbox.messages(in: file)
            for series in PatchSeries.find(in: messages.map { MailMessage($0.bytes) }) {
                for patch in series.versions.flatMap(\.patches) {
                    // git reads 7bit and 8bit mail as it is; encoded bodies are given decoded.
                    let encoding = (patch.message.header("Content-Transfer-Encoding") ?? "7bit").lowercased()
                    let isPlain =
                        ["7bit", "8bit"].contains(encoding)
                        && !(patch.message.header("Content-Type") ?? "").lowercased().hasPrefix("multipart/")
                    let input: [UInt8]
                    if isPlain,
                        let original = messages.first(where: { MailMessage($0.bytes).messageID == patch.messageID })
                    {
                        input = original.bytes
                        raw += 1
                    } else {
                        input = Array(patch.message.body.utf8)
                    }
                    let git = try Subprocess.run("git", ["patch-id", "--stable"], input: Data(input))
                    let expected = git.text.split(separator: " ").first.map(String.init)
                    #expect(patch.patchID?.hex == expected, "\(name): \(patch.subject)")
                    compared += 1
                }
            }
        }
        #expect(compared > 200)
        #expect(raw > 100)
    }
}

@Suite struct LandingRuleTests {
    /// A posted patch as format-patch mails it.
    static func mail(_ id: String, subject: String, file: String, line: String) -> String {
        """
        From ada@example.org Thu Jan  1 12:00:00 2026
        From: Ada Author <ada@example.org>
        Subject: [PATCH] \(subject)
        Date: Thu, 1 Jan 2026 12:00:00 +0000
        Message-ID: <\(id)>

        Fix it.
        ---
        diff --git a/\(file) b/\(file)
        --- a/\(file)
        +++ b/\(file)
        @@ -1 +1 @@
        -old line of \(file)
        +\(line)

        """
    }

    @Test("the same author and subject is a landing only when the content backs it up (a file in common, its lines)")
    func authorSubjectNeedsContent() throws {
        let fixture = try FixtureRepository()
        let author = Signature(name: "Ada Author", email: "ada@example.org", time: 1_767_225_600)
        let base = try fixture.commit(
            "base", files: ["a.c": "old line of a.c\n", "b.c": "old line of b.c\n"], on: "main", author: author)
        // Applied with an edit to its message and a changed line: found by author and subject.
        let applied = try fixture.commit(
            "drivers: fix a memory leak", files: ["a.c": "free(leaked_a); /* edited */\n"], on: "main",
            author: author)
        let text =
            Self.mail("1@example.org", subject: "drivers: fix a memory leak", file: "a.c", line: "free(leaked_a);")
            + Self.mail("2@example.org", subject: "drivers: fix a memory leak", file: "b.c", line: "free(leaked_b);")
        let messages = Mbox.messages(in: Array(text.utf8)).map { MailMessage($0.bytes) }
        let matcher = try LandingMatcher(
            repository: fixture.repository,
            range: RevisionRange(terms: [.include(applied.hex), .exclude(base.hex)]), index: nil)
        let patches = PatchSeries.find(in: messages).flatMap { $0.versions.flatMap(\.patches) }
        #expect(patches.count == 2)
        for patch in patches {
            let found = matcher.match(patch)
            if patch.messageID == "1@example.org" {
                #expect(found?.commit.id == applied && found?.rule == .content)
            } else {
                // Same author, same generic subject, another file: not this commit.
                #expect(found == nil)
            }
        }
    }
}
