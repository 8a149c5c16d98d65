import CLibgit2

extension Repository {
    /// The bytes of the blob `id` (`git_blob_lookup`, `git_blob_rawcontent`).
    public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        var blob: OpaquePointer?
        var raw = id.raw
        try check(git_blob_lookup(&blob, pointer, &raw), "git_blob_lookup(\(id))")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: size))
    }

    /// Writes `bytes` as a blob and returns its id (`git_blob_create_from_buffer`).
    public func writeBlob(_ bytes: [UInt8]) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let result = bytes.withUnsafeBytes { buffer in
            git_blob_create_from_buffer(&oid, pointer, buffer.baseAddress, buffer.count)
        }
        try check(result, "git_blob_create_from_buffer")
        return ObjectID(oid)
    }

    /// Writes `text` (UTF-8) as a blob.
    public func writeBlob(_ text: String) throws(GitError) -> ObjectID {
        try writeBlob(Array(text.utf8))
    }
}
