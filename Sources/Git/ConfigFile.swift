import CLibgit2

/// One `name = value` of a config file: `name` is `section.key` or `section.subsection.key`,
/// with section and key lower-cased as git does and the subsection kept as written.
public struct ConfigEntry: Hashable, Sendable {
    public var name: String
    public var value: String
}

/// A file in git-config syntax, read and written through libgit2 (`git_config_open_ondisk`).
///
/// Used for `.gitmodules`-like files such as Tributary's manifest. A file that does not exist
/// reads as empty and is created by the first write. Syntax errors are reported on opening, with
/// the file and line, in the error's message.
public final class ConfigFile {
    let pointer: OpaquePointer
    /// The path of the file.
    public let path: String

    /// Opens (and parses) the file at `path` (`git_config_open_ondisk`).
    public init(path: String) throws(GitError) {
        Libgit2.ensureInitialized()
        var config: OpaquePointer?
        try check(git_config_open_ondisk(&config, path), "git_config_open_ondisk(\(path))")
        pointer = config!
        self.path = path
    }

    deinit { git_config_free(pointer) }

    /// Every entry, in file order (`git_config_iterator_new`).
    public func entries() throws(GitError) -> [ConfigEntry] {
        try entries(matching: nil)
    }

    /// The entries whose name matches the regular expression `pattern`
    /// (`git_config_iterator_glob_new`), in file order.
    public func entries(matching pattern: String?) throws(GitError) -> [ConfigEntry] {
        var iterator: OpaquePointer?
        if let pattern {
            try check(git_config_iterator_glob_new(&iterator, pointer, pattern), "git_config_iterator_glob_new")
        } else {
            try check(git_config_iterator_new(&iterator, pointer), "git_config_iterator_new")
        }
        defer { git_config_iterator_free(iterator) }
        var found: [ConfigEntry] = []
        while true {
            var entry: UnsafeMutablePointer<git_config_entry>?
            let result = git_config_next(&entry, iterator)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "git_config_next")
            guard let entry else { continue }
            found.append(
                ConfigEntry(
                    name: String(cString: entry.pointee.name),
                    value: entry.pointee.value.map { String(cString: $0) } ?? ""
                )
            )
        }
        return found
    }

    /// The last value of `name`; nil when it is not set (`git_config_get_string_buf`).
    public func string(_ name: String) throws(GitError) -> String? {
        var buffer = git_buf()
        let result = git_config_get_string_buf(&buffer, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_config_get_string_buf(\(name))")
        defer { git_buf_dispose(&buffer) }
        return String(cString: buffer.ptr)
    }

    /// Every value of a multi-valued `name`, in file order (`git_config_multivar_iterator_new`).
    public func strings(_ name: String) throws(GitError) -> [String] {
        var iterator: OpaquePointer?
        let result = git_config_multivar_iterator_new(&iterator, pointer, name, nil)
        if result == GIT_ENOTFOUND.rawValue { return [] }
        try check(result, "git_config_multivar_iterator_new(\(name))")
        defer { git_config_iterator_free(iterator) }
        var values: [String] = []
        while true {
            var entry: UnsafeMutablePointer<git_config_entry>?
            let next = git_config_next(&entry, iterator)
            if next == GIT_ITEROVER.rawValue { break }
            try check(next, "git_config_next")
            if let value = entry?.pointee.value { values.append(String(cString: value)) }
        }
        return values
    }

    /// The value of `name` read as a git boolean (`git_config_get_bool`): true/yes/on/1 or
    /// false/no/off/0; nil when it is not set. Throws for anything else.
    public func bool(_ name: String) throws(GitError) -> Bool? {
        var value: Int32 = 0
        let result = git_config_get_bool(&value, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_config_get_bool(\(name))")
        return value != 0
    }

    /// The value of `name` read as a git integer, with k/m/g suffixes (`git_config_get_int64`).
    public func integer(_ name: String) throws(GitError) -> Int64? {
        var value: Int64 = 0
        let result = git_config_get_int64(&value, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_config_get_int64(\(name))")
        return value
    }

    /// Sets `name` to `value`, replacing its single value (`git_config_set_string`).
    public func set(_ name: String, to value: String) throws(GitError) {
        try check(git_config_set_string(pointer, name, value), "git_config_set_string(\(name))")
    }

    /// Adds one more value to a multi-valued `name` (`git_config_set_multivar` with a pattern
    /// that matches no existing value).
    public func add(_ name: String, value: String) throws(GitError) {
        try check(git_config_set_multivar(pointer, name, "$^", value), "git_config_set_multivar(\(name))")
    }

    /// Removes every value of `name` (`git_config_delete_multivar`); nothing when it is not set.
    public func remove(_ name: String) throws(GitError) {
        let result = git_config_delete_multivar(pointer, name, ".*")
        if result == GIT_ENOTFOUND.rawValue { return }
        try check(result, "git_config_delete_multivar(\(name))")
    }
}
