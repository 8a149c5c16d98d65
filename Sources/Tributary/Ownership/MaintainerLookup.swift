/// `trib who`: who maintains, reviews and hears about a set of paths or a patch, with
/// get_maintainer.pl's answer — the answer of the project's own copy of the script (its dialect)
/// under the project's `.get_maintainer.conf`.
public struct MaintainerLookup: Sendable {
    public let index: OwnershipIndex
    public let mailmap: MaintainerMailmap
    public var dialect: OwnershipDialect
    public var configuration: GetMaintainerConfiguration
    /// The people the script leaves out (its chief penguins), as `Name <address>`.
    public var omittedPeople: [String]
    /// What chose the dialect.
    public var dialectChosenBy = OwnershipDialect.Choice.default

    public init(
        index: OwnershipIndex, mailmap: MaintainerMailmap = MaintainerMailmap(), dialect: OwnershipDialect = .linux,
        configuration: GetMaintainerConfiguration = GetMaintainerConfiguration(), omittedPeople: [String]? = nil
    ) {
        self.index = index
        self.mailmap = configuration.usesMailmap ? mailmap : MaintainerMailmap()
        self.dialect = dialect
        self.configuration = configuration
        self.omittedPeople = omittedPeople ?? dialect.chiefPenguins.map(\.description)
    }

    /// The answer for one path or patch.
    public struct Answer: Sendable {
        /// The paths asked about (for a patch, the ones it touches), each with its sections.
        public var paths: [(path: String, sections: [SectionMatch], isOwned: Bool)]
        /// Sections matched by K: keywords in the patch.
        public var keywordSections: [MaintainersSection]
        /// The commits the patch's `Fixes:` tags name, whose signers the answer lists.
        public var fixes: [FixesCommit] = []
        /// The people and lists, as get_maintainer.pl lists them.
        public var recipients: [MaintainerRecipient]

        /// Paths that no maintained section with a maintainer covers at their depth.
        public var unownedPaths: [String] { paths.filter { !$0.isOwned }.map(\.path) }
    }

    private var recipientBuilder: MaintainerRecipients {
        MaintainerRecipients(
            mailmap: mailmap, omittedPeople: omittedPeople, dialect: dialect, configuration: configuration)
    }

    /// The answer for these paths, in the order given (get_maintainer.pl's `-f PATH...`).
    /// `readFile` gives a path's contents at the top of the tree (nil when there is no such
    /// file): the script matches K: keywords against each file's text and takes the people a
    /// YAML file names.
    public func answer(paths: [String], readFile: ((String) -> [UInt8]?)? = nil) -> Answer {
        let matched = paths.map { path in Self.row(path, index.ownership(of: path)) }
        let sections = matched.flatMap { $0.1.map(\.section) }
        var keywords: [MaintainersSection] = []
        if configuration.matchesKeywords, let readFile {
            let texts = paths.filter { $0 != "MAINTAINERS" }.compactMap(readFile).map {
                String(decoding: $0, as: UTF8.self)
            }
            keywords = index.keywordSections(for: texts)
        }
        return Answer(
            paths: matched, keywordSections: keywords,
            recipients: recipientBuilder.recipients(
                for: sections, keywords: keywords, keepsTheRest: keepsTheRest(matched),
                namedInFiles: namedInFiles(paths, readFile)))
    }

    /// The answer for a patch: the paths it touches, the sections its K: keywords match, the
    /// people its YAML files name (read with `readFile`, as the script reads them from the
    /// disk), and the signers of the commits its `Fixes:` tags name (`fixes` looks an id up;
    /// without it, none).
    public func answer(
        patch: String, fixes lookUp: ((String) -> FixesCommit)? = nil, readFile: ((String) -> [UInt8]?)? = nil
    ) -> Answer {
        let parsed = PatchPaths(patch: patch, dialect: dialect)
        let matched = parsed.paths.map { path in Self.row(path, index.ownership(of: path)) }
        let keywords = configuration.matchesKeywords ? index.keywordSections(for: parsed.keywordLines) : []
        let fixes = configuration.readsFixes ? parsed.fixes.compactMap { lookUp?($0) } : []
        return Answer(
            paths: matched, keywordSections: keywords, fixes: fixes,
            recipients: recipientBuilder.recipients(
                for: matched.flatMap { $0.1.map(\.section) }, keywords: keywords,
                keepsTheRest: keepsTheRest(matched), namedInFiles: namedInFiles(parsed.paths, readFile),
                fixes: fixes))
    }

    /// `maintainers_in_file` over `paths`: the people the files that are read name.
    private func namedInFiles(_ paths: [String], _ readFile: ((String) -> [UInt8]?)?) -> [MaintainerAddress] {
        guard dialect.readsFileAddresses, let readFile else { return [] }
        return paths.filter { FileAddresses.isRead($0, fileEmails: configuration.readsFileEmails) }.flatMap {
            path in readFile(path).map(FileAddresses.people(in:)) ?? []
        }
    }

    /// Whether some path is maintained by THE REST alone (every section it matched, if any, has
    /// THE REST's supporter role), which keeps THE REST in a dialect that otherwise drops it.
    private func keepsTheRest(_ matched: [(path: String, sections: [SectionMatch], isOwned: Bool)]) -> Bool {
        guard dialect.dropsTheRest else { return true }
        return matched.contains { row in
            row.sections.allSatisfy {
                MaintainerRecipients.maintainerRole(of: $0.section, dialect) == "supporter:THE REST"
            }
        }
    }

    private static func row(
        _ path: String, _ ownership: (sections: [SectionMatch], isOwned: Bool)
    ) -> (path: String, sections: [SectionMatch], isOwned: Bool) {
        (path, ownership.sections, ownership.isOwned)
    }
}
