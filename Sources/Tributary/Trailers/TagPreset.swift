/// A project's own rules for commit tags, as its documentation writes them: `[policy] preset =
/// NAME`. A preset sets the starting point; every key of the policy file and the manifest can
/// still change any of it (Docs/policy.md has the table, with each project's document cited).
public enum TagPreset: String, CaseIterable, Sendable, Codable {
    /// The kernel's Documentation/process/submitting-patches.rst (the defaults).
    case linux
    /// DPDK's doc/guides/contributing/patches.rst and devtools/check-git-log.sh.
    case dpdk
    /// Xen's MAINTAINERS ("Check-in policy", "The meaning of nesting") and
    /// docs/process/sending-patches.pandoc.
    case xen
    /// U-Boot's doc/develop/process.rst and sending_patches.rst.
    case uBoot = "u-boot"
    /// QEMU's docs/devel/submitting-a-patch.rst.
    case qemu
    /// git's Documentation/SubmittingPatches.
    case git

    /// The policy this preset starts from.
    public var policy: TagPolicy {
        var policy = TagPolicy()
        policy.preset = self
        switch self {
        case .linux:
            break
        case .dpdk:
            // Tree maintainers apply patches as they are, without a sign-off of their own; fixes
            // carry `Fixes:`, `Bugzilla ID:` and `Cc: stable@dpdk.org` in a paragraph above the
            // sign-offs; component maintainers ack.
            policy.severities[.signoffCommitter] = .off
            policy.severities[.reportedCloses] = .off
            policy.severities[.ownerAck] = .warning
            policy.tagParagraphs = 2
            policy.closesTrailers = ["Bugzilla ID"]
            // "If you are a new contributor … you may update the .mailmap file"; "add your name
            // to the MAINTAINERS file" with new files.
            policy.projectFilesNeedAck = false
            // A tree's maintainer (an entry of "General Project Administration" with a T: line
            // and no files) approves what they apply.
            policy.treeMaintainersApprove = true
        case .xen:
            // An Ack (or a maintainer's Reviewed-by) of the most specific maintainer of each file;
            // a more general maintainer may stand in; a maintainer's own Signed-off-by approves;
            // and someone other than the author approves every change. Committers do not sign off.
            policy.severities[.signoffCommitter] = .off
            policy.severities[.reportedCloses] = .off
            policy.severities[.review] = .error
            policy.generalMaintainersApprove = true
            // The release manager's ack is an ack where they maintain the file (CHANGELOG.md).
            policy.ackTrailers = ["Acked-by", "Reviewed-by", "Release-Acked-by"]
            policy.knownPersonKeys = ["Release-Acked-by", "Requested-by", "Assisted-by"]
            policy.closesTrailers = ["Resolves"]
            policy.addressComments = true
        case .uBoot:
            // Custodians pick up what falls in their area and do not sign off a patch they pass
            // on unchanged; board maintainers are asked by Cc, not for acks.
            policy.severities[.signoffCommitter] = .off
            policy.severities[.reportedCloses] = .off
            policy.severities[.ownerAck] = .off
            policy.severities[.fixes] = .warning
        case .qemu:
            // Maintainers sign off what they send in a pull request; `Resolves:` closes a GitLab
            // issue; reviews come from the area's maintainers and reviewers.
            policy.severities[.reportedCloses] = .off
            policy.severities[.ownerAck] = .warning
            policy.reviewersCanAck = true
            policy.closesTrailers = ["Resolves"]
            policy.knownPersonKeys = ["Based-on-patch-by"]
        case .git:
            // No MAINTAINERS; the maintainer signs off every commit he applies; trailers of one's
            // own making are welcome; no `Fixes:` convention.
            policy.severities[.ownerAck] = .off
            policy.severities[.fixes] = .off
            policy.severities[.reportedCloses] = .off
            policy.severities[.codevelop] = .off
            policy.severities[.unknownTag] = .off
            policy.knownPersonKeys = [
                "Helped-by", "Mentored-by", "Based-on-patch-by", "Co-authored-by", "Assisted-by", "Noticed-by",
                "Original-patch-by", "Thanks-to", "Improved-by", "Pointed-out-by",
            ]
        }
        return policy
    }
}
