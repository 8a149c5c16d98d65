/// `trib who`'s answers: the text get_maintainer.pl prints, and the JSON of schema
/// `tributary.who/1` (Docs/schemas/who.schema.json).
public struct WhoReport: Sendable, Encodable {
    public var schema = "tributary.who/1"
    /// The get_maintainer.pl dialect the answers follow, and why it was chosen.
    public var dialect: Dialect?
    /// The `.get_maintainer.conf` the answers follow.
    public var configuration: Configuration?
    public var queries: [Query]

    public struct Dialect: Sendable, Encodable {
        public var name: String
        public var chosenBy: OwnershipDialect.Choice
    }

    public struct Configuration: Sendable, Encodable {
        /// Where it was read: `.get_maintainer.conf`, `$HOME/.get_maintainer.conf`, or
        /// `.scripts/.get_maintainer.conf`.
        public var source: String
        /// Options taken but not followed (they guess from git history).
        public var ignored: [String]
        /// Words that are not get_maintainer.pl options.
        public var unknown: [String]
    }

    /// A commit a `Fixes:` tag named.
    public struct Fix: Sendable, Encodable {
        /// The id as the tag writes it.
        public var id: String
        /// The commit it resolved to; absent when the repository has no single commit by it.
        public var commit: String?
    }

    public struct Query: Sendable, Encodable {
        /// What was asked: `paths`, a revision or a patch file.
        public var query: String
        public var paths: [Path]
        /// Titles of the sections K: keywords in the patch matched.
        public var keywordSections: [String]
        /// The commits its `Fixes:` tags name, whose signers are listed as `blamed_fixes`.
        public var fixes: [Fix]
        public var recipients: [MaintainerRecipient]
    }

    public struct Path: Sendable, Encodable {
        public var path: String
        /// Whether a maintained section with a maintainer covers it.
        public var owned: Bool
        public var sections: [Section]
    }

    public struct Section: Sendable, Encodable {
        public var title: String
        public var depth: Int
        public var status: String?
        public var file: String
        public var line: Int
    }

    /// The report of `answers` from `lookup`: its dialect and configuration with them.
    public init(answers: [(query: String, answer: MaintainerLookup.Answer)], lookup: MaintainerLookup) {
        let configuration = lookup.configuration
        self.init(
            answers: answers, dialect: Dialect(name: lookup.dialect.rawValue, chosenBy: lookup.dialectChosenBy),
            configuration: configuration.source.map {
                Configuration(source: $0, ignored: configuration.ignored, unknown: configuration.unknown)
            })
    }

    /// The report of `answers`, each with what was asked.
    public init(
        answers: [(query: String, answer: MaintainerLookup.Answer)], dialect: Dialect? = nil,
        configuration: Configuration? = nil
    ) {
        self.dialect = dialect
        self.configuration = configuration
        queries = answers.map { query, answer in
            Query(
                query: query,
                paths: answer.paths.map { path, sections, owned in
                    Path(
                        path: path, owned: owned,
                        sections: sections.map {
                            Section(
                                title: $0.section.title, depth: $0.depth, status: $0.section.status,
                                file: $0.section.file, line: $0.section.line)
                        })
                },
                keywordSections: answer.keywordSections.map(\.title),
                fixes: answer.fixes.map { Fix(id: $0.id, commit: $0.commit?.hex) }, recipients: answer.recipients)
        }
        unowned = answers.flatMap(\.answer.unownedPaths)
        lines = answers.flatMap { $0.answer.recipients.map(\.line) }
    }

    /// get_maintainer.pl's lines, one recipient a line.
    public var text: String { lines.map { $0 + "\n" }.joined() }

    /// Paths no maintained section with a maintainer covers (`trib who` names them on standard
    /// error).
    public let unowned: [String]
    private let lines: [String]

    private enum CodingKeys: String, CodingKey {
        case schema, dialect, configuration, queries
    }
}
