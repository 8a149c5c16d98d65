public import Git

/// What the Fixes: rule learns about a hash from the repository.
public enum FixesTarget: Sendable {
    case notFound
    case ambiguous
    /// The target commit, its subject (git's `%s`: the first paragraph, joined), whether it is an
    /// ancestor of the checked commit, and the first line of its message when that differs from
    /// the subject.
    case found(id: ObjectID, subject: String, isAncestor: Bool, firstLine: String? = nil)
}

/// The facts about one commit that the rules look at.
public struct CommitTagFacts: Sendable {
    public var id: ObjectID
    public var subject: String
    public var author: Identity
    public var committer: Identity
    public var trailers: [Trailer]
    /// The paths the commit changes (old and new paths of renames).
    public var files: [String]
    /// For each file, the MAINTAINERS sections that match it, deepest first.
    public var sections: [String: [SectionMatch]]
    /// The whole message, when known: its Signed-off-by lines outside the trailer block (a
    /// committer's note in a paragraph of its own can leave the author's sign-off above it) count
    /// for the sign-off rules, as checkpatch reads every line; they are read only when the
    /// trailers lack one the rules need.
    public var message: String?
    /// The MAINTAINERS entries in force that name a tree and no files, for
    /// `treeMaintainersApprove`.
    public var treeEntries: [MaintainersSection] = []

    public init(
        id: ObjectID, subject: String, author: Identity, committer: Identity, trailers: [Trailer], files: [String],
        sections: [String: [SectionMatch]]
    ) {
        self.id = id
        self.subject = subject
        self.author = author
        self.committer = committer
        self.trailers = trailers
        self.files = files
        self.sections = sections
    }
}

/// Applies the tag rules of SEMANTICS §4 to one commit.
public struct CommitTagChecker: Sendable {
    public var policy: TagPolicy
    public var identities: IdentityMatcher

    public init(policy: TagPolicy, identities: IdentityMatcher = IdentityMatcher()) {
        self.policy = policy
        self.identities = identities
    }

    /// Keys of person trailers that checkpatch and the kernel's documentation know.
    public static let knownPersonKeys = [
        "Signed-off-by", "Co-developed-by", "Acked-by", "Reviewed-by", "Tested-by", "Reported-by", "Suggested-by",
        "Requested-by", "Reported-and-tested-by", "Debugged-by", "Bisected-by", "Originally-by", "Cc", "Helped-by",
        "Assisted-by",
    ]

    static let knownPersonKeysLowercased = Set(knownPersonKeys.map { $0.lowercased() })

    /// The findings for `facts`; `fixesTarget` resolves a Fixes: hash in the repository.
    public func findings(for facts: CommitTagFacts, fixesTarget: (String) -> FixesTarget) -> [TagFinding] {
        evaluate(facts, fixesTarget: fixesTarget).findings
    }

    /// `value` without a `# comment` after its address (`Name <address> # area`).
    static func withoutComment(_ value: String) -> String {
        guard value.utf8.contains(UInt8(ascii: "#")), let close = value.lastIndex(of: ">") ?? value.firstIndex(of: "@"),
            let hash = value[close...].firstIndex(of: "#")
        else { return value }
        return value[..<hash].trimmingTrailing().description
    }

    /// The findings for `facts`, and how each MAINTAINERS section it touches was approved.
    public func evaluate(_ facts: CommitTagFacts, fixesTarget: (String) -> FixesTarget) -> (
        findings: [TagFinding], approvals: [OwnerApproval]
    ) {
        var findings = Findings(policy: policy)
        // Each trailer's person, parsed once.
        let people = facts.trailers.map {
            Identity.parse(policy.addressComments ? Self.withoutComment($0.value) : $0.value)
        }
        func persons(_ key: String) -> [Identity] {
            zip(facts.trailers, people).compactMap { $0.hasKey(key) ? $1 : nil }
        }
        var signoffs = persons("Signed-off-by")
        if let message = facts.message, !signsOff(facts, signoffs) {
            signoffs += Self.signoffLines(in: message, besides: facts.trailers)
        }
        signoffFindings(facts, signoffs: signoffs, into: &findings)
        codevelopFindings(facts, people: people, into: &findings)
        for trailer in facts.trailers where trailer.hasKey("Fixes") {
            checkFixes(trailer, commit: facts.id, target: fixesTarget, into: &findings)
        }
        // reported-closes
        for (index, trailer) in facts.trailers.enumerated() where trailer.hasKey("Reported-by") {
            let next = index + 1 < facts.trailers.count ? facts.trailers[index + 1] : nil
            let closes =
                next.map { next in policy.closesTrailers.contains { next.hasKey($0) } && Self.isURL(next.value) }
                ?? false
            if !closes {
                findings.add(
                    .reportedCloses,
                    "Reported-by should be immediately followed by "
                        + policy.closesTrailers.map { "\($0):" }.joined(separator: " or ")
                        + " with the URL of the report",
                    trailer: trailer.line ?? trailer.description)
            }
        }
        // link
        let hasPostingLink = facts.trailers.contains {
            ($0.hasKey("Link") && Self.isURL($0.value) && $0.value.utf8.contains(UInt8(ascii: "@")))
                || $0.hasKey("Message-ID")
        }
        if !hasPostingLink {
            findings.add(
                .link, "no Link: to the posting (a message-id URL such as https://patch.msgid.link/<message-id>)")
        }
        // review
        let reviews = persons("Reviewed-by") + persons("Acked-by")
        if !reviews.contains(where: { !policy.isBot($0) && !identities.isSamePerson($0, facts.author) }) {
            findings.add(.review, "no Reviewed-by or Acked-by from anyone but the author")
        }
        let owners = ownerAck(facts, people: people)
        findings.list += owners.findings
        trailerFindings(facts.trailers, people: people, into: &findings)
        return (findings.list, owners.approvals)
    }

