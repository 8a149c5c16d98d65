/// `trib who`: who maintains, reviews and hears about a set of paths or a patch, with
/// get_maintainer.pl's answer.
public struct MaintainerLookup: Sendable {
    public let index: OwnershipIndex
    public let mailmap: MaintainerMailmap

    public init(index: OwnershipIndex, mailmap: MaintainerMailmap = MaintainerMailmap()) {
        self.index = index
        self.mailmap = mailmap
    }

    /// The answer for one path or patch.
    public struct Answer: Sendable {
        /// The paths asked about (for a patch, the ones it touches), each with its sections.
        public var paths: [(path: String, sections: [SectionMatch], isOwned: Bool)]
        /// Sections matched by K: keywords in the patch.
        public var keywordSections: [MaintainersSection]
        /// The people and lists, as get_maintainer.pl lists them.
        public var recipients: [MaintainerRecipient]

        /// Paths that no maintained section with a maintainer covers at their depth.
        public var unownedPaths: [String] { paths.filter { !$0.isOwned }.map(\.path) }
    }

    /// The answer for these paths, in the order given (get_maintainer.pl's `-f PATH...`).
    public func answer(paths: [String]) -> Answer {
        let matched = paths.map { path in Self.row(path, index.ownership(of: path)) }
        let sections = matched.flatMap { $0.1.map(\.section) }
        return Answer(
            paths: matched, keywordSections: [],
            recipients: MaintainerRecipients(mailmap: mailmap).recipients(for: sections))
    }

    /// The answer for a patch: the paths it touches, and the sections its K: keywords match.
    public func answer(patch: String) -> Answer {
        let parsed = PatchPaths(patch: patch)
        let matched = parsed.paths.map { path in Self.row(path, index.ownership(of: path)) }
        let keywords = index.keywordSections(for: parsed.keywordLines)
        let sections = matched.flatMap { $0.1.map(\.section) } + keywords
        return Answer(
            paths: matched, keywordSections: keywords,
            recipients: MaintainerRecipients(mailmap: mailmap).recipients(for: sections))
    }

    private static func row(
        _ path: String, _ ownership: (sections: [SectionMatch], isOwned: Bool)
    ) -> (path: String, sections: [SectionMatch], isOwned: Bool) {
        (path, ownership.sections, ownership.isOwned)
    }
}
