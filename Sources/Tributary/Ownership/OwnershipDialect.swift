import Foundation

/// Which project's get_maintainer.pl `trib who` and the ownership rules answer like.
///
/// Projects that keep a kernel-style MAINTAINERS file carry their own copy of the kernel's script,
/// changed in small ways; each case names one such copy and the ways it answers differently from
/// the kernel's (Docs/who.md lists them with the script they were read from).
public enum OwnershipDialect: String, CaseIterable, Sendable, Codable {
    /// The kernel's scripts/get_maintainer.pl (0.26).
    case linux
    /// U-Boot's scripts/get_maintainer.pl: the kernel's, with its own chief penguin and its own
    /// `.get_maintainer.conf` (one MAINTAINERS file per board directory, read with
    /// `--find-maintainer-files`).
    case uBoot = "u-boot"
    /// Xen's scripts/get_maintainer.pl (0.26-xen): "THE REST" is left out when a file has a more
    /// specific maintainer, section names are cut at 20 characters, reviewers carry no section,
    /// `{a,b}` in F:/X: patterns, no duplicate removal, no `Fixes:` lookups.
    case xen

    /// What chose the dialect of an answer.
    public enum Choice: String, Sendable, Codable {
        /// `--dialect`.
        case option
        /// The manifest's `[ownership] dialect`.
        case manifest
        /// The tree told it (`detect`).
        case detected
        /// Nothing told it: the kernel's.
        case `default`
    }

    /// What the tree says about itself, when it says it plainly: a `V: xen-maintainers-N` line in
    /// THE REST (which Xen's script requires) is Xen; a `scripts/get_maintainer.pl` that calls its
    /// tree "a U-Boot source tree" is U-Boot. Nil when nothing tells.
    public static func detect(maintainers: MaintainersFile, script: String?) -> OwnershipDialect? {
        let theRest = maintainers.sections.first { $0.title == "THE REST" }
        if let theRest, theRest.values("V").contains(where: { $0.contains("xen-maintainers-") }) { return .xen }
        if let script {
            if script.contains("0.26-xen") { return .xen }
            if script.contains("a U-Boot source tree") { return .uBoot }
            if script.contains("a linux kernel source tree") { return .linux }
        }
        return nil
    }

    /// The longest section name a role shows whole; longer names are cut to three less, trailing
    /// spaces dropped, and `...` added.
    var sectionNameLimit: Int { self == .xen ? 20 : 50 }

    /// Whether an R: role names its section (`reviewer:SECTION`; Xen prints `reviewer`).
    var reviewerRoleNamesSection: Bool { self != .xen }

    /// Whether a person already listed by name or address is left out (`--remove-duplicates`,
    /// the kernel's default; Xen's default is off: only the same `Name <address>` is listed once).
    var removesDuplicatesByDefault: Bool { self != .xen }

    /// Whether L: values carry a qualifier (`moderated for non-subscribers`, `subscribers-only`)
    /// that decides the role. Xen's script reads the value with `parse_email`, which drops it.
    var readsListQualifiers: Bool { self != .xen }

    /// Whether F:/X: patterns expand `{a,b}` (Xen's bash-style braces, not nested).
    var expandsBraces: Bool { self == .xen }

    /// Whether "THE REST" people are left out when some file has a maintainer or supporter in
    /// another section, and kept only when a file is maintained by THE REST alone (Xen's
    /// `--drop_the_rest_supporter`, on by default).
    var dropsTheRest: Bool { self == .xen }

    /// Whether `--- /dev/null` names no file (Xen) or the file `dev/null` (the kernel).
    var skipsDevNull: Bool { self == .xen }

    /// Whether the script reads `Fixes:` lines and adds the people who signed the commit they
    /// name (`--fixes`, `blamed_fixes`).
    var readsFixes: Bool { self != .xen }

    /// Whether the script reads the people a YAML file names (`maintainers_in_file`).
    var readsFileAddresses: Bool { self != .xen }

    /// Whether the script reads `.get_maintainer.ignore` (Xen's copy predates it).
    var readsIgnoreFile: Bool { self != .xen }

    /// The script's built-in "chief penguins": left out of every answer and of `Fixes:` signers.
    public var chiefPenguins: [MaintainerAddress] {
        switch self {
        case .linux, .xen: [MaintainerAddress(name: "Linus Torvalds", address: "torvalds@linux-foundation.org")]
        case .uBoot: [MaintainerAddress(name: "Tom RINI", address: "trini@konsulko.com")]
        }
    }

    /// The chief penguins a script names (`push(@penguin_chief, "Name:address")` lines that are
    /// not commented out), for a project whose copy names someone else.
    public static func chiefPenguins(inScript script: String) -> [MaintainerAddress] {
        var found: [MaintainerAddress] = []
        for line in script.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("push(@penguin_chief,"), let open = trimmed.firstIndex(of: "\""),
                let close = trimmed[trimmed.index(after: open)...].firstIndex(of: "\"")
            else { continue }
            let entry = trimmed[trimmed.index(after: open)..<close].replacingOccurrences(of: "\\@", with: "@")
            guard let colon = entry.lastIndex(of: ":") else { continue }
            found.append(
                MaintainerAddress(
                    name: String(entry[..<colon]), address: String(entry[entry.index(after: colon)...])))
        }
        return found
    }
}
