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
    /// The preset the policy started from (`preset = NAME`); nil for the defaults (the kernel's).
    public var preset: TagPreset?
    /// Whether a section maintainer's own Signed-off-by in the chain (they applied or carried the
    /// patch) approves the commit for their section.
    public var maintainerSignoffApproves = true
    /// Whether an ack from the maintainers of a less specific section of a file (Xen's "a more
    /// general maintainer's Ack can stand in") approves it.
    public var generalMaintainersApprove = false
    /// How many paragraphs at the end of the message hold tags: 1 reads the trailers as git does;
    /// 2 also reads the paragraph above them when every line of it is a tag (DPDK writes
    /// `Fixes:`, `Bugzilla ID:` and `Cc: stable@dpdk.org` there).
    public var tagParagraphs = 1
    /// The keys that may follow a Reported-by with the report's URL (reported-closes).
    public var closesTrailers = ["Closes", "Link"]
    /// `*-by:` keys the project uses besides the kernel's (unknown-tag does not flag them).
    public var knownPersonKeys: [String] = []
    /// Whether a person trailer may end in a `# comment` after the address (Xen's
    /// `Reviewed-by: Name <address> # area`, the kernel's `Cc: <stable@…> # 6.1+`).
    public var addressComments = true
    /// Files of the whole project (`.mailmap`, MAINTAINERS files).
    public var projectFiles = [".mailmap", "MAINTAINERS"]
    /// Whether a change to a project file needs its section's ack; DPDK asks contributors to add
    /// themselves to `.mailmap` and MAINTAINERS in their own patches.
    public var projectFilesNeedAck = true
    /// Whether the committer approves what they apply when they maintain a tree: a MAINTAINERS
    /// entry with a T: line and no file patterns (DPDK's "Next-net Tree", "Main Branch").
    public var treeMaintainersApprove = false
    /// The integration tree's maintainers (`integrationMaintainer`, repeatable, in the manifest's
    /// `[policy]`): a commit they sign off, author or commit may change project files without
    /// per-section acks.
    public var integrationMaintainers: [Identity] = []

    public enum OwnerAckScope: String, Sendable, Codable {
        /// For each file, only the matching sections of the greatest depth.
        case deepest
        /// Every matching section of each file.
        case all
    }

    public init() {}

    /// The policy `preset` starts from.
    public init(preset: TagPreset) { self = preset.policy }

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
        // A preset is the starting point, wherever the file names it.
        for entry in try config.entries() where entry.name == "policy.preset" {
            try applyPreset(entry.value, source: "\(config.path): policy.")
        }
        for entry in try config.entries() where entry.name != "policy.preset" {
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
    public static let policyKeys = [
        "preset", "ackTrailer", "reviewersCanAck", "ownerAckScope", "bot", "owns", "treeUrl",
        "maintainerSignoffApproves",
        "generalMaintainersApprove", "tagParagraphs", "closesTrailer", "knownTag", "projectFile", "projectFilesNeedAck",
        "integrationMaintainer", "treeMaintainersApprove",
    ]

    /// Starts over from `name`'s preset, keeping what says which tree is checked (owned sections,
    /// tree URLs, bots, integration maintainers).
    public mutating func applyPreset(_ name: String, source: String) throws(TributaryError) {
        let names = TagPreset.allCases.map(\.rawValue)
        guard let preset = TagPreset(rawValue: name.lowercased()) else {
            throw TributaryError.badInput(
                "\(source)preset '\(name)' is not a preset\(Spelling.suggestion(for: name, among: names))"
                    + " (presets: \(names.joined(separator: ", ")))")
        }
        var fresh = preset.policy
        fresh.ownedSections = ownedSections
        fresh.treeURLs = treeURLs
        fresh.bots = bots
        fresh.integrationMaintainers = integrationMaintainers
        self = fresh
    }

    private static func boolean(_ value: String, _ key: String, _ source: String) throws(TributaryError) -> Bool {
        switch value.lowercased() {
        case "true", "yes", "on", "1", "": return true
        case "false", "no", "off", "0": return false
        default: throw TributaryError.badInput("\(source)\(key) must be true or false, not '\(value)'")
        }
    }

    /// Every key `apply(key:value:source:)` takes: the policy keys and the rule ids.
    public static var keys: [String] { policyKeys + TagRule.allCases.map(\.rawValue) }

    /// Applies one policy key: `ackTrailer` (adds one), `reviewersCanAck`, `ownerAckScope`, `bot`,
    /// `owns`, `treeUrl`, or a rule id whose value is a severity. Keys are compared without case,
    /// as git-config compares them. `source` prefixes error messages.
    public mutating func apply(key: String, value: String, source: String) throws(TributaryError) {
        switch key.lowercased() {
        case "acktrailer":
            if !ackTrailers.contains(value) { ackTrailers.append(value) }
        case "preset": try applyPreset(value, source: source)
        case "reviewerscanack": reviewersCanAck = try Self.boolean(value, key, source)
        case "maintainersignoffapproves": maintainerSignoffApproves = try Self.boolean(value, key, source)
        case "generalmaintainersapprove": generalMaintainersApprove = try Self.boolean(value, key, source)
        case "projectfilesneedack": projectFilesNeedAck = try Self.boolean(value, key, source)
        case "treemaintainersapprove": treeMaintainersApprove = try Self.boolean(value, key, source)
        case "tagparagraphs":
            guard let count = Int(value), (1...2).contains(count) else {
                throw TributaryError.badInput("\(source)\(key) must be 1 or 2, not '\(value)'")
            }
            tagParagraphs = count
        case "closestrailer": if !closesTrailers.contains(value) { closesTrailers.append(value) }
        case "knowntag": if !knownPersonKeys.contains(value) { knownPersonKeys.append(value) }
        case "projectfile": if !projectFiles.contains(value) { projectFiles.append(value) }
        case "integrationmaintainer":
            guard let identity = Identity.parse(value) else {
                throw TributaryError.badInput("\(source)integrationMaintainer '\(value)' is not an address")
            }
            if !integrationMaintainers.contains(identity) { integrationMaintainers.append(identity) }
        case "ownerackscope":
            guard let scope = OwnerAckScope(rawValue: value) else {
                throw TributaryError.badInput("\(source)\(key) must be deepest or all, not '\(value)'")
            }
            ownerAckScope = scope
        case "bot":
            guard let identity = Identity.parse(value) else {
                throw TributaryError.badInput("\(source)bot '\(value)' is not an address")
            }
            if !bots.contains(identity) { bots.append(identity) }
        case "owns": ownedSections.insert(value)
        case "treeurl": if !treeURLs.contains(value) { treeURLs.append(value) }
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
        let integration = integrationMaintainers.map { "\($0.name)<\($0.email)>" }.sorted().joined(separator: ",")
        return [
            "policy/2", rules, ackTrailers.joined(separator: ","), "\(reviewersCanAck)", ownerAckScope.rawValue, people,
            ownedSections.sorted().joined(separator: "\u{1}"), treeURLs.sorted().joined(separator: "\u{1}"),
            "\(maintainerSignoffApproves) \(generalMaintainersApprove) \(tagParagraphs) \(addressComments) \(treeMaintainersApprove)",
            closesTrailers.joined(separator: ","), knownPersonKeys.joined(separator: ","),
            projectFiles.joined(separator: ","), "\(projectFilesNeedAck)", integration,
        ].joined(separator: "\n")
    }

    /// Whether `identity` is one of the bots.
    public func isBot(_ identity: Identity) -> Bool {
        bots.contains { IdentityMatcher.sameAddress($0.email, identity.email) }
    }
}
