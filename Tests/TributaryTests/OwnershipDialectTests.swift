import Foundation
import Testing
import Tributary

/// The dialects' rules, each on a MAINTAINERS written the way that project writes it. The
/// answers are the ones the projects' own scripts give; `ProjectMaintainerDifferentialTests`
/// compares them with the scripts themselves on the projects' trees.
struct OwnershipDialectTests {
    /// Xen's way: THE REST with its version line, short section names cut at 20 characters,
    /// braces in patterns, a reviewer, a person under two spellings.
    static let xenMaintainers = """
        ARM (W/ VIRTUALISATION EXTENSIONS) ARCHITECTURE
        M:\tStefano Example <stefano@example.org>
        R:\tBertrand Example <bertrand@example.org>
        S:\tSupported
        L:\txen-devel@lists.example.org (moderated for non-subscribers)
        F:\txen/arch/arm/

        KEXEC
        M:\tAndrew Example <andrew@example.org>
        S:\tSupported
        F:\txen/common/{kexec,kimage}.c

        THE REST
        M:\tAndrew Example <andrew@example.org>
        M:\tStefano Example <stefano@example.org>
        M:\tJan Example <jan@example.org>
        M:\tjan example <jan@example.net>
        L:\txen-devel@lists.example.org
        S:\tSupported
        F:\t*
        F:\t*/
        V:\txen-maintainers-1

        """

    static func xenLookup() -> MaintainerLookup {
        let file = MaintainersFile(contents: xenMaintainers)
        #expect(OwnershipDialect.detect(maintainers: file, script: nil) == .xen)
        return MaintainerLookup(index: OwnershipIndex(file, dialect: .xen), dialect: .xen)
    }

