/// One line of get_maintainer.pl's answer: a person or a list, and why.
public struct MaintainerRecipient: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case maintainer, reviewer, list
    }

    /// `Name <address>` for people (the name quoted as get_maintainer.pl quotes it), the bare
    /// address for lists.
    public var address: String
    /// The role as get_maintainer.pl's `--roles` prints it: `maintainer:SECTION`,
    /// `supporter:SECTION`, `odd fixer:SECTION`, `reviewer:SECTION`, `open list:SECTION`,
    /// `moderated list:SECTION`, `open list` (THE REST).
    public var role: String
    public var kind: Kind
    /// The section the role comes from.
    public var section: String

    /// `address (role)`, as `get_maintainer.pl --roles` prints it.
    public var line: String { "\(address) (\(role))" }
}

/// Builds get_maintainer.pl's list of people and lists from matched sections: people first
/// (M: and R: of each section, sections deepest first), then lists; a person already listed (by
/// name or address, ignoring case) is not listed again; lists that are subscribers-only are left
/// out; names and addresses go through the kernel's `.mailmap` as the script reads it.
public struct MaintainerRecipients {
    public var mailmap: MaintainerMailmap
    /// People left out of every answer, as `Name <address>`: get_maintainer.pl leaves out its
    /// "chief penguin" unless asked (`--git-chief-penguins`).
    public var omittedPeople: [String]

    /// get_maintainer.pl's built-in list of people it leaves out.
    public static let getMaintainerOmitted = ["Linus Torvalds <torvalds@linux-foundation.org>"]

    public init(mailmap: MaintainerMailmap = MaintainerMailmap(), omittedPeople: [String] = Self.getMaintainerOmitted) {
        self.mailmap = mailmap
        self.omittedPeople = omittedPeople
    }

    public func recipients(for sections: [MaintainersSection]) -> [MaintainerRecipient] {
        var people: [MaintainerRecipient] = []
        var lists: [MaintainerRecipient] = []
        var namesInUse = Set<String>()
        var addressesInUse = Set<String>()
        var listsInUse = Set<String>()
        for section in sections {
            for field in section.fields {
                switch field.kind {
                case "L":
                    let parts = field.value.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
                    let address = parts.first.map(String.init) ?? ""
                    let additional = parts.count > 1 ? String(parts[1]) : ""
                    if additional.contains("subscribers-only") { continue }
                    guard !address.isEmpty, listsInUse.insert(address.lowercased()).inserted else { continue }
                    let listRole = section.title == "THE REST" ? "" : ":" + Self.displayName(of: section)
                    let role = (additional.contains("moderated") ? "moderated list" : "open list") + listRole
                    lists.append(MaintainerRecipient(address: address, role: role, kind: .list, section: section.title))
                case "M", "R":
                    let role =
                        field.kind == "M"
                        ? Self.maintainerRole(of: section) : "reviewer:" + Self.displayName(of: section)
                    for person in MaintainerAddress.parseList(field.value) {
                        let name = person.name.lowercased()
                        let address = person.address.lowercased()
                        if !name.isEmpty && namesInUse.contains(name) || addressesInUse.contains(address) { continue }
                        if !name.isEmpty { namesInUse.insert(name) }
                        addressesInUse.insert(address)
                        people.append(
                            MaintainerRecipient(
                                address: person.description, role: role,
                                kind: field.kind == "M" ? .maintainer : .reviewer,
                                section: section.title))
                    }
                default: break
                }
            }
        }
        people.removeAll { person in omittedPeople.contains { person.address.contains($0) } }
        return deduplicated(people + lists)
    }

    /// get_maintainer.pl's role word for an M: line, from the section's last S: line.
    static func maintainerRole(of section: MaintainersSection) -> String {
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
        return word + ":" + displayName(of: section)
    }

    /// The section title as roles show it: get_maintainer.pl cuts titles longer than 50
    /// characters to 47, drops trailing spaces and adds `...` (`get_subsystem_name`).
    static func displayName(of section: MaintainersSection) -> String {
        // Perl counts and cuts bytes here.
        let bytes = Array(section.title.utf8)
        guard bytes.count > 50 else { return section.title }
        var cut = Array(bytes.prefix(47))
        while let last = cut.last, last == 0x20 || last == 0x09 { cut.removeLast() }
        return String(decoding: cut, as: UTF8.self) + "..."
    }

    /// `deduplicate_email` then `merge_email`: map through the mailmap, fold entries whose name
    /// or address was seen before into the first form, and keep the first of equal addresses.
    private func deduplicated(_ entries: [MaintainerRecipient]) -> [MaintainerRecipient] {
        var byName: [String: MaintainerAddress] = [:]
        var byAddress: [String: MaintainerAddress] = [:]
        var seen = Set<String>()
        var result: [MaintainerRecipient] = []
        for var entry in entries {
            guard var parsed = MaintainerAddress.parse(entry.address) else { continue }
            parsed = mailmap.map(parsed)
            if !parsed.name.isEmpty, let known = byName[parsed.name.lowercased()] {
                parsed = known
            } else if let known = byAddress[parsed.address.lowercased()] {
                parsed = known
            } else {
                byName[parsed.name.lowercased()] = parsed
                byAddress[parsed.address.lowercased()] = parsed
            }
            parsed = mailmap.map(parsed)
            entry.address = parsed.description
            if seen.insert(entry.address).inserted { result.append(entry) }
        }
        return result
    }
}
