/// A set of commits named the way `git rev-list` names them: `A..B`, `A...B`, `^A B`, `B`.
///
/// A commit is in the range when it is reachable from an included revision and from no excluded
/// one. `A..B` is `^A B`; `A...B` (the symmetric difference) includes `A` and `B` and excludes
/// every merge base of the two; an empty side of `..` or `...` means `HEAD`.
public struct RevisionRange: Hashable, Sendable, CustomStringConvertible {
    /// One argument of the range, as written.
    public enum Term: Hashable, Sendable {
        /// A revision whose ancestors are included.
        case include(String)
        /// A revision whose ancestors are excluded (`^A`).
        case exclude(String)
        /// The commits reachable from one side but not both (`A...B`).
        case symmetricDifference(String, String)
    }

    public var terms: [Term]

    public init(terms: [Term]) { self.terms = terms }

    /// Parses `git rev-list` arguments. Throws for an empty argument, `^` alone, or a range
    /// with an empty revision on both sides.
    public init(arguments: [String]) throws(GitError) {
        var terms: [Term] = []
        for argument in arguments {
            terms.append(contentsOf: try Self.parse(argument))
        }
        guard terms.contains(where: { if case .exclude = $0 { false } else { true } }) else {
            throw GitError.tributary(
                "the range \(arguments.joined(separator: " ")) includes no revision",
                operation: "RevisionRange",
                code: .invalidSpec
            )
        }
        self.terms = terms
    }

    /// Parses one argument.
    private static func parse(_ argument: String) throws(GitError) -> [Term] {
        func invalid() -> GitError {
            GitError.tributary(
                "'\(argument)' is not a revision or range", operation: "RevisionRange", code: .invalidSpec)
        }
        if argument.isEmpty { throw invalid() }
        if argument.hasPrefix("^") {
            let revision = String(argument.dropFirst())
            if revision.isEmpty || revision.contains("..") { throw invalid() }
            return [.exclude(revision)]
        }
        if let range = argument.range(of: "...") {
            let left = String(argument[..<range.lowerBound])
            let right = String(argument[range.upperBound...])
            if left.isEmpty && right.isEmpty { throw invalid() }
            return [.symmetricDifference(left.isEmpty ? "HEAD" : left, right.isEmpty ? "HEAD" : right)]
        }
        if let range = argument.range(of: "..") {
            let left = String(argument[..<range.lowerBound])
            let right = String(argument[range.upperBound...])
            if left.isEmpty && right.isEmpty { throw invalid() }
            return [.exclude(left.isEmpty ? "HEAD" : left), .include(right.isEmpty ? "HEAD" : right)]
        }
        return [.include(argument)]
    }

    public var description: String {
        terms.map { term in
            switch term {
            case .include(let revision): revision
            case .exclude(let revision): "^" + revision
            case .symmetricDifference(let left, let right): left + "..." + right
            }
        }.joined(separator: " ")
    }
}
