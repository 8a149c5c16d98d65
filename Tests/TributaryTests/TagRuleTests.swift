import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// Each rule: what it must flag and what it must not.
@Suite struct TagRuleTests {
    static let maintainers = MaintainersFile(
        contents: """
            SLAB ALLOCATOR
            M:\tSlab Maintainer <slab@kernel.example.org>
            R:\tSlab Reviewer <slab-review@example.org>
            S:\tMaintained
            F:\tmm/slub.c

            MEMORY MAPPING
            M:\tVMA Maintainer <vma@example.org>
            S:\tMaintained
            F:\tmm/vma.c

            MEMORY MANAGEMENT
            M:\tMM Maintainer <mm@example.org>
            S:\tMaintained
            F:\tmm/

            ORPHAN AREA
            S:\tOrphan
            F:\tmm/orphan.c

            THE REST
            M:\tTop Level <top@example.org>
            S:\tBuried alive in reporters
            F:\t*
            F:\t*/
            """)

    static let author = Identity(name: "Ada Author", email: "ada@example.org")
    static let committer = Identity(name: "Slab Maintainer", email: "slab@kernel.example.org")

    /// The findings for a commit with `trailers` (one per line) touching `files`.
    static func findings(
        _ trailers: String, files: [String] = ["mm/slub.c"], author: Identity = author, committer: Identity = committer,
        policy: TagPolicy = TagPolicy(), mailmap: Mailmap = Mailmap(),
        fixes: @escaping (String) -> FixesTarget = { _ in .notFound }
    ) -> [TagFinding] {
        let index = OwnershipIndex(maintainers)
        var sections: [String: [SectionMatch]] = [:]
        for file in files { sections[file] = index.sections(for: file) }
        let message = "subject\n\nbody\n\n" + trailers + "\n"
        let facts = CommitTagFacts(
            id: ObjectID(hex: String(repeating: "a", count: 40))!, subject: "subject", author: author,
            committer: committer,
            trailers: TrailerParser.trailers(in: message, from: .commit), files: files, sections: sections)
        return CommitTagChecker(policy: policy, identities: IdentityMatcher(mailmap: mailmap)).findings(
            for: facts, fixesTarget: fixes)
    }

    static func rules(_ findings: [TagFinding], severity: Severity? = nil) -> [TagRule] {
        findings.filter { severity == nil || $0.severity == severity }.map(\.rule)
    }

    static let complete = """
        Signed-off-by: Ada Author <ada@example.org>
        Signed-off-by: Slab Maintainer <slab@kernel.example.org>
        """

    @Test("a commit with complete tags has no finding")
    func complete() {
        #expect(Self.findings(Self.complete).isEmpty)
    }

