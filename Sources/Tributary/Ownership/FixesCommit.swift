public import Git

/// A commit that a `Fixes:` tag names, with the signature lines get_maintainer.pl takes from it
/// (`vcs_add_commit_signers`): the lines of its message body, leading whitespace removed, that
/// start with `Signed-off-by:`, `Reviewed-by:` or `Acked-by:` and hold an `@`.
public struct FixesCommit: Hashable, Sendable {
    /// The id as the tag writes it (6 to 40 hex digits).
    public var id: String
    /// The commit it names; nil when the repository has no single commit by that id.
    public var commit: ObjectID?
    public var signatureLines: [String]

    public init(id: String, commit: ObjectID?, signatureLines: [String]) {
        self.id = id
        self.commit = commit
        self.signatureLines = signatureLines
    }

    /// The tags the script counts as signatures.
    static let signatureTags = ["Signed-off-by:", "Reviewed-by:", "Acked-by:"]

    /// Looks `id` up as `git log -1 ID` would: an unknown or ambiguous id, or one naming no
    /// commit, has no signers.
    public static func lookUp(_ id: String, in repository: Repository) -> FixesCommit {
        guard let commit = try? repository.resolveCommit(id), let message = try? repository.commit(commit).message
        else { return FixesCommit(id: id, commit: nil, signatureLines: []) }
        return FixesCommit(id: id, commit: commit, signatureLines: signatureLines(ofMessage: message))
    }

    /// The signature lines of a commit message's body (`%b`: what follows the first paragraph).
    public static func signatureLines(ofMessage message: String) -> [String] {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        guard let blank = lines.firstIndex(where: { $0.allSatisfy(\.isWhitespace) }) else { return [] }
        return lines[blank...].compactMap { raw in
            let line = raw.drop { $0.isWhitespace }
            guard signatureTags.contains(where: { line.hasPrefix($0) }), line.contains("@") else { return nil }
            return String(line)
        }
    }
}
