import Foundation
import Git
import Testing
import Tributary

/// Each preset's rules, on commits written the way that project writes them.
@Suite struct TagPresetTests {
    /// The findings and approvals of a commit whose message is `message`, touching `files`, under
    /// `policy`, with `maintainers` in force.
    static func evaluate(
        _ message: String, files: [String], author: Identity, committer: Identity, policy: TagPolicy,
        maintainers: String, fixes: @escaping (String) -> FixesTarget = { _ in .notFound }
    ) -> (findings: [TagFinding], approvals: [OwnerApproval]) {
        let index = OwnershipIndex(MaintainersFile(contents: maintainers))
        var sections: [String: [SectionMatch]] = [:]
        for file in files { sections[file] = index.sections(for: file) }
        var trailers = TrailerParser.trailers(in: message, from: .commit)
        if policy.tagParagraphs == 2 { trailers = TrailerParser.tagParagraph(aboveTrailersIn: message) + trailers }
        var facts = CommitTagFacts(
            id: ObjectID(hex: String(repeating: "b", count: 40))!, subject: Commit.summary(of: message), author: author,
            committer: committer, trailers: trailers, files: files, sections: sections)
        facts.treeEntries = index.treeEntries
        return CommitTagChecker(policy: policy).evaluate(facts, fixesTarget: fixes)
    }

    static func rules(_ findings: [TagFinding]) -> [String] {
        findings.map { "\($0.severity.rawValue) \($0.rule.rawValue)" }
    }

    // MARK: DPDK

    static let dpdkMaintainers = """
        General Project Administration
        ------------------------------

        Main Branch
        M: Thomas Main <thomas@example.net>
        T: git://dpdk.example.org/dpdk

        Next-net Tree
        M: Stephen Next <stephen@example.org>
        T: git://dpdk.example.org/next/dpdk-next-net

        Developers and Maintainers Tools
        M: Thomas Main <thomas@example.net>
        F: MAINTAINERS
        F: .mailmap
        F: devtools/

        Networking Drivers
        ------------------

        Intel ice
        M: Ice Maintainer <ice@example.com>
        F: drivers/net/intel/ice/
        """

    static let dpdkFix = """
        net/ice: fix the queue count

        The count was off by one.

        Bugzilla ID: 1234
        Fixes: 0123456789ab ("net/ice: add queue setup")
        Cc: stable@dpdk.org

        Signed-off-by: New Contributor <new@example.com>
        Acked-by: Ice Maintainer <ice@example.com>
        """

