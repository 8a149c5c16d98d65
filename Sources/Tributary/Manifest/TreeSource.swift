import Git

/// Checks on what the manifest gives to `git fetch` and to reference names. A URL or branch that
/// git could take for an option (a leading `-`), a transport that runs commands (`ext::`, `fd::`),
/// or control characters are refused before anything runs; so are tree names that cannot be part
/// of a reference name.
public enum TreeSource {
    /// The first problem with a tree's name, URL or branch, or nil when all three are fine.
    public static func problem(name: String, url: String, branch: String) -> String? {
        problem(withName: name) ?? problem(withURL: url) ?? problem(withBranch: branch)
    }

    /// Why `name` cannot name a tree, or nil when it can: it must be one valid component of a
    /// reference name (`refs/tributary/trees/NAME`), with no `/`.
    public static func problem(withName name: String) -> String? {
        if name.isEmpty { return "a tree name cannot be empty" }
        if name.contains("/") { return "tree name '\(escaped(name))' contains '/'" }
        if name.hasPrefix("-") { return "tree name '\(escaped(name))' starts with '-'" }
        if name.unicodeScalars.contains(where: isControl) {
            return "tree name '\(escaped(name))' contains control characters"
        }
        guard Repository.isValidReferenceName(TreeReferences.tip(name)) else {
            return "tree name '\(escaped(name))' is not valid in a reference name"
        }
        return nil
    }

    /// Why `url` cannot be fetched from, or nil when it can.
    public static func problem(withURL url: String) -> String? {
        if url.isEmpty { return "the URL is empty" }
        if url.hasPrefix("-") { return "URL '\(escaped(url))' starts with '-' and could be taken for an option" }
        if url.unicodeScalars.contains(where: isControl) { return "URL '\(escaped(url))' contains control characters" }
        if let separator = url.range(of: "::") {
            let transport = url[..<separator.lowerBound].lowercased()
            if transport == "ext" || transport == "fd" {
                return "URL '\(escaped(url))' uses the \(transport):: transport, which runs commands"
            }
        }
        return nil
    }

    /// Why `branch` cannot be fetched, or nil when it can: it must be a valid branch name.
    public static func problem(withBranch branch: String) -> String? {
        if branch.isEmpty { return "the branch is empty" }
        if branch.hasPrefix("-") {
            return "branch '\(escaped(branch))' starts with '-' and could be taken for an option"
        }
        if branch.unicodeScalars.contains(where: isControl) {
            return "branch '\(escaped(branch))' contains control characters"
        }
        guard Repository.isValidReferenceName("refs/heads/" + branch) else {
            return "branch '\(escaped(branch))' is not a valid branch name"
        }
        return nil
    }

    /// A location as `trib tree add` and Next/Trees write it: `URL#BRANCH`, or a URL alone (then
    /// the branch is nil).
    public static func split(location: String) -> (url: String, branch: String?) {
        guard let hash = location.lastIndex(of: "#") else { return (location, nil) }
        return (String(location[..<hash]), String(location[location.index(after: hash)...]))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7f }

    /// `text` with control characters shown as escapes, safe to print on a terminal.
    public static func escaped(_ text: String, keepingTabs: Bool = false) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) && !(keepingTabs && scalar == "\t") {
                result += "\\x" + String(scalar.value, radix: 16, uppercase: false).leftPadded(to: 2)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
