public import Git

extension MaintainersFile {
    /// The F:/X: patterns without a trailing `/` that name a directory of `tree`.
    /// get_maintainer.pl adds the `/` to such a pattern (it looks at the disk), which makes it
    /// match everything below; `OwnershipIndex(_:directories:)` takes this set to do the same.
    /// Like the script, which tests the regex form of the pattern, a pattern with `.`, `*`, `?`
    /// or `[` is never taken for a directory. Only these few patterns are looked up, not the
    /// whole tree.
    public func directoryPatterns(in tree: ObjectID, of repository: Repository) throws -> Set<String> {
        var directories = Set<String>()
        for section in sections {
            for field in section.fields where (field.kind == "F" || field.kind == "X") && !field.value.hasSuffix("/") {
                let value = field.value
                guard !value.isEmpty,
                    !value.utf8.contains(where: { $0 == 0x2E || $0 == 0x2A || $0 == 0x3F || $0 == 0x5B })
                else { continue }
                if try repository.entry(at: value, in: tree)?.mode.isTree == true { directories.insert(value) }
            }
        }
        return directories
    }
}
