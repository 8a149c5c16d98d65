/// `trib who`'s answers: the text get_maintainer.pl prints, and the JSON of schema
/// `tributary.who/1` (Docs/schemas/who.schema.json).
public struct WhoReport: Sendable, Encodable {
    public var schema = "tributary.who/1"
    public var queries: [Query]

    public struct Query: Sendable, Encodable {
        /// What was asked: `paths`, a revision or a patch file.
        public var query: String
        public var paths: [Path]
        /// Titles of the sections K: keywords in the patch matched.
        public var keywordSections: [String]
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

    /// The report of `answers`, each with what was asked.
    public init(answers: [(query: String, answer: MaintainerLookup.Answer)]) {
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
                keywordSections: answer.keywordSections.map(\.title), recipients: answer.recipients)
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
        case schema, queries
    }
}
