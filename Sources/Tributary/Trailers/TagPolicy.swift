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

    public init() {}

    public func severity(of rule: TagRule) -> Severity { severities[rule] ?? rule.defaultSeverity }

    /// Reads the `[policy]` and `[rule "…"]` entries of a git-config file; an unknown key or a
    /// bad value is `badInput` naming the file and key.
    public init(config: ConfigFile) throws {
        self.init()
        try apply(config)
    }

    /// Applies the `[policy]` and `[rule "…"]` entries of a git-config file on top of this policy:
    /// what the file sets wins (its `ackTrailer` lines, when it has some, replace the list), what
    /// it does not set is kept.
    public mutating func apply(_ config: ConfigFile) throws {
        var ackTrailers: [String] = []
        for entry in try config.entries() {
            let parts = entry.name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[0] == "policy" {
                if parts[1] == "acktrailer" {
                    ackTrailers.append(entry.value)
                } else {
                    try apply(key: parts[1], value: entry.value, source: "\(config.path): policy.")
                }
            } else if parts[0] == "rule" {
                let rest = parts[1]
                guard let dot = rest.lastIndex(of: ".") else { continue }
                let ruleName = String(rest[..<dot])
                let key = rest[rest.index(after: dot)...]
                guard key == "severity" else {
                    throw TributaryError.badInput(
                        "\(config.path): rule.\(ruleName).\(key) = \(entry.value): use severity = error, warning or off"
                    )
                }
                try apply(key: ruleName, value: entry.value, source: "\(config.path): rule ")
            }
        }
        if !ackTrailers.isEmpty { self.ackTrailers = ackTrailers }
    }

    /// The keys of `[policy]` other than rule ids, spelled as the documentation spells them.
    public static let policyKeys = ["ackTrailer", "reviewersCanAck", "ownerAckScope", "bot", "owns", "treeUrl"]

    /// Every key `apply(key:value:source:)` takes: the policy keys and the rule ids.
    public static var keys: [String] { policyKeys + TagRule.allCases.map(\.rawValue) }

    /// Applies one policy key: `ackTrailer` (adds one), `reviewersCanAck`, `ownerAckScope`, `bot`,
    /// `owns`, `treeUrl`, or a rule id whose value is a severity. Keys are compared without case,
    /// as git-config compares them. `source` prefixes error messages.
    public mutating func apply(key: String, value: String, source: String) throws(TributaryError) {
        switch key.lowercased() {
        case "acktrailer":
            if !ackTrailers.contains(value) { ackTrailers.append(value) }
        case "reviewerscanack":
            switch value.lowercased() {
            case "true", "yes", "on", "1", "": reviewersCanAck = true
            case "false", "no", "off", "0": reviewersCanAck = false
            default: throw TributaryError.badInput("\(source)\(key) must be true or false, not '\(value)'")
            }
        case "ownerackscope":
            guard let scope = OwnerAckScope(rawValue: value) else {
                throw TributaryError.badInput("\(source)\(key) must be deepest or all, not '\(value)'")
            }
            ownerAckScope = scope
        case "bot":
            guard let identity = Identity.parse(value) else {
                throw TributaryError.badInput("\(source)bot '\(value)' is not an address")
            }
            bots.append(identity)
        case "owns": ownedSections.insert(value)
        case "treeurl": treeURLs.append(value)
        default:
            guard let rule = TagRule(rawValue: key.lowercased()) else {
                throw TributaryError.badInput(
                    "\(source)\(key): unknown key\(Spelling.suggestion(for: key, among: Self.keys))"
                        + " (policy keys: \(Self.policyKeys.joined(separator: ", ")); rules: \(TagRule.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            guard let severity = Severity(rawValue: value.lowercased()) else {
                throw TributaryError.badInput("\(source)\(key) = \(value): a severity is error, warning or off")
            }
            severities[rule] = severity
        }
    }

    /// A text that differs whenever the policy would judge a commit differently: the key under
    /// which findings are kept in the index.
    public var fingerprint: String {
        let rules = TagRule.allCases.map { "\($0.rawValue)=\(severity(of: $0).rawValue)" }.joined(separator: ",")
        let people = bots.map { "\($0.name)<\($0.email)>" }.sorted().joined(separator: ",")
        return [
            "policy/1", rules, ackTrailers.joined(separator: ","), "\(reviewersCanAck)", ownerAckScope.rawValue, people,
            ownedSections.sorted().joined(separator: "\u{1}"), treeURLs.sorted().joined(separator: "\u{1}"),
        ].joined(separator: "\n")
    }

    /// Whether `identity` is one of the bots.
    public func isBot(_ identity: Identity) -> Bool {
        bots.contains { IdentityMatcher.sameAddress($0.email, identity.email) }
    }
}
