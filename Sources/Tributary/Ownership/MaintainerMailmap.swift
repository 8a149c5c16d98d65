import Foundation

/// The `.mailmap` as get_maintainer.pl reads it for its answers (`read_mailmap`,
/// `mailmap_email`): exact, case-sensitive keys, looked up first by `Name <address>`, then by
/// address. (Tributary's identity matching uses git's mailmap rules instead; this type exists
/// so that `trib who` prints what get_maintainer.pl prints.)
public struct MaintainerMailmap: Sendable {
    private var names: [String: String] = [:]
    private var addresses: [String: String] = [:]

    public init() {}

    public init(contents: String) {
        for rawLine in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = rawLine.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            line = line.trimmingTrailingNewlines()
            guard !line.isEmpty else { continue }
            let brackets = Self.bracketed(line)
            switch brackets.count {
            case 1 where !brackets[0].before.trimmingCharacters(in: .whitespaces).isEmpty && brackets[0].after.isEmpty:
                // name1 <mail1>
                if let parsed = MaintainerAddress.parse(
                    "\(brackets[0].before.trimmingTrailing()) <\(brackets[0].inside)>")
                {
                    names[parsed.address] = parsed.name
                }
            case 2:
                let first = brackets[0]
                let second = brackets[1]
                let between = second.before
                let realName = first.before.trimmingTrailing()
                if realName.trimmingCharacters(in: .whitespaces).isEmpty
                    && between.trimmingCharacters(in: .whitespaces).isEmpty
                {
                    // <mail1> <mail2>
                    addresses[second.inside] = first.inside
                } else if between.trimmingCharacters(in: .whitespaces).isEmpty {
                    // name1 <mail1> <mail2>
                    if let parsed = MaintainerAddress.parse("\(realName) <\(first.inside)>") {
                        names[second.inside] = parsed.name
                        addresses[second.inside] = parsed.address
                    }
                } else if !realName.trimmingCharacters(in: .whitespaces).isEmpty {
                    // name1 <mail1> name2 <mail2>
                    guard let real = MaintainerAddress.parse("\(realName) <\(first.inside)>"),
                        let wrong = MaintainerAddress.parse(
                            "\(between.trimmingCharacters(in: .whitespaces)) <\(second.inside)>")
                    else { continue }
                    names[wrong.description] = real.name
                    addresses[wrong.description] = real.address
                }
            default: continue
            }
        }
    }

    /// `mailmap_email`: the mapped name and address.
    func map(_ person: MaintainerAddress) -> MaintainerAddress {
        let key = person.description
        var name = person.name
        var address = person.address
        if names[key] != nil || addresses[key] != nil {
            if let mapped = names[key] { name = mapped }
            if let mapped = addresses[key] { address = mapped }
        } else {
            if let mapped = names[person.address] { name = mapped }
            if let mapped = addresses[person.address] { address = mapped }
        }
        return MaintainerAddress(name: name, address: address)
    }

    /// The `<…>` groups of a line, each with the text before it (since the previous group) and
    /// after the last one.
    private static func bracketed(_ line: String) -> [(before: String, inside: String, after: String)] {
        var groups: [(before: String, inside: String, after: String)] = []
        var rest = Substring(line)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            groups.append((String(rest[..<open]), String(rest[rest.index(after: open)..<close]), ""))
            rest = rest[rest.index(after: close)...]
        }
        if !groups.isEmpty { groups[groups.count - 1].after = String(rest) }
        return groups
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var result = self
        while result.hasSuffix("\n") || result.hasSuffix("\r") { result.removeLast() }
        return result
    }
}