    /// Findings collected for one commit, each at the lower of the severity asked for and the
    /// policy's; rules the policy turns off are left out.
    struct Findings {
        let policy: TagPolicy
        var list: [TagFinding] = []

        mutating func add(
            _ rule: TagRule, _ message: String, severity: Severity? = nil, files: [String] = [],
            sections: [String] = [], people: [String] = [], trailer: String? = nil
        ) {
            let level = min(severity ?? policy.severity(of: rule), policy.severity(of: rule))
            guard level != .off else { return }
            list.append(
                TagFinding(
                    rule: rule, severity: level, message: message, files: files, sections: sections, people: people,
                    trailer: trailer))
        }
    }

    /// Whether the author and the committer both sign off among `signoffs`.
    private func signsOff(_ facts: CommitTagFacts, _ signoffs: [Identity]) -> Bool {
        signoffs.contains { identities.match($0, facts.author) == .same }
            && signoffs.contains { identities.match($0, facts.committer) == .same }
    }

    /// The people of `Signed-off-by:` lines of `message` that are not among `trailers`.
    static func signoffLines(in message: String, besides trailers: [Trailer]) -> [Identity] {
        let known = Set(trailers.compactMap(\.line))
        return message.split(separator: "\n").compactMap { line in
            let text = line.drop { $0 == " " || $0 == "\t" }
            guard text.count > 14, text.prefix(14).lowercased() == "signed-off-by:", !known.contains(String(line))
            else {
                return nil
            }
            return Identity.parse(String(text.dropFirst(14)))
        }
    }

    /// signoff-author, and signoff-committer (the author's sign-off covers a committer who is the
    /// author).
    private func signoffFindings(_ facts: CommitTagFacts, signoffs: [Identity], into findings: inout Findings) {
        if signoffs.isEmpty {
            findings.add(.signoffAuthor, "no Signed-off-by at all; the author \(facts.author) must sign off")
        } else {
            checkSignoff(of: facts.author, role: "author", signoffs: signoffs, rule: .signoffAuthor, into: &findings)
        }
        if !identities.isSamePerson(facts.committer, facts.author) {
            if signoffs.isEmpty {
                findings.add(.signoffCommitter, "no Signed-off-by from the committer \(facts.committer)")
            } else {
                checkSignoff(
                    of: facts.committer, role: "committer", signoffs: signoffs, rule: .signoffCommitter,
                    into: &findings)
            }
        }
    }

    /// codevelop: each Co-developed-by is followed by the same person's Signed-off-by and does not
    /// name the author.
    private func codevelopFindings(_ facts: CommitTagFacts, people: [Identity?], into findings: inout Findings) {
        let trailers = facts.trailers
        for (index, trailer) in trailers.enumerated() where trailer.hasKey("Co-developed-by") {
            let written = trailer.line ?? trailer.description
            guard let person = people[index] else { continue }
            if identities.match(person, facts.author) == .same {
                findings.add(
                    .codevelop, "Co-developed-by names the author \(facts.author); the author is credited already",
                    trailer: written)
            }
            let next = index + 1 < trailers.count ? trailers[index + 1] : nil
            if let next, next.hasKey("Signed-off-by"), let signer = people[index + 1] {
                if identities.match(signer, person) != .same {
                    findings.add(
                        .codevelop,
                        "Co-developed-by \(person) is followed by the Signed-off-by of someone else (\(signer))",
                        trailer: written)
                }
            } else {
                findings.add(
                    .codevelop, "Co-developed-by \(person) must be immediately followed by their Signed-off-by",
                    trailer: written)
            }
        }
    }

