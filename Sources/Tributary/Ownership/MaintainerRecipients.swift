/// One line of get_maintainer.pl's answer: a person or a list, and why.
public struct MaintainerRecipient: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// An M: person, a reviewer (R:), a list (L:), a person who signed a commit that a
        /// `Fixes:` tag names, or a person a file names itself (a YAML binding's
        /// `maintainers:`), when in no section.
        case maintainer, reviewer, list, signer, file
    }

    /// `Name <address>` for people (the name quoted as get_maintainer.pl quotes it), the bare
    /// address for lists.
    public var address: String
    /// The role as get_maintainer.pl's `--roles` prints it: `maintainer:SECTION`,
    /// `supporter:SECTION`, `odd fixer:SECTION`, `reviewer:SECTION`, `open list:SECTION`,
    /// `moderated list:SECTION`, `open list` (THE REST), `in file`, `blamed_fixes:1/1=100%`, or
    /// several of them joined by commas.
    public var role: String
    public var kind: Kind
    /// The section the first role comes from; empty for a signer and a person named in a file.
    public var section: String
    /// The `Fixes:` commits this person signed, when the answer lists them for it.
    public var blamedFixes: [String]?

    public init(address: String, role: String, kind: Kind, section: String, blamedFixes: [String]? = nil) {
        self.address = address
        self.role = role
        self.kind = kind
        self.section = section
        self.blamedFixes = blamedFixes
    }

    /// `address (role)`, as `get_maintainer.pl --roles` prints it.
    public var line: String { "\(address) (\(role))" }
}

/// Builds get_maintainer.pl's list of people and lists from matched sections: people first
/// (M: and R: of each section, sections deepest first), then the signers of `Fixes:` commits,
/// then lists; a person already listed (by name or address, ignoring case) is not listed again;
/// lists that are subscribers-only are left out; names and addresses go through the tree's
/// `.mailmap` as the script reads it. What differs between projects' scripts comes from the
/// dialect; what a project's `.get_maintainer.conf` changes, from the configuration.
public struct MaintainerRecipients {
    public var mailmap: MaintainerMailmap
    /// People left out of every answer, as `Name <address>`: get_maintainer.pl leaves out its
    /// "chief penguin" unless asked (`--git-chief-penguins`).
    public var omittedPeople: [String]
    public var dialect: OwnershipDialect
    public var configuration: GetMaintainerConfiguration

    public init(
        mailmap: MaintainerMailmap = MaintainerMailmap(), omittedPeople: [String]? = nil,
        dialect: OwnershipDialect = .linux, configuration: GetMaintainerConfiguration = GetMaintainerConfiguration()
    ) {
        self.mailmap = mailmap
        self.dialect = dialect
        self.configuration = configuration
        self.omittedPeople = omittedPeople ?? dialect.chiefPenguins.map(\.description)
    }

    /// The answer for the sections the paths matched, then the sections K: keywords matched, then
    /// the people the files name themselves (`FileAddresses`), then the signers of the `Fixes:`
    /// commits. `keepsTheRest` says that some path is maintained by THE REST alone (for the
    /// dialects that otherwise leave THE REST out).
    public func recipients(
        for sections: [MaintainersSection], keywords: [MaintainersSection] = [], keepsTheRest: Bool = true,
        namedInFiles: [MaintainerAddress] = [], fixes: [FixesCommit] = []
    ) -> [MaintainerRecipient] {
        var list = RecipientList(
            removesDuplicates: configuration.removesDuplicates ?? dialect.removesDuplicatesByDefault)
        for section in sections { add(section, to: &list) }
        if dialect.dropsTheRest && !keepsTheRest { list.dropTheRest() }
        for section in keywords { add(section, to: &list) }
        var deduplicator = Deduplicator(mailmap: mailmap, folds: list.removesDuplicates)
        for index in list.people.indices { list.people[index].address = deduplicator.apply(list.people[index].address) }
        for index in list.lists.indices { list.lists[index].address = deduplicator.apply(list.lists[index].address) }
        if !configuration.keepsChiefPenguins {
            list.people.removeAll { person in omittedPeople.contains { person.address.contains($0) } }
        }
        for person in namedInFiles {
            list.pushWithRole(mailmap.map(person), role: "in file", kind: .file, commit: nil)
        }
        if configuration.readsFixes && dialect.readsFixes {
            for fix in fixes { assign(fix, to: &list, deduplicator: &deduplicator) }
        }
        var seen = Set<String>()
        return (list.people + list.lists).filter { seen.insert($0.address).inserted }
    }

