import Foundation

/// A repository's URL compared as the same repository whatever the way it is reached: the
/// kernel's MAINTAINERS writes `git://git.kernel.org/pub/scm/…/linux.git` where linux-next's
/// tree list writes `https://git.kernel.org/pub/scm/…/linux.git`, and a T: line may leave out
/// the `.git`. The scheme, a `user@` and a port, a trailing `.git` and `/` are left out, and the
/// host is compared ignoring case; the path is compared as written.
public struct RepositoryURL: Hashable, Sendable {
    /// `host/path`, as compared.
    public let key: String

    public init(_ text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var host: Substring
        var path: Substring
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            host = rest.prefix { $0 != "/" }
            path = rest.dropFirst(host.count)
            if let colon = host.firstIndex(of: ":") { host = host[..<colon] }
        } else if let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/") {
            // scp-like `git@host:path`.
            host = rest[..<colon]
            path = "/" + rest[rest.index(after: colon)...]
        } else {
            host = ""
            path = rest
        }
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        while path.hasSuffix("/") { path = path.dropLast() }
        if path.hasSuffix(".git") { path = path.dropLast(4) }
        key = host.lowercased() + path
    }

    /// Whether `text` and `other` name the same repository.
    public static func same(_ text: String, _ other: String) -> Bool {
        RepositoryURL(text) == RepositoryURL(other)
    }
}
