/// A set of commits named the way `git rev-list` names them: `A..B`, `A...B`, `^A B`, `B`,
/// `A^!`, `A^@`, `A^-`, `A^-N`, and `--not`.
///
/// A commit is in the range when it is reachable from an included revision and from no excluded
/// one. `A..B` is `^A B`; `A...B` (the symmetric difference) includes `A` and `B` and excludes
/// every merge base of the two; an empty side of `..` or `...` means `HEAD`. `A^@` is every
/// parent of `A` (not `A`); `A^!` is `A` without its parents (`A ^A^@`); `A^-N` is `A` without its
/// N-th parent (`A ^A^N`, N 1 when left out). `--not` reverses, as in git, whether each following
/// revision is included or excluded, up to the next `--not` (`--not A..B` is `A ^B`; `--not
/// A...B` excludes both sides).
public struct RevisionRange: Hashable, Sendable, CustomStringConvertible {
    /// One argument of the range, as written.
    public enum Term: Hashable, Sendable {
        /// A revision whose ancestors are included.
        case include(String)
        /// A revision whose ancestors are excluded (`^A`).
        case exclude(String)
        /// The commits reachable from one side but not both (`A...B`).
        case symmetricDifference(String, String)
        /// Every parent of a revision, whose ancestors are included (`A^@`).
        case includeParents(String)
        /// Every parent of a revision, whose ancestors are excluded (`^A^@`, and what `A^!`
        /// excludes).
        case excludeParents(String)

        /// The term with included and excluded swapped (what `--not` does).
        var reversed: [Term] {
            switch self {
            case .include(let revision): [.exclude(revision)]
            case .exclude(let revision): [.include(revision)]
            case .includeParents(let revision): [.excludeParents(revision)]
            case .excludeParents(let revision): [.includeParents(revision)]
            // git then excludes both sides and includes their merge bases, which are
            // ancestors of either side: nothing of it is left.
            case .symmetricDifference(let left, let right): [.exclude(left), .exclude(right)]
            }
        }

        var isIncluding: Bool {
            switch self {
            case .include, .includeParents, .symmetricDifference: true
            case .exclude, .excludeParents: false
            }
        }
    }

    public var terms: [Term]

    public init(terms: [Term]) { self.terms = terms }

    /// Parses `git rev-list` arguments. Throws for an empty argument, `^` alone, or a range
    /// with an empty revision on both sides.
    public init(arguments: [String]) throws(GitError) {
        var terms: [Term] = []
        var reversing = false
        for argument in arguments {
            if argument == "--not" {
                reversing.toggle()
                continue
            }
            let parsed = try Self.parse(argument)
            terms += reversing ? parsed.flatMap(\.reversed) : parsed
        }
        guard terms.contains(where: \.isIncluding) else {
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
        if argument.isEmpty || argument.hasPrefix("-") { throw invalid() }
        if argument.hasPrefix("^") {
            let revision = String(argument.dropFirst())
            if revision.isEmpty || revision.contains("..") { throw invalid() }
            if revision.hasSuffix("^@"), revision.count > 2 { return [.excludeParents(String(revision.dropLast(2)))] }
            if revision.hasSuffix("^!") || revision.contains("^-") { throw invalid() }
            return [.exclude(revision)]
        }
        if let suffixed = try parentSuffix(argument) { return suffixed }
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

    /// `A^@`, `A^!`, `A^-` and `A^-N` (nil for anything else).
    private static func parentSuffix(_ argument: String) throws(GitError) -> [Term]? {
        if argument.hasSuffix("^@"), argument.count > 2 { return [.includeParents(String(argument.dropLast(2)))] }
        if argument.hasSuffix("^!"), argument.count > 2 {
            let revision = String(argument.dropLast(2))
            return [.include(revision), .excludeParents(revision)]
        }
        guard let marker = argument.range(of: "^-", options: .backwards), !argument.contains("..") else {
            return nil
        }
        let revision = String(argument[..<marker.lowerBound])
        let digits = argument[marker.upperBound...]
        guard !revision.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }),
            let number = digits.isEmpty ? 1 : Int(digits),
            number > 0
        else {
            throw GitError.tributary(
                "'\(argument)' is not a revision or range", operation: "RevisionRange", code: .invalidSpec)
        }
        return [.include(revision), .exclude("\(revision)^\(number)")]
    }

    public var description: String {
        terms.map { term in
            switch term {
            case .include(let revision): revision
            case .exclude(let revision): "^" + revision
            case .symmetricDifference(let left, let right): left + "..." + right
            case .includeParents(let revision): revision + "^@"
            case .excludeParents(let revision): "^" + revision + "^@"
            }
        }.joined(separator: " ")
    }
}
