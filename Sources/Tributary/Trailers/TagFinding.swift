/// One problem `trib check` found in a commit.
public struct TagFinding: Hashable, Sendable, Codable {
    public var rule: TagRule
    public var severity: Severity
    public var message: String
    /// The files involved (for owner-ack: the files in the section).
    public var files: [String] = []
    /// The MAINTAINERS sections involved.
    public var sections: [String] = []
    /// For a missing ack: the people who could give it.
    public var people: [String] = []
    /// The trailer at fault, as written.
    public var trailer: String?

    public init(
        rule: TagRule, severity: Severity, message: String, files: [String] = [], sections: [String] = [],
        people: [String] = [], trailer: String? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.files = files
        self.sections = sections
        self.people = people
        self.trailer = trailer
    }
}