    /// `add_categories`: the section's lists, maintainers and reviewers.
    private func add(_ section: MaintainersSection, to list: inout RecipientList) {
        for field in section.fields {
            switch field.kind {
            case "L" where configuration.listsLists || configuration.listsSubscriberLists:
                addList(field.value, of: section, to: &list)
            case "M" where configuration.listsMaintainers:
                for person in ParseMemo.shared.addresses(field.value) {
                    list.push(person, role: Self.maintainerRole(of: section, dialect), kind: .maintainer, section)
                }
            case "R" where configuration.listsReviewers:
                let role =
                    dialect.reviewerRoleNamesSection ? "reviewer:" + Self.displayName(of: section, dialect) : "reviewer"
                for person in ParseMemo.shared.addresses(field.value) {
                    list.push(person, role: role, kind: .reviewer, section)
                }
            default: break
            }
        }
    }

    private func addList(_ value: String, of section: MaintainersSection, to list: inout RecipientList) {
        var address: String
        var additional = ""
        if dialect.readsListQualifiers {
            let parts = value.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            address = parts.first.map(String.init) ?? ""
            additional = parts.count > 1 ? String(parts[1]) : ""
        } else {
            address = MaintainerAddress.parse(value)?.address ?? ""
        }
        guard !address.isEmpty else { return }
        let listRole = section.title == "THE REST" ? "" : ":" + Self.displayName(of: section, dialect)
        let role: String
        if additional.contains("subscribers-only") {
            guard configuration.listsSubscriberLists else { return }
            role = "subscriber list" + listRole
        } else if additional.contains("moderated") {
            guard configuration.listsLists && configuration.listsModeratedLists else { return }
            role = "moderated list" + listRole
        } else {
            guard configuration.listsLists else { return }
            role = "open list" + listRole
        }
        guard list.listsInUse.insert(address.lowercased()).inserted else { return }
        list.lists.append(MaintainerRecipient(address: address, role: role, kind: .list, section: section.title))
    }

    /// `vcs_add_commit_signers` and `vcs_assign`: the people who signed a `Fixes:` commit, most
    /// signatures first (equal counts in byte order: the script's order there is Perl's hash
    /// order), at most `--git-max-maintainers` of them, each added to the answer or, when
    /// already in it, given the role as well.
    private func assign(_ fix: FixesCommit, to list: inout RecipientList, deduplicator: inout Deduplicator) {
        let chiefs = dialect.chiefPenguins.map { $0.plainName.lowercased() }
        var lines: [String] = []
        for line in fix.signatureLines where !chiefs.contains(where: { line.lowercased().contains($0) }) {
            // `s/\s*.*:\s*(.+)\s*/$1/`: what follows the last colon.
            guard let colon = line.lastIndex(of: ":") else { continue }
            let value = String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
            guard let person = MaintainerAddress.parse(value) else { continue }
            let once = deduplicator.apply(person.description)
            let twice = deduplicator.apply(once)
            guard let mapped = MaintainerAddress.parse(twice).map(mailmap.map) else { continue }
            lines.append(mapped.description)
        }
        var counts: [String: Int] = [:]
        for line in lines { counts[line, default: 0] += 1 }
        let ordered = counts.keys.sorted {
            counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : Array($0.utf8).lexicographicallyPrecedes($1.utf8)
        }
        var taken = 0
        for line in ordered {
            let signatures = counts[line]!
            if configuration.ignoredPeople.contains(line) { continue }
            taken += 1
            let percent = min(100, signatures * 100)
            if signatures < configuration.minimumSignatures || taken > configuration.maximumMaintainers
                || percent < configuration.minimumPercent
            {
                break
            }
            guard let person = MaintainerAddress.parse(line) else { continue }
            let role = configuration.printsRoleStatistics ? "blamed_fixes:\(signatures)/1=\(percent)%" : "blamed_fixes"
            list.pushWithRole(person, role: role, kind: .signer, commit: fix.id)
        }
    }

    /// get_maintainer.pl's role word for an M: line, from the section's last S: line.
    static func maintainerRole(of section: MaintainersSection, _ dialect: OwnershipDialect = .linux) -> String {
        let status = (section.status ?? "unknown").lowercased()
        let word =
            switch status {
            case "supported": "supporter"
            case "maintained": "maintainer"
            case "odd fixes": "odd fixer"
            case "orphan": "orphan minder"
            case "obsolete": "obsolete minder"
            case "buried alive in reporters": "chief penguin"
            default: status
            }
        return word + ":" + displayName(of: section, dialect)
    }