    @Test("Xen: THE REST is left out when a file has its own maintainer, kept for a file only THE REST maintains")
    func xenTheRest() {
        let lookup = Self.xenLookup()
        #expect(
            lookup.answer(paths: ["xen/arch/arm/setup.c"]).recipients.map(\.line) == [
                "Stefano Example <stefano@example.org> (supporter:ARM (W/ VIRTUALIS...)",
                "Bertrand Example <bertrand@example.org> (reviewer)",
                "xen-devel@lists.example.org (open list:ARM (W/ VIRTUALIS...)",
            ])
        // A file nobody else maintains keeps THE REST, and so does a patch touching one; the
        // person spelled two ways is listed twice (no duplicate removal by default).
        let rest = [
            "Andrew Example <andrew@example.org> (supporter:THE REST)",
            "Stefano Example <stefano@example.org> (supporter:THE REST)",
            "Jan Example <jan@example.org> (supporter:THE REST)",
            "jan example <jan@example.net> (supporter:THE REST)",
            "xen-devel@lists.example.org (open list)",
        ]
        #expect(lookup.answer(paths: ["README"]).recipients.map(\.line) == rest)
        #expect(
            lookup.answer(paths: ["xen/arch/arm/setup.c", "README"]).recipients.map(\.line) == [
                "Stefano Example <stefano@example.org> (supporter:ARM (W/ VIRTUALIS...)",
                "Bertrand Example <bertrand@example.org> (reviewer)",
                "Andrew Example <andrew@example.org> (supporter:THE REST)",
                "Jan Example <jan@example.org> (supporter:THE REST)",
                "jan example <jan@example.net> (supporter:THE REST)",
                "xen-devel@lists.example.org (open list:ARM (W/ VIRTUALIS...)",
            ])
    }

    @Test("Xen: {a,b} in a pattern, and --- /dev/null names no file")
    func xenBracesAndNewFiles() {
        let lookup = Self.xenLookup()
        #expect(
            lookup.answer(paths: ["xen/common/kimage.c"]).recipients.first?.line
                == "Andrew Example <andrew@example.org> (supporter:KEXEC)")
        #expect(lookup.answer(paths: ["xen/common/kexec.c"]).paths[0].sections.map(\.section.title).first == "KEXEC")
        #expect(lookup.answer(paths: ["xen/common/kimage.h"]).paths[0].sections.map(\.section.title) == ["THE REST"])
        let patch = """
            Subject: [PATCH] arm: add a file

            Fixes: 0123456789ab ("not read by Xen's script")
            ---
            diff --git a/xen/arch/arm/new.c b/xen/arch/arm/new.c
            new file mode 100644
            --- /dev/null
            +++ b/xen/arch/arm/new.c
            @@ -0,0 +1 @@
            +int x;

            """
        let answer = lookup.answer(patch: patch) { _ in
            Issue.record("Xen's script reads no Fixes: tags")
            return FixesCommit(id: "", commit: nil, signatureLines: [])
        }
        #expect(answer.paths.map(\.path) == ["xen/arch/arm/new.c"])
        #expect(answer.fixes.isEmpty)
        // The kernel's script takes `--- /dev/null` for the file dev/null.
        #expect(PatchPaths(patch: patch).paths == ["dev/null", "xen/arch/arm/new.c"])
        #expect(PatchPaths(patch: patch).fixes == ["0123456789ab"])
    }

    @Test("detection: Xen by THE REST's V: line or its script's version, U-Boot by its script; else nothing")
    func detection() {
        let plain = MaintainersFile(contents: "THE REST\nM:\tA <a@example.org>\nS:\tMaintained\nF:\t*\n")
        #expect(OwnershipDialect.detect(maintainers: plain, script: nil) == nil)
        #expect(OwnershipDialect.detect(maintainers: plain, script: "my $V = '0.26-xen';\n") == .xen)
        #expect(
            OwnershipDialect.detect(
                maintainers: plain,
                script: "die \"$P: The current directory does not appear to be \"\n\t. \"a U-Boot source tree.\\n\";")
                == .uBoot)
        let script = """
            my @penguin_chief = ();
            push(@penguin_chief, "Tom RINI:trini\\@konsulko.com");
            #push(@penguin_chief, "Andrew Morton:akpm\\@linux-foundation.org");
            """
        #expect(
            OwnershipDialect.chiefPenguins(inScript: script)
                == [MaintainerAddress(name: "Tom RINI", address: "trini@konsulko.com")])
    }

    @Test(
        "a MAINTAINERS that writes no S: line at all (DPDK's) has maintained sections; one that does, only those it says"
    )
    func sectionsWithoutStatus() {
        let dpdk = MaintainersFile(
            contents: "Intel ice\nM: Ice Maintainer <ice@example.com>\nF: drivers/net/intel/ice/\n")
        #expect(OwnershipIndex(dpdk).isOwned("drivers/net/intel/ice/ice_rxtx.c"))
        #expect(
            MaintainerLookup(index: OwnershipIndex(dpdk)).answer(paths: ["drivers/net/intel/ice/a.c"]).recipients.map(
                \.line)
                == ["Ice Maintainer <ice@example.com> (unknown:Intel ice)"])
        let mixed = MaintainersFile(
            contents:
                "Intel ice\nM: Ice Maintainer <ice@example.com>\nF: drivers/net/intel/ice/\n\nOTHER\nM: O <o@example.org>\nS: Maintained\nF: other/\n"
        )
        #expect(!OwnershipIndex(mixed).isOwned("drivers/net/intel/ice/ice_rxtx.c"))
        #expect(OwnershipIndex(mixed).isOwned("other/x.c"))
    }

    @Test("U-Boot: its chief penguin is left out of Fixes: signers by name, any case")
    func uBootChief() {
        let file = MaintainersFile(
            contents:
                "THE REST\nM:\tTom Rini <trini@konsulko.com>\nL:\tu-boot@lists.example.org\nS:\tMaintained\nF:\t*\nF:\t*/\n"
        )
        let lookup = MaintainerLookup(index: OwnershipIndex(file), dialect: .uBoot)
        let patch =
            "Subject: [PATCH] fix\n\nFixes: 0123456789ab\n---\n--- a/README\n+++ b/README\n@@ -1 +1 @@\n-a\n+b\n"
        let fixed = FixesCommit(
            id: "0123456789ab", commit: nil,
            signatureLines: [
                "Signed-off-by: Ada Author <ada@example.org>", "Signed-off-by: Tom Rini <trini@konsulko.com>",
            ])
        // Tom Rini stays as THE REST's maintainer: the script's chief is spelled "Tom RINI", and
        // its removal of the chief from the answer is case-sensitive; from the signers it is not.
        #expect(
            lookup.answer(patch: patch) { _ in fixed }.recipients.map(\.line) == [
                "Tom Rini <trini@konsulko.com> (maintainer:THE REST)",
                "Ada Author <ada@example.org> (blamed_fixes:1/1=100%)",
                "u-boot@lists.example.org (open list)",
            ])
    }
}