    @Test(
        "dpdk: Fixes: above the sign-offs is read; the tree maintainer applies without signing off; .mailmap is the contributor's to change"
    )
    func dpdk() {
        let author = Identity(name: "New Contributor", email: "new@example.com")
        let next = Identity(name: "Stephen Next", email: "stephen@example.org")
        var checked: [String] = []
        let fixesTarget: (String) -> FixesTarget = { hash in
            checked.append(hash)
            return .found(
                id: ObjectID(hex: "0123456789ab" + String(repeating: "0", count: 28))!,
                subject: "net/ice: add queue setup",
                isAncestor: true)
        }
        let result = Self.evaluate(
            Self.dpdkFix, files: ["drivers/net/intel/ice/ice_rxtx.c", ".mailmap"], author: author, committer: next,
            policy: TagPolicy(preset: .dpdk), maintainers: Self.dpdkMaintainers, fixes: fixesTarget)
        #expect(Self.rules(result.findings) == [])
        #expect(checked == ["0123456789ab"])
        #expect(
            result.approvals.map { "\($0.section): \($0.reason.rawValue) \($0.approvedBy ?? "-")" } == [
                "Intel ice: acked Ice Maintainer <ice@example.com>",
                "Developers and Maintainers Tools: tree-maintainer Stephen Next <stephen@example.org>",
            ])
        // Under the kernel's rules the same commit lacks the committer's sign-off, and its Fixes:
        // goes unread.
        checked = []
        let linux = Self.evaluate(
            Self.dpdkFix, files: ["drivers/net/intel/ice/ice_rxtx.c"], author: author, committer: next,
            policy: TagPolicy(), maintainers: Self.dpdkMaintainers, fixes: fixesTarget)
        #expect(Self.rules(linux.findings) == ["error signoff-committer"])
        #expect(checked.isEmpty)
        // Someone who maintains no tree applying it: the .mailmap change needs no ack, the
        // driver's section its maintainer's.
        let other = Identity(name: "Other Person", email: "other@example.org")
        let unacked = Self.evaluate(
            "net/ice: tweak\n\nSigned-off-by: New Contributor <new@example.com>\n",
            files: ["drivers/net/intel/ice/ice_rxtx.c", ".mailmap"], author: author, committer: other,
            policy: TagPolicy(preset: .dpdk), maintainers: Self.dpdkMaintainers)
        #expect(Self.rules(unacked.findings) == ["warning owner-ack"])
        #expect(unacked.approvals.map(\.reason) == [.missing, .projectFile])
    }

    // MARK: Xen

    static let xenMaintainers = """
        ARM (W/ VIRTUALISATION EXTENSIONS) ARCHITECTURE
        M:\tArm Maintainer <arm@example.org>
        S:\tSupported
        F:\txen/arch/arm/

        Change Log
        M:\tRelease Manager <rm@example.org>
        S:\tMaintained
        F:\tCHANGELOG.md

        THE REST
        M:\tCommitter One <one@example.org>
        M:\tCommitter Two <two@example.org>
        S:\tSupported
        F:\t*
        F:\t*/
        V:\txen-maintainers-1
        """

    @Test(
        "xen: a general maintainer stands in; a release ack counts where the release manager maintains the file; someone else must approve"
    )
    func xen() {
        let contributor = Identity(name: "Contributor", email: "c@example.com")
        let one = Identity(name: "Committer One", email: "one@example.org")
        let policy = TagPolicy(preset: .xen)
        // A Reviewed-by of THE REST (with Xen's "# area") stands in for the ARM maintainer; the
        // committer does not sign off.
        let general = Self.evaluate(
            "xen/arm: fix\n\nSigned-off-by: Contributor <c@example.com>\nReviewed-by: Committer Two <two@example.org> # arm\n",
            files: ["xen/arch/arm/setup.c"], author: contributor, committer: one, policy: policy,
            maintainers: Self.xenMaintainers)
        #expect(Self.rules(general.findings) == [])
        #expect(general.approvals.map(\.reason) == [.generalMaintainer])
        #expect(general.approvals.first?.detail == "Reviewed-by, maintainer of THE REST")
        // A committer's own patch with only the release manager's ack: CHANGELOG.md is approved
        // by it, but nobody else reviewed the change.
        let own = Self.evaluate(
            "CHANGELOG: note it\n\nSigned-off-by: Committer One <one@example.org>\nRelease-Acked-by: Release Manager <rm@example.org>\n",
            files: ["CHANGELOG.md", "xen/arch/arm/setup.c"], author: one, committer: one, policy: policy,
            maintainers: Self.xenMaintainers)
        #expect(Self.rules(own.findings) == ["error review"])
        #expect(own.approvals.map(\.reason) == [.acked, .generalMaintainer])
        // The kernel's rules flag the unknown tag and the missing ARM ack.
        let linux = Self.evaluate(
            "CHANGELOG: note it\n\nSigned-off-by: Committer One <one@example.org>\nRelease-Acked-by: Release Manager <rm@example.org>\n",
            files: ["CHANGELOG.md", "xen/arch/arm/setup.c"], author: one, committer: one, policy: TagPolicy(),
            maintainers: Self.xenMaintainers)
        #expect(Self.rules(linux.findings) == ["error owner-ack", "error owner-ack", "warning unknown-tag"])
        // An ack whose address is mistyped names the mistake, as a warning.
        let typo = Self.evaluate(
            "xen/arm: fix\n\nSigned-off-by: Contributor <c@example.com>\nAcked-by: Arm Maintainer <arm@example.com>\n",
            files: ["xen/arch/arm/setup.c"], author: contributor, committer: contributor, policy: TagPolicy(),
            maintainers: Self.xenMaintainers)
        #expect(Self.rules(typo.findings) == ["warning owner-ack"])
        #expect(
            typo.findings.first?.message.hasSuffix(
                "the Acked-by of Arm Maintainer <arm@example.com> has the maintainer's name but not the address arm@example.org"
            )
                == true)
    }

    // MARK: U-Boot, QEMU, git

    @Test(
        "u-boot: a custodian passes a patch on without signing off; owner-ack is not asked; Fixes: problems are warnings"
    )
    func uBoot() {
        let author = Identity(name: "Board Vendor", email: "v@example.com")
        let custodian = Identity(name: "Custodian", email: "cust@example.org")
        let result = Self.evaluate(
            "board: fix\n\nFixes: 0123456789a (\"board: add\")\nSigned-off-by: Board Vendor <v@example.com>\n",
            files: ["board/x/y.c"], author: author, committer: custodian, policy: TagPolicy(preset: .uBoot),
            maintainers: "BOARD X\nM:\tBoard Keeper <keeper@example.org>\nS:\tMaintained\nF:\tboard/x/\n")
        #expect(Self.rules(result.findings) == ["warning fixes", "warning fixes"])
        #expect(result.approvals.isEmpty)
    }

    @Test("qemu: a reviewer of the area approves; the maintainer who sends the pull signs off")
    func qemu() {
        let author = Identity(name: "Dev", email: "dev@example.com")
        let maintainer = Identity(name: "Block Maintainer", email: "block@example.org")
        let maintainers =
            "Block layer core\nM: Block Maintainer <block@example.org>\nR: Block Reviewer <br@example.org>\nS: Supported\nF: block/\n"
        let reviewed = Self.evaluate(
            "block: fix\n\nResolves: https://gitlab.example.org/qemu/-/issues/1\nSigned-off-by: Dev <dev@example.com>\nReviewed-by: Block Reviewer <br@example.org>\nMessage-ID: <1@example.com>\nSigned-off-by: Block Maintainer <block@example.org>\n",
            files: ["block/io.c"], author: author, committer: maintainer, policy: TagPolicy(preset: .qemu),
            maintainers: maintainers)
        #expect(Self.rules(reviewed.findings) == [])
        #expect(reviewed.approvals.map(\.reason) == [.acked])
        let unsigned = Self.evaluate(
            "block: fix\n\nSigned-off-by: Dev <dev@example.com>\n", files: ["block/io.c"], author: author,
            committer: maintainer, policy: TagPolicy(preset: .qemu), maintainers: maintainers)
        #expect(Self.rules(unsigned.findings) == ["error signoff-committer"])
        // The maintainer's own sign-off is their approval (committer here).
        #expect(unsigned.approvals.map(\.reason) == [.committer])
    }

    @Test("git: trailers of the project's own making, the maintainer's sign-off, no Fixes: convention")
    func git() {
        let author = Identity(name: "Contributor", email: "c@example.com")
        let maintainer = Identity(name: "The Maintainer", email: "m@example.org")
        let message = """
            revision: fix a corner

            Helped-by: Helper <h@example.com>
            Mentored-by: Mentor <mentor@example.com>
            Fixes: abc
            Signed-off-by: Contributor <c@example.com>
            Signed-off-by: The Maintainer <m@example.org>
            """
        let result = Self.evaluate(
            message, files: ["revision.c"], author: author, committer: maintainer, policy: TagPolicy(preset: .git),
            maintainers: "")
        #expect(Self.rules(result.findings) == [])
        let unsigned = Self.evaluate(
            "revision: fix\n\nSigned-off-by: Contributor <c@example.com>\n", files: ["revision.c"], author: author,
            committer: maintainer, policy: TagPolicy(preset: .git), maintainers: "")
        #expect(Self.rules(unsigned.findings) == ["error signoff-committer"])
    }

    // MARK: The kernel's, and the policy file

    @Test(
        "linux: a maintainer who carried the patch approves it by signing off; an integration maintainer may change MAINTAINERS"
    )
    func linux() {
        let maintainers = """
            SLAB ALLOCATOR
            M:\tSlab Maintainer <slab@example.org>
            S:\tMaintained
            F:\tmm/slub.c

            MAINTAINERS FILE
            M:\tFile Keeper <keeper@example.org>
            S:\tMaintained
            F:\tMAINTAINERS
            """
        let author = Identity(name: "Ada Author", email: "ada@example.org")
        let integrator = Identity(name: "Integrator", email: "int@example.org")
        var policy = TagPolicy()
        policy.integrationMaintainers = [integrator]
        let result = Self.evaluate(
            "mm: fix\n\nSigned-off-by: Ada Author <ada@example.org>\nSigned-off-by: Slab Maintainer <slab@example.org>\nSigned-off-by: Integrator <int@example.org>\n",
            files: ["mm/slub.c", "MAINTAINERS"], author: author, committer: integrator, policy: policy,
            maintainers: maintainers)
        #expect(Self.rules(result.findings) == [])
        #expect(
            result.approvals.map { "\($0.reason.rawValue) \($0.approvedBy ?? "-")" } == [
                "signed-off Slab Maintainer <slab@example.org>", "integration-maintainer Integrator <int@example.org>",
            ])
        policy.maintainerSignoffApproves = false
        let strict = Self.evaluate(
            "mm: fix\n\nSigned-off-by: Ada Author <ada@example.org>\nSigned-off-by: Slab Maintainer <slab@example.org>\nSigned-off-by: Integrator <int@example.org>\n",
            files: ["mm/slub.c"], author: author, committer: integrator, policy: policy, maintainers: maintainers)
        #expect(Self.rules(strict.findings) == ["error owner-ack"])
    }

    @Test(
        "preset = NAME in a policy file is the starting point wherever it is written; a wrong name is answered with the closest"
    )
    func policyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trib-preset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("policy").path
        try
            "[policy]\n\towns = SLAB\n\treviewersCanAck = false\n\tpreset = qemu\n[rule \"review\"]\n\tseverity = error\n"
            .write(
                toFile: path, atomically: true, encoding: .utf8)
        let policy = try TagPolicy(config: ConfigFile(path: path))
        #expect(policy.preset == .qemu)
        #expect(policy.ownedSections == ["SLAB"])
        #expect(!policy.reviewersCanAck)
        #expect(policy.severity(of: .review) == .error)
        #expect(policy.severity(of: .reportedCloses) == .off)
        try "[policy]\n\tpreset = xne\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TributaryError.self) { try TagPolicy(config: ConfigFile(path: path)) }
        do {
            _ = try TagPolicy(config: ConfigFile(path: path))
        } catch {
            #expect("\(error)".contains("preset 'xne' is not a preset (did you mean \"xen\"?)"), "\(error)")
        }
    }
}