    /// The section title as roles show it: get_maintainer.pl cuts titles longer than the
    /// dialect's limit (50 characters; Xen's 20) to three less, drops trailing spaces and adds
    /// `...` (`get_subsystem_name`).
    static func displayName(of section: MaintainersSection, _ dialect: OwnershipDialect = .linux) -> String {
        // Perl counts and cuts bytes here.
        let bytes = Array(section.title.utf8)
        let limit = dialect.sectionNameLimit
        guard bytes.count > limit else { return section.title }
        var cut = Array(bytes.prefix(limit - 3))
        while let last = cut.last, last == 0x20 || last == 0x09 { cut.removeLast() }
        return String(decoding: cut, as: UTF8.self) + "..."
    }
}

/// The people and lists gathered so far (`@email_to`, `@list_to`), with the names and addresses
/// in use.
private struct RecipientList {
    var removesDuplicates: Bool
    var people: [MaintainerRecipient] = []
    var lists: [MaintainerRecipient] = []
    var namesInUse = Set<String>()
    var addressesInUse = Set<String>()
    var listsInUse = Set<String>()

    init(removesDuplicates: Bool) { self.removesDuplicates = removesDuplicates }

    /// `push_email_address`: true when the person was added.
    @discardableResult
    mutating func push(
        _ person: MaintainerAddress, role: String, kind: MaintainerRecipient.Kind, _ section: MaintainersSection?
    ) -> Bool {
        let name = person.name.lowercased()
        let address = person.address.lowercased()
        if removesDuplicates {
            if !name.isEmpty && namesInUse.contains(name) || addressesInUse.contains(address) { return false }
            if !name.isEmpty { namesInUse.insert(name) }
            addressesInUse.insert(address)
        }
        people.append(
            MaintainerRecipient(address: person.description, role: role, kind: kind, section: section?.title ?? ""))
        return true
    }

    /// `push_email_address($line, '')` then `add_role`: a person is added when not in use, and
    /// every entry with the same name or address (or, without duplicate removal, the same
    /// `Name <address>`) takes the role unless it has it; `commit` is the `Fixes:` id it is for.
    mutating func pushWithRole(
        _ person: MaintainerAddress, role: String, kind: MaintainerRecipient.Kind, commit: String?
    ) {
        if push(person, role: "", kind: kind, nil), commit != nil { people[people.count - 1].blamedFixes = [] }
        for index in people.indices {
            guard let entry = MaintainerAddress.parse(people[index].address) else { continue }
            let same =
                removesDuplicates
                ? entry.plainName == person.plainName || entry.address == person.address
                : people[index].address == person.description
            guard same, !people[index].role.contains(role) else { continue }
            people[index].role = people[index].role.isEmpty ? role : people[index].role + "," + role
            if let commit { people[index].blamedFixes = (people[index].blamedFixes ?? []) + [commit] }
        }
    }

    /// Xen's `--drop_the_rest_supporter`: when some person has a role other than THE REST's
    /// and a reviewer's, THE REST's people go.
    mutating func dropTheRest() {
        guard people.count > 1 else { return }
        let theRest = "supporter:THE REST"
        guard people.contains(where: { $0.role != theRest && $0.role != "reviewer" }) else { return }
        people.removeAll { $0.role == theRest }
    }
}

/// `deduplicate_email`: through the mailmap, then, when duplicates are removed, folded into the
/// first form seen with the same name or address, then through the mailmap again.
private struct Deduplicator {
    let mailmap: MaintainerMailmap
    let folds: Bool
    var byName: [String: MaintainerAddress] = [:]
    var byAddress: [String: MaintainerAddress] = [:]

    init(mailmap: MaintainerMailmap, folds: Bool) {
        self.mailmap = mailmap
        self.folds = folds
    }

    mutating func apply(_ text: String) -> String {
        guard var parsed = MaintainerAddress.parse(text) else { return text }
        parsed = mailmap.map(parsed)
        guard folds else { return parsed.description }
        if !parsed.name.isEmpty, let known = byName[parsed.name.lowercased()] {
            parsed = known
        } else if let known = byAddress[parsed.address.lowercased()] {
            parsed = known
        } else {
            byName[parsed.name.lowercased()] = parsed
            byAddress[parsed.address.lowercased()] = parsed
        }
        return mailmap.map(parsed).description
    }
}
