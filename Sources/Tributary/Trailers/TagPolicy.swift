public import Git

/// What `trib check` requires: rule severities, which trailers count as acks, bots, and which
/// MAINTAINERS sections the checked tree owns.
///
/// Read from git-config syntax, in the manifest's `[policy]` section or a `--policy` file:
///
///     [policy]
///         ackTrailer = Acked-by          ; repeatable; default Acked-by and Reviewed-by
///         ackTrailer = Reviewed-by
///         reviewersCanAck = false        ; whether R: people satisfy owner-ack
///         ownerAckScope = deepest        ; deepest (most specific sections of each file) or all
///         bot = ci-bot@example.org       ; repeatable: identities whose trailers never satisfy
///         owns = SLAB ALLOCATOR          ; repeatable: sections the tree owns
///     [rule "owner-ack"]
///         severity = warning             ; error, warning or off
public struct TagPolicy: Sendable {
    public var severities: [TagRule: Severity] = [:]
    /// Trailer keys that satisfy owner-ack.
    public var ackTrailers: [String] = ["Acked-by", "Reviewed-by"]
    /// Whether R: reviewers of a section may give the ack, besides its M: maintainers.
    public var reviewersCanAck = false
    /// Which sections of a file require acks.
    public var ownerAckScope: OwnerAckScope = .deepest
    /// Identities (or bare addresses) of bots.
    public var bots: [Identity] = []
    /// Sections (by title) the checked tree owns: no ack is needed for them.
    public var ownedSections: Set<String> = []
    /// Tree URLs: sections whose T: line names one of them are owned too.
    public var treeURLs: [String] = []

    public enum OwnerAckScope: String, Sendable, Codable {
        /// For each file, only the matching sections of the greatest depth.
        case deepest
        /// Every matching section of each file.
        case all
    }

    /// An error in a policy file, naming the key at fault.
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    public init() {}

    public func severity(of rule: TagRule) -> Severity { severities[rule] ?? rule.defaultSeverity }

    /// Reads the `[policy]` and `[rule "…"]` entries of a git-config file.
    public init(config: ConfigFile) throws {
        self.init()
        let entries = try config.entries()
        var ackTrailers: [String] = []
        for entry in entries {
            let parts = entry.name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[0] == "policy" {
                switch parts[1] {
                case "acktrailer": ackTrailers.append(entry.value)
                case "reviewerscanack": reviewersCanAck = try Self.bool(entry, in: config)
                case "owneracksscope", "ownerackscope":
                    guard let scope = OwnerAckScope(rawValue: entry.value) else {
                        throw Error(
                            description:
                                "\(config.path): policy.ownerAckScope must be deepest or all, not '\(entry.value)'")
                    }
                    ownerAckScope = scope
                case "bot":
                    guard let identity = Identity.parse(entry.value) else {
                        throw Error(description: "\(config.path): policy.bot '\(entry.value)' is not an address")
                    }
                    bots.append(identity)
                case "owns": ownedSections.insert(entry.value)
                case "treeurl": treeURLs.append(entry.value)
                default: throw Error(description: "\(config.path): unknown policy key '\(entry.name)'")
                }
            } else if parts[0] == "rule" {
                let rest = parts[1]
                guard let dot = rest.lastIndex(of: ".") else { continue }
                let ruleName = String(rest[..<dot])
                let key = rest[rest.index(after: dot)...]
                guard let rule = TagRule(rawValue: ruleName) else {
                    throw Error(
                        description:
                            "\(config.path): unknown rule '\(ruleName)' (known: \(TagRule.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                guard key == "severity", let severity = Severity(rawValue: entry.value.lowercased()) else {
                    throw Error(
                        description:
                            "\(config.path): rule.\(ruleName).\(key) = \(entry.value): use severity = error, warning or off"
                    )
                }
                severities[rule] = severity
            }
        }
        if !ackTrailers.isEmpty { self.ackTrailers = ackTrailers }
    }

    private static func bool(_ entry: ConfigEntry, in config: ConfigFile) throws -> Bool {
        switch entry.value.lowercased() {
        case "true", "yes", "on", "1", "": return true
        case "false", "no", "off", "0": return false
        default: throw Error(description: "\(config.path): \(entry.name) must be true or false, not '\(entry.value)'")
        }
    }

    /// Whether `identity` is one of the bots.
    public func isBot(_ identity: Identity) -> Bool {
        bots.contains { IdentityMatcher.sameAddress($0.email, identity.email) }
    }
}
