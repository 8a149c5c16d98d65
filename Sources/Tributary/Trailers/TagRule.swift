/// How much a finding matters.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case off, warning, error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The rules `trib check` applies to each commit (SEMANTICS §4), by id.
public enum TagRule: String, Sendable, Codable, CaseIterable {
    /// A Signed-off-by from the author (checkpatch's NO_AUTHOR_SIGN_OFF).
    case signoffAuthor = "signoff-author"
    /// A Signed-off-by from the committer (linux-next's "Signed-off-by missing for commit").
    case signoffCommitter = "signoff-committer"
    /// Each Co-developed-by is immediately followed by a Signed-off-by of the same person, and
    /// does not name the author.
    case codevelop
    /// `Fixes: <12+ hex> ("<subject>")`, with a target that exists, is an ancestor, and has
    /// that subject.
    case fixes
    /// Each Reported-by is followed by a Closes: (or Link:) with a URL.
    case reportedCloses = "reported-closes"
    /// A Link: to the posting (a message-id URL) or a Message-ID: trailer.
    case link
    /// An Acked-by or Reviewed-by from a maintainer of every section the commit touches that
    /// its tree does not own.
    case ownerAck = "owner-ack"
    /// At least one Reviewed-by or Acked-by from someone other than the author.
    case review
    /// The same trailer twice.
    case duplicateTrailer = "duplicate-trailer"
    /// A person trailer without a well-formed address.
    case malformedAddress = "malformed-address"
    /// A `*-by:` key that is not a known one.
    case unknownTag = "unknown-tag"
    /// Whitespace around the colon of a trailer.
    case trailerWhitespace = "trailer-whitespace"

    /// The severity when the policy says nothing.
    public var defaultSeverity: Severity {
        switch self {
        case .signoffAuthor, .signoffCommitter, .codevelop, .fixes, .ownerAck: .error
        case .reportedCloses, .duplicateTrailer, .malformedAddress, .unknownTag, .trailerWhitespace: .warning
        case .link, .review: .off
        }
    }

    /// One line about what the rule checks, for documentation and SARIF.
    public var summary: String {
        switch self {
        case .signoffAuthor: "the author signs off the commit"
        case .signoffCommitter: "the committer signs off the commit"
        case .codevelop: "Co-developed-by is followed by the same person's Signed-off-by and does not name the author"
        case .fixes: "Fixes: names an ancestor by at least 12 hex digits and its subject"
        case .reportedCloses: "Reported-by is followed by Closes: or Link: with a URL"
        case .link: "the commit links to its posting"
        case .ownerAck: "maintainers of the sections the commit touches, outside its tree, acked or reviewed it"
        case .review: "someone other than the author reviewed or acked the commit"
        case .duplicateTrailer: "no trailer is given twice"
        case .malformedAddress: "person trailers carry a well-formed address"
        case .unknownTag: "*-by: keys are known ones"
        case .trailerWhitespace: "trailers are written 'Key: value'"
        }
    }
}
