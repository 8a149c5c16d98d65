import CLibgit2

#if canImport(Glibc)
    import Glibc
#endif

/// A reference and the commit or object it points at, after following symbolic references.
public struct ReferenceTarget: Hashable, Sendable {
    /// The full name, such as `refs/heads/main`.
    public var name: String
    /// The object it resolves to.
    public var target: ObjectID
}

extension Repository {
    /// Whether `name` is a valid full reference name (`git_reference_name_is_valid`).
    public static func isValidReferenceName(_ name: String) -> Bool {
        Libgit2.ensureInitialized()
        var valid: Int32 = 0
        return git_reference_name_is_valid(&valid, name) == 0 && valid == 1
    }

    /// The object a reference resolves to, following symbolic references
    /// (`git_reference_name_to_id`); nil when the reference does not exist or is unborn.
    public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, name)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EUNBORNBRANCH.rawValue { return nil }
        try check(result, "git_reference_name_to_id(\(name))")
        return ObjectID(oid)
    }

    /// Every reference whose name matches the glob `pattern` (`git_reference_iterator_glob_new`),
    /// resolved to its target, in name order. Symbolic references that lead nowhere are left out.
    public func references(matching pattern: String = "refs/*") throws(GitError) -> [ReferenceTarget] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iterator, pointer, pattern), "git_reference_iterator_glob_new")
        defer { git_reference_iterator_free(iterator) }
        var found: [ReferenceTarget] = []
        while true {
            var reference: OpaquePointer?
            let result = git_reference_next(&reference, iterator)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "git_reference_next")
            defer { git_reference_free(reference) }
            let name = String(cString: git_reference_name(reference))
            var resolved: OpaquePointer?
            guard git_reference_resolve(&resolved, reference) == 0 else { continue }
            defer { git_reference_free(resolved) }
            if let target = git_reference_target(resolved) {
                found.append(ReferenceTarget(name: name, target: ObjectID(target)))
            }
        }
        return found.sorted { $0.name < $1.name }
    }

    /// Moves (or creates, or deletes) the reference `name` from `expected` to `new`, atomically:
    /// it fails with `.modified` (or `.exists`) when the reference does not have the value
    /// `expected` when the update happens. A nil `expected` means "must not exist yet"; a nil `new`
    /// deletes it. The update writes a reflog entry with `message`, also in a bare repository.
    ///
    /// Calls `git_reference_create_matching`, `git_reference_create` (force off) or
    /// `git_reference_delete`, with `git_reference_ensure_log` first. A signal (`Interrupts`)
    /// waits for the update to end: the reference is left old or new, never locked.
    public func updateReference(
        _ name: String,
        to new: ObjectID?,
        expecting expected: ObjectID?,
        message: String
    ) throws(GitError) {
        try Interrupts.finishing { () throws(GitError) in
            try updateReferenceNow(name, to: new, expecting: expected, message: message)
        }
    }

    private func updateReferenceNow(_ name: String, to new: ObjectID?, expecting expected: ObjectID?, message: String)
        throws(GitError)
    {
        guard Self.isValidReferenceName(name), name.hasPrefix("refs/") else {
            throw GitError.tributary(
                "'\(name)' is not a valid reference name", operation: "updateReference", code: .invalidSpec)
        }
        switch (expected, new) {
        case (nil, nil):
            if try referenceTarget(name) != nil {
                throw GitError.tributary(
                    "\(name) exists, but was expected not to", operation: "updateReference", code: .modified)
            }
        case (nil, let new?):
            try check(git_reference_ensure_log(pointer, name), "git_reference_ensure_log(\(name))")
            var reference: OpaquePointer?
            var raw = new.raw
            let result = git_reference_create(&reference, pointer, name, &raw, 0, message)
            if result == GIT_EEXISTS.rawValue {
                throw GitError.tributary(
                    "\(name) was created by someone else meanwhile", operation: "git_reference_create", code: .exists)
            }
            try check(result, "git_reference_create(\(name))")
            git_reference_free(reference)
            try ensureReflogEntry(name, old: .zero, new: new, message: message)
        case (let expected?, let new?):
            try check(git_reference_ensure_log(pointer, name), "git_reference_ensure_log(\(name))")
            var reference: OpaquePointer?
            var raw = new.raw
            var old = expected.raw
            let result = git_reference_create_matching(&reference, pointer, name, &raw, 1, &old, message)
            if result == GIT_EMODIFIED.rawValue || result == GIT_ENOTFOUND.rawValue {
                throw GitError.tributary(
                    "\(name) changed since it was read (expected \(expected.abbreviated()))",
                    operation: "git_reference_create_matching",
                    code: .modified
                )
            }
            try check(result, "git_reference_create_matching(\(name))")
            git_reference_free(reference)
            try ensureReflogEntry(name, old: expected, new: new, message: message)
        case (let expected?, nil):
            var reference: OpaquePointer?
            let lookup = git_reference_lookup(&reference, pointer, name)
            if lookup == GIT_ENOTFOUND.rawValue {
                throw GitError.tributary(
                    "\(name) was deleted by someone else meanwhile", operation: "git_reference_lookup", code: .modified)
            }
            try check(lookup, "git_reference_lookup(\(name))")
            defer { git_reference_free(reference) }
            guard let target = git_reference_target(reference), ObjectID(target) == expected else {
                throw GitError.tributary(
                    "\(name) changed since it was read", operation: "git_reference_delete", code: .modified)
            }
            try check(git_reference_delete(reference), "git_reference_delete(\(name))")
        }
    }

    /// Appends a reflog entry for an update libgit2 did not log itself: it logs only when
    /// `core.logAllRefUpdates` says so, which is off in bare repositories, while git also appends
    /// to a reflog that exists.
    ///
    /// Reads the log with `git_reflog_read` to see whether libgit2 wrote the entry; otherwise
    /// appends one line in git's format to `GIT_DIR/logs/NAME` with a single `O_APPEND` write,
    /// as git and libgit2 append while they update a reference. (`git_reflog_write` would rewrite
    /// the whole file under a `.lock` file, which a process killed at that moment leaves behind.)
    private func ensureReflogEntry(_ name: String, old: ObjectID, new: ObjectID, message: String) throws(GitError) {
        // As libgit2 and git write a message: newlines become spaces, trailing space is dropped.
        var text = String(message.map { $0 == "\n" ? " " : $0 })
        while text.last?.isWhitespace == true { text.removeLast() }
        var reflog: OpaquePointer?
        try check(git_reflog_read(&reflog, pointer, name), "git_reflog_read(\(name))")
        defer { git_reflog_free(reflog) }
        if git_reflog_entrycount(reflog) > 0, let top = git_reflog_entry_byindex(reflog, 0),
            ObjectID(git_reflog_entry_id_new(top)) == new, ObjectID(git_reflog_entry_id_old(top)) == old,
            git_reflog_entry_message(top).map({ String(cString: $0) }) == text
        {
            return
        }
        let committer =
            defaultSignature()
            ?? Signature(name: "unknown", email: "unknown", time: Int64(time(nil)))
        let line =
            "\(old.hex) \(new.hex) \(committer.name) <\(committer.email)> \(committer.time) "
            + "\(committer.formattedOffset)\t\(text)\n"
        let path = gitDirectory + "logs/" + name
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw GitError.tributary(
                "cannot open \(path): \(String(cString: strerror(errno)))", operation: "appendReflogEntry")
        }
        defer { close(descriptor) }
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw GitError.tributary(
                "cannot append to \(path): \(String(cString: strerror(errno)))", operation: "appendReflogEntry")
        }
    }

    /// Points HEAD at the branch `name` (`git_repository_set_head`), without touching any work tree.
    public func setHead(toBranch name: String) throws(GitError) {
        try Interrupts.finishing { () throws(GitError) in
            try check(git_repository_set_head(pointer, name), "git_repository_set_head(\(name))")
        }
    }

    /// The reflog of `name`, newest entry first (`git_reflog_read`).
    public func reflog(of name: String) throws(GitError) -> [ReflogEntry] {
        var reflog: OpaquePointer?
        try check(git_reflog_read(&reflog, pointer, name), "git_reflog_read(\(name))")
        defer { git_reflog_free(reflog) }
        let count = git_reflog_entrycount(reflog)
        return (0..<count).compactMap { index in
            guard let entry = git_reflog_entry_byindex(reflog, index) else { return nil }
            return ReflogEntry(
                old: ObjectID(git_reflog_entry_id_old(entry)),
                new: ObjectID(git_reflog_entry_id_new(entry)),
                committer: Signature(git_reflog_entry_committer(entry)),
                message: git_reflog_entry_message(entry).map { String(cString: $0) } ?? ""
            )
        }
    }
}

/// One line of a reflog: a reference moved from `old` to `new`.
public struct ReflogEntry: Hashable, Sendable {
    public var old: ObjectID
    public var new: ObjectID
    public var committer: Signature
    public var message: String
}