    /// Warnings on the trailers themselves: given twice, a person without an address, an unknown
    /// `*-by:` key, whitespace around the colon.
    private func trailerFindings(_ trailers: [Trailer], people: [Identity?], into findings: inout Findings) {
        var seen = Set<String>()
        for (index, trailer) in trailers.enumerated() {
            let written = trailer.line ?? trailer.description
            // checkpatch's rule: the same line once whitespace is removed, ignoring case.
            var normalizedBytes: [UInt8] = []
            normalizedBytes.reserveCapacity(trailer.key.utf8.count + trailer.value.utf8.count + 1)
            for byte in trailer.key.utf8 where byte != 0x20 && byte != 0x09 {
                normalizedBytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
            }
            normalizedBytes.append(UInt8(ascii: ":"))
            for byte in trailer.value.utf8 where byte != 0x20 && byte != 0x09 {
                normalizedBytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
            }
            if !seen.insert(String(decoding: normalizedBytes, as: UTF8.self)).inserted {
                findings.add(.duplicateTrailer, "\(trailer.key) is given twice", trailer: written)
            }
            let loweredKey = trailer.key.lowercased()
            let isPersonKey = loweredKey.hasSuffix("-by")
            // `Assisted-by:` names a tool (`AGENT:MODEL`), not a person.
            if isPersonKey, people[index] == nil, loweredKey != "assisted-by" {
                findings.add(
                    .malformedAddress, "\(trailer.key) has no well-formed e-mail address: '\(trailer.value)'",
                    trailer: written)
            }
            if isPersonKey, !Self.knownPersonKeysLowercased.contains(loweredKey),
                !policy.knownPersonKeys.contains(where: { $0.lowercased() == loweredKey })
            {
                let suggestion = (Self.knownPersonKeys + policy.knownPersonKeys).min {
                    Self.editDistance($0.lowercased(), trailer.key.lowercased())
                        < Self.editDistance($1.lowercased(), trailer.key.lowercased())
                }
                let near = suggestion.map { Self.editDistance($0.lowercased(), trailer.key.lowercased()) <= 2 } ?? false
                findings.add(
                    .unknownTag, "unknown tag '\(trailer.key):'" + (near ? "; did you mean '\(suggestion!):'?" : ""),
                    trailer: written)
            }
            if let line = trailer.line, let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) {
                let beforeColon = line[..<colon]
                let afterColon = line[line.index(after: colon)...]
                if beforeColon.last?.isWhitespace == true || (!afterColon.isEmpty && !afterColon.hasPrefix(" "))
                    || afterColon.hasPrefix("  ")
                    || line.last?.isWhitespace == true
                {
                    findings.add(.trailerWhitespace, "write '\(trailer.key): \(trailer.value)'", trailer: line)
                }
            }
        }
    }

    private func checkSignoff(
        of person: Identity, role: String, signoffs: [Identity], rule: TagRule, into findings: inout Findings
    ) {
        let best = signoffs.map { identities.match($0, person) }.max() ?? .different
        switch best {
        case .same:
            let nameMatches = signoffs.contains {
                identities.match($0, person) == .same
                    && IdentityMatcher.sameName(identities.canonical($0).name, identities.canonical(person).name)
            }
            if !nameMatches {
                findings.add(
                    rule, "the \(role)'s Signed-off-by has the address of \(person) but another name",
                    severity: .warning)
            }
        case .nameOnly:
            findings.add(rule, "the \(role) \(person) signs off with another address", severity: .warning)
        case .different:
            findings.add(rule, "no Signed-off-by from the \(role) \(person)")
        }
    }

    private func checkFixes(
        _ trailer: Trailer, commit: ObjectID, target: (String) -> FixesTarget, into findings: inout Findings
    ) {
        let written = trailer.line ?? trailer.description
        func report(_ message: String) { findings.add(.fixes, message, trailer: written) }
        if trailer.key != "Fixes" { report("write the key as 'Fixes:'") }
        if let line = trailer.line, !line.hasPrefix(trailer.key + ": ") || line.hasPrefix(trailer.key + ":  ") {
            report("write one space after 'Fixes:'")
        }
        let value = trailer.value
        let hash = String(value.prefix { $0.isHexDigit })
        guard !hash.isEmpty else {
            report("Fixes: must start with the hash of the commit it fixes")
            return
        }
        if hash != hash.lowercased() { report("write the hash in lower case") }
        if hash.count < 12 { report("the hash \(hash) has \(hash.count) digits; use at least 12") }
        let rest = value.dropFirst(hash.count)
        let quoted = rest.hasPrefix(" (\"") && rest.hasSuffix("\")")
        if !quoted { report("write the subject as (\"subject\") after the hash, with one space before it") }
        switch target(hash.lowercased()) {
        case .notFound: report("the commit \(hash) does not exist in this repository")
        case .ambiguous: report("the hash \(hash) names more than one object; use more digits")
        case .found(let id, let subject, let isAncestor, let firstLine):
            if !isAncestor { report("\(id.abbreviated()) (\"\(subject)\") is not an ancestor of this commit") }
            if quoted {
                let given = String(rest.dropFirst(3).dropLast(2))
                // A message whose first paragraph runs on (old histories) is quoted by its first
                // line; a subject quoted without its final period is a warning.
                if given == subject || given == firstLine {
                } else if given + "." == subject || given + "." == firstLine {
                    findings.add(
                        .fixes, "the subject given drops the final '.' of \(id.abbreviated()): \"\(subject)\"",
                        severity: .warning, trailer: written)
                } else {
                    report("the subject given, \"\(given)\", is not the subject of \(id.abbreviated()): \"\(subject)\"")
                }
            }
        }
    }

    /// owner-ack: for every section the commit touches that its tree does not own, an approval
    /// from one of its maintainers — an approval trailer, or, as the policy allows, their own
    /// Signed-off-by, their being the author or committer, a more general section's maintainer's
    /// ack, or a project file changed as the policy lets it be. The findings, and how each
    /// section was decided.
    func ownerAck(_ facts: CommitTagFacts, people parsed: [Identity?]) -> (
        findings: [TagFinding], approvals: [OwnerApproval]
    ) {
        let severity = policy.severity(of: .ownerAck)
        guard severity != .off else { return ([], []) }
        var filesBySection: [String: [String]] = [:]
        var sectionByTitle: [String: MaintainersSection] = [:]
        var generalByTitle: [String: [MaintainersSection]] = [:]
        var order: [String] = []
        for file in facts.files {
            let matches = facts.sections[file] ?? []
            let relevant: [SectionMatch]
            switch policy.ownerAckScope {
            case .all: relevant = matches
            case .deepest:
                // The most specific sections of the file; when those have no maintainer (an
                // orphan area), nobody is asked.
                let top = matches.first?.depth
                relevant = matches.filter { $0.depth == top }
            }
            for match in relevant where Self.requiresAck(match.section) {
                let title = match.section.title
                if sectionByTitle[title] == nil {
                    sectionByTitle[title] = match.section
                    order.append(title)
                }
                if filesBySection[title]?.contains(file) != true { filesBySection[title, default: []].append(file) }
                if policy.generalMaintainersApprove {
                    let general = matches.filter { $0.depth < match.depth }.map(\.section)
                    generalByTitle[title, default: []] += general.filter {
                        !generalByTitle[title, default: []].contains($0)
                    }
                }
            }
        }
        let approvers = zip(facts.trailers, parsed).compactMap { trailer, person -> (Trailer, Identity)? in
            guard let person, policy.ackTrailers.contains(where: { trailer.hasKey($0) }), !policy.isBot(person) else {
                return nil
            }
            return (trailer, person)
        }
        let signers = zip(facts.trailers, parsed).compactMap { $0.hasKey("Signed-off-by") ? $1 : nil }
        var findings: [TagFinding] = []
        var approvals: [OwnerApproval] = []
        for title in order {
            guard let section = sectionByTitle[title] else { continue }
            let files = filesBySection[title]!
            if let approval = approval(
                of: section, files: files, facts, approvers: approvers, signers: signers,
                general: generalByTitle[title] ?? [])
            {
                approvals.append(approval)
                continue
            }
            approvals.append(OwnerApproval(section: title, files: files, approvedBy: nil, reason: .missing))
            let keys = policy.ackTrailers.joined(separator: " or ")
            var message = "touches \(title) (\(files.joined(separator: ", "))) without \(keys) from its maintainers"
            var level = severity
            // An approval from someone with a maintainer's name but another address is most often
            // a mistyped address: said, and only a warning.
            let people = approverIdentities(of: section)
            if let (trailer, person) = approvers.first(where: { approver in
                people.contains { identities.match($0, approver.1) == .nameOnly }
            }), let maintainer = people.first(where: { identities.match($0, person) == .nameOnly }) {
                message +=
                    "; the \(trailer.key) of \(person) has the maintainer's name but not the address \(maintainer.email)"
                level = min(level, .warning)
            }
            findings.append(
                TagFinding(
                    rule: .ownerAck, severity: level, message: message, files: files, sections: [title],
                    people: policy.reviewersCanAck
                        ? section.maintainerLines + section.reviewerLines : section.maintainerLines))
        }
        return (findings, approvals)
    }

    /// The first way `section` is approved, in the order of the reasons' strength; nil when it is
    /// not.
    private func approval(
        of section: MaintainersSection, files: [String], _ facts: CommitTagFacts,
        approvers: [(Trailer, Identity)], signers: [Identity], general: [MaintainersSection]
    ) -> OwnerApproval? {
        let title = section.title
        func approved(_ person: Identity?, _ reason: OwnerApproval.Reason, _ detail: String? = nil) -> OwnerApproval {
            OwnerApproval(section: title, files: files, approvedBy: person?.description, reason: reason, detail: detail)
        }
        if isOwned(section) { return approved(nil, .owned) }
        let people = approverIdentities(of: section)
        func isOne(_ person: Identity) -> Bool { people.contains { identities.isSamePerson($0, person) } }
        if let (trailer, person) = approvers.first(where: { isOne($0.1) }) {
            return approved(person, .acked, trailer.key)
        }
        if isOne(facts.author) { return approved(facts.author, .author) }
        if isOne(facts.committer) { return approved(facts.committer, .committer) }
        if policy.maintainerSignoffApproves, let signer = signers.first(where: isOne) {
            return approved(signer, .signedOff)
        }
        if policy.treeMaintainersApprove,
            let tree = facts.treeEntries.first(where: { entry in
                entry.maintainerIdentities.contains { identities.isSamePerson($0, facts.committer) }
            })
        {
            return approved(facts.committer, .treeMaintainer, tree.title)
        }
        if policy.generalMaintainersApprove {
            // THE REST counts here: in Xen it lists the committers, whose ack stands in. A general
            // maintainer's own sign-off (as author or carrier, not as committer) stands in as
            // their ack would.
            let involved = [facts.author] + signers
            for outer in general where outer.hasMaintainer {
                let outerPeople = approverIdentities(of: outer)
                func isOuter(_ person: Identity) -> Bool {
                    outerPeople.contains { identities.isSamePerson($0, person) }
                }
                if let person = involved.first(where: isOuter) {
                    return approved(person, .generalMaintainer, "signed off, maintainer of \(outer.title)")
                }
                if let (trailer, person) = approvers.first(where: { isOuter($0.1) }) {
                    return approved(person, .generalMaintainer, "\(trailer.key), maintainer of \(outer.title)")
                }
            }
        }
        if files.allSatisfy(isProjectFile) {
            if !policy.projectFilesNeedAck { return approved(nil, .projectFile) }
            let involved = [facts.author, facts.committer] + signers
            if let person = involved.first(where: { person in
                policy.integrationMaintainers.contains { identities.isSamePerson($0, person) }
            }) {
                return approved(person, .integrationMaintainer)
            }
        }
        return nil
    }

    /// The people whose approval counts for `section`: its maintainers, and its reviewers when
    /// the policy lets them.
    private func approverIdentities(of section: MaintainersSection) -> [Identity] {
        policy.reviewersCanAck
            ? section.maintainerIdentities + section.reviewerIdentities : section.maintainerIdentities
    }

    /// Whether `path` is one of the policy's project files: a name without `/` is that file in
    /// any directory; one with `/` a pattern of the path (`*` within one directory).
    func isProjectFile(_ path: String) -> Bool {
        let name =
            path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[path.utf8.index(after: $0)...]) } ?? path
        return policy.projectFiles.contains { file in
            file.utf8.contains(UInt8(ascii: "/")) ? PathPattern(file).matches(path) : file == name
        }
    }

    /// Sections with no M: and the catch-all THE REST never require an ack.
    static func requiresAck(_ section: MaintainersSection) -> Bool {
        section.hasMaintainer && section.title != "THE REST"
    }

    /// Owned by the tree: named in the policy (or the group heading it is under), or its T: line
    /// names one of the tree's URLs (the same repository, however reached: `RepositoryURL`).
    func isOwned(_ section: MaintainersSection) -> Bool {
        if policy.ownedSections.contains(section.title) { return true }
        if let heading = section.heading, policy.ownedSections.contains(heading) { return true }
        return section.values("T").contains { scm in
            policy.treeURLs.contains { url in scm.split(separator: " ").contains { RepositoryURL.same(String($0), url) }
            }
        }
    }

    static func isURL(_ value: String) -> Bool { value.hasPrefix("https://") || value.hasPrefix("http://") }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