    @Test("signoff-author: identity variants")
    func signoffAuthorVariants() {
        let sob = "\nSigned-off-by: Slab Maintainer <slab@kernel.example.org>"
        // Case and +extension and one extra domain label are the same person.
        #expect(Self.findings("Signed-off-by: Ada Author <ADA@Example.org>" + sob).isEmpty)
        #expect(Self.findings("Signed-off-by: Ada Author <ada+lkml@example.org>" + sob).isEmpty)
        #expect(Self.findings("Signed-off-by: Ada Author <ada@lists.example.org>" + sob).isEmpty)
        // Same address, other name: a warning.
        #expect(
            Self.rules(Self.findings("Signed-off-by: A. Author <ada@example.org>" + sob), severity: .warning) == [
                .signoffAuthor
            ])
        // Same name, other address: a warning, never satisfied.
        #expect(
            Self.rules(Self.findings("Signed-off-by: Ada Author <ada@elsewhere.org>" + sob), severity: .warning) == [
                .signoffAuthor
            ])
        // Someone else entirely: an error.
        #expect(
            Self.rules(Self.findings("Signed-off-by: Bob <bob@example.org>" + sob), severity: .error) == [
                .signoffAuthor
            ])
        // No sign-off at all.
        #expect(
            Self.rules(Self.findings("Acked-by: VMA Maintainer <vma@example.org>"), severity: .error).contains(
                .signoffAuthor))
        // The mailmap maps an old address to the author's.
        let mailmap = Mailmap(contents: "Ada Author <ada@example.org> <ada@old.example.org>\n")
        #expect(Self.findings("Signed-off-by: Ada Author <ada@old.example.org>" + sob, mailmap: mailmap).isEmpty)
        // Two subdomain labels apart is another address.
        #expect(Self.rules(Self.findings("Signed-off-by: Ada Author <ada@a.b.example.org>" + sob)) == [.signoffAuthor])
    }

    @Test("identity matching: addresses, and names ignoring case, quotes and spacing")
    func identityMatching() {
        let matcher = IdentityMatcher()
        #expect(
            matcher.match(
                Identity(name: "A", email: "Ada+x@Mail.Example.org"), Identity(name: "B", email: "ada@example.org"))
                == .same)
        #expect(
            matcher.match(
                Identity(name: " Ada   Author ", email: "a@x.org"), Identity(name: "\"ada author\"", email: "b@y.org"))
                == .nameOnly)
        #expect(
            matcher.match(
                Identity(name: "Ada Author", email: "a@x.org"), Identity(name: "Ada Authors", email: "b@y.org"))
                == .different)
        #expect(matcher.match(Identity(name: "", email: "a@x.org"), Identity(name: "", email: "b@y.org")) == .different)
        #expect(
            !matcher.isSamePerson(
                Identity(name: "A", email: "a@x.example.org"), Identity(name: "A", email: "a@y.example.org")))
        #expect(
            Identity.parse("\"Last, First\" <first.last@example.org> # v6.1")
                == Identity(name: "Last, First", email: "first.last@example.org"))
        #expect(Identity.parse("stable@vger.kernel.org # 6.1+") == Identity(name: "", email: "stable@vger.kernel.org"))
        #expect(Identity.parse("Name Only") == nil)
        #expect(Identity.parse("Name <not-an-address>") == nil)
    }

    @Test("signoff-committer: missing, and not needed when the author commits")
    func signoffCommitter() {
        #expect(Self.rules(Self.findings("Signed-off-by: Ada Author <ada@example.org>")) == [.signoffCommitter])
        #expect(
            Self.findings("Signed-off-by: Ada Author <ada@example.org>", files: ["README"], committer: Self.author)
                .isEmpty)
    }

    @Test("codevelop: order, other person, naming the author")
    func codevelop() {
        let ok = "Co-developed-by: Co Dev <co@example.org>\nSigned-off-by: Co Dev <co@example.org>\n" + Self.complete
        #expect(Self.findings(ok).isEmpty)
        let wrongOrder =
            "Signed-off-by: Co Dev <co@example.org>\nCo-developed-by: Co Dev <co@example.org>\n" + Self.complete
        #expect(Self.rules(Self.findings(wrongOrder)) == [.codevelop])
        let otherPerson = "Co-developed-by: Co Dev <co@example.org>\n" + Self.complete
        #expect(Self.rules(Self.findings(otherPerson)) == [.codevelop])
        let namesAuthor = "Co-developed-by: Ada Author <ada@example.org>\n" + Self.complete
        #expect(Self.rules(Self.findings(namesAuthor)).filter { $0 == .codevelop }.count == 1)
    }

    @Test("fixes: every defect linux-next's verify_fixes names")
    func fixes() {
        let target = ObjectID(hex: "0123456789abcdef0123456789abcdef01234567")!
        let found: (String) -> FixesTarget = { hash in
            target.hex.hasPrefix(hash) ? .found(id: target, subject: "mm: old subject", isAncestor: true) : .notFound
        }
        func fixes(_ line: String, _ resolve: @escaping (String) -> FixesTarget = found) -> [String] {
            Self.findings(line + "\n" + Self.complete, fixes: resolve).filter { $0.rule == .fixes }.map(\.message)
        }
        #expect(fixes("Fixes: 0123456789ab (\"mm: old subject\")").isEmpty)
        #expect(fixes("Fixes: 0123456789abcdef (\"mm: old subject\")").isEmpty)
        #expect(fixes("Fixes: 01234567 (\"mm: old subject\")") == ["the hash 01234567 has 8 digits; use at least 12"])
        #expect(fixes("Fixes: 0123456789ab mm: old subject").contains { $0.hasPrefix("write the subject as") })
        #expect(fixes("Fixes: 0123456789ab ('mm: old subject')").contains { $0.hasPrefix("write the subject as") })
        #expect(
            fixes("Fixes: 0123456789ab (\"mm: other\")") == [
                "the subject given, \"mm: other\", is not the subject of 0123456789ab: \"mm: old subject\""
            ])
        #expect(
            fixes("Fixes: 0123456789ab (\"mm: old subject\")", { _ in .notFound }) == [
                "the commit 0123456789ab does not exist in this repository"
            ])
        #expect(
            fixes(
                "Fixes: 0123456789ab (\"mm: old subject\")",
                { _ in .found(id: target, subject: "mm: old subject", isAncestor: false) }
            ).count == 1)
        #expect(fixes("fixes: 0123456789ab (\"mm: old subject\")") == ["write the key as 'Fixes:'"])
        #expect(fixes("Fixes:  0123456789ab (\"mm: old subject\")") == ["write one space after 'Fixes:'"])
        #expect(fixes("Fixes: 0123456789AB (\"mm: old subject\")") == ["write the hash in lower case"])
    }

    @Test("fixes: a run-on first paragraph is quoted by its first line; a dropped final period is a warning")
    func fixesSubjects() {
        let target = ObjectID(hex: "0123456789abcdef0123456789abcdef01234567")!
        let runOn: (String) -> FixesTarget = { _ in
            .found(
                id: target, subject: "hvm: Add locking. Signed-off-by: Old Author <old@example.org>", isAncestor: true,
                firstLine: "hvm: Add locking.")
        }
        func fixes(_ line: String) -> [TagFinding] {
            Self.findings(line + "\n" + Self.complete, fixes: runOn).filter { $0.rule == .fixes }
        }
        #expect(fixes("Fixes: 0123456789ab (\"hvm: Add locking.\")").isEmpty)
        let dropped = fixes("Fixes: 0123456789ab (\"hvm: Add locking\")")
        #expect(dropped.map(\.severity) == [.warning])
        #expect(dropped.first?.message.hasPrefix("the subject given drops the final '.'") == true)
        #expect(fixes("Fixes: 0123456789ab (\"hvm: other\")").map(\.severity) == [.error])
    }

    @Test(
        "sign-offs: one outside the trailer block counts (as checkpatch reads every line); accents; tools in Assisted-by"
    )
    func signoffsElsewhere() {
        let index = OwnershipIndex(Self.maintainers)
        let message =
            "subject\n\nbody\n\nSigned-off-by: Ada Author <ada@example.org>\n\nA note.\nSigned-off-by: Slab Maintainer <slab@kernel.example.org>\n"
        var facts = CommitTagFacts(
            id: ObjectID(hex: String(repeating: "a", count: 40))!, subject: "subject", author: Self.author,
            committer: Self.committer, trailers: TrailerParser.trailers(in: message, from: .commit),
            files: ["mm/slub.c"], sections: ["mm/slub.c": index.sections(for: "mm/slub.c")])
        let checker = CommitTagChecker(policy: TagPolicy())
        // git reads only the last paragraph: without the message, the author's sign-off is missed.
        #expect(Self.rules(checker.findings(for: facts) { _ in .notFound }) == [.signoffAuthor])
        facts.message = message
        #expect(checker.findings(for: facts) { _ in .notFound }.isEmpty)
        // A name signed with and without its accents is one name.
        let accented = Identity(name: "Roger Pau Monné", email: "roger@example.org")
        #expect(
            Self.findings(
                "Signed-off-by: Roger Pau Monne <roger@example.org>", author: accented,
                committer: Identity(name: "Roger Pau Monné", email: "roger@example.org")
            ).filter { $0.rule == .signoffAuthor }.isEmpty)
        #expect(Self.findings("Assisted-by: LLM\n" + Self.complete).isEmpty)
    }

    @Test("reported-closes, link, review, and the trailer warnings")
    func otherRules() {
        #expect(Self.rules(Self.findings("Reported-by: R <r@example.org>\n" + Self.complete)) == [.reportedCloses])
        #expect(
            Self.findings("Reported-by: R <r@example.org>\nCloses: https://example.org/bug/1\n" + Self.complete).isEmpty
        )
        var policy = TagPolicy()
        policy.severities[.link] = .error
        policy.severities[.review] = .error
        #expect(Set(Self.rules(Self.findings(Self.complete, policy: policy))) == [.link, .review])
        let linked =
            "Link: https://patch.msgid.link/20260101.1-1-ada@example.org\nReviewed-by: R <r@example.org>\n"
            + Self.complete
        #expect(Self.findings(linked, policy: policy).isEmpty)
        #expect(
            Self.rules(Self.findings(Self.complete + "\nSigned-off-by: Slab Maintainer <slab@kernel.example.org>")) == [
                .duplicateTrailer
            ])
        #expect(Self.rules(Self.findings("Tested-by: nobody\n" + Self.complete)) == [.malformedAddress])
        let unknown = Self.findings("Reviewd-by: R <r@example.org>\n" + Self.complete)
        #expect(Self.rules(unknown) == [.unknownTag])
        #expect(unknown.first?.message == "unknown tag 'Reviewd-by:'; did you mean 'Reviewed-by:'?")
        #expect(Self.rules(Self.findings("Tested-by : T <t@example.org>\n" + Self.complete)) == [.trailerWhitespace])
    }

    @Test("owner-ack: cross-section acks, own section, maintainer committing, bots, reviewers, scope")
    func ownerAck() {
        // Touching MEMORY MAPPING from the slab tree needs its maintainer's ack.
        let missing = Self.findings(Self.complete, files: ["mm/slub.c", "mm/vma.c"])
        #expect(Self.rules(missing) == [.ownerAck])
        #expect(missing.first?.sections == ["MEMORY MAPPING"])
        #expect(missing.first?.people == ["VMA Maintainer <vma@example.org>"])
        #expect(missing.first?.files == ["mm/vma.c"])
        // An Acked-by or Reviewed-by from that maintainer satisfies it.
        #expect(
            Self.findings("Acked-by: VMA Maintainer <vma@example.org>\n" + Self.complete, files: ["mm/vma.c"]).isEmpty)
        #expect(Self.findings("Reviewed-by: V <VMA@example.org>\n" + Self.complete, files: ["mm/vma.c"]).isEmpty)
        // An ack from someone else does not.
        #expect(
            Self.rules(
                Self.findings(
                    "Acked-by: Slab Reviewer <slab-review@example.org>\n" + Self.complete, files: ["mm/vma.c"])) == [
                    .ownerAck
                ])
        // A maintainer of the section who commits (or authors) needs no ack: the slab commit itself.
        #expect(Self.findings(Self.complete, files: ["mm/slub.c"]).isEmpty)
        // The tree owns the section: no ack needed.
        var owning = TagPolicy()
        owning.ownedSections = ["MEMORY MAPPING"]
        #expect(
            Self.findings(
                Self.complete, files: ["mm/vma.c"], committer: Identity(name: "X", email: "x@example.org"),
                policy: owning
            )
            .filter { $0.rule == .ownerAck }.isEmpty)
        // Orphan sections (no M:) and THE REST never require an ack.
        #expect(Self.findings(Self.complete, files: ["mm/orphan.c", "README"]).filter { $0.rule == .ownerAck }.isEmpty)
        // A bot's ack never counts.
        var bots = TagPolicy()
        bots.bots = [Identity(name: "", email: "vma@example.org")]
        #expect(
            Self.rules(
                Self.findings(
                    "Acked-by: VMA Maintainer <vma@example.org>\n" + Self.complete, files: ["mm/vma.c"], policy: bots))
                == [.ownerAck])
        // R: people count only when the policy says so.
        let outsider = Identity(name: "Out Sider", email: "out@example.org")
        let committerOutside =
            "Acked-by: Slab Reviewer <slab-review@example.org>\nSigned-off-by: Ada Author <ada@example.org>\nSigned-off-by: Out Sider <out@example.org>"
        #expect(Self.rules(Self.findings(committerOutside, files: ["mm/slub.c"], committer: outsider)) == [.ownerAck])
        var reviewers = TagPolicy()
        reviewers.reviewersCanAck = true
        #expect(Self.findings(committerOutside, files: ["mm/slub.c"], committer: outsider, policy: reviewers).isEmpty)
        // Scope: with `all`, the parent directory's section (MEMORY MANAGEMENT) needs an ack too.
        var all = TagPolicy()
        all.ownerAckScope = .all
        #expect(
            Self.findings(Self.complete, files: ["mm/slub.c"], policy: all).flatMap(\.sections) == ["MEMORY MANAGEMENT"]
        )
    }

    @Test("severities and switches come from git-config policy files")
    func policyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trib-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("policy").path
        try """
        [policy]
        \tackTrailer = Acked-by
        \treviewersCanAck = true
        \townerAckScope = all
        \tbot = CI Bot <ci@example.org>
        \towns = SLAB ALLOCATOR
        [rule "owner-ack"]
        \tseverity = warning
        [rule "link"]
        \tseverity = error
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let policy = try TagPolicy(config: ConfigFile(path: path))
        #expect(policy.ackTrailers == ["Acked-by"])
        #expect(policy.reviewersCanAck && policy.ownerAckScope == .all)
        #expect(policy.severity(of: .ownerAck) == .warning && policy.severity(of: .link) == .error)
        #expect(policy.isBot(Identity(name: "x", email: "CI@example.org")))
        #expect(policy.ownedSections == ["SLAB ALLOCATOR"])
        try "[rule \"no-such-rule\"]\n\tseverity = error\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TributaryError.self) { try TagPolicy(config: ConfigFile(path: path)) }
    }
}
