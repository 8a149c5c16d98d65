import Git

/// What a fixture commit puts at a path.
public enum FileContent: Hashable, Sendable, ExpressibleByStringLiteral {
    /// A regular file with this text.
    case text(String)
    /// A regular file with these bytes (binary content).
    case bytes([UInt8])
    /// An executable file with this text.
    case executable(String)
    /// A symbolic link to this target.
    case symlink(String)
    /// No file: remove the path.
    case deleted

    public init(stringLiteral value: String) { self = .text(value) }

    /// The tree edit that puts this content at `path`, writing its blob.
    func edit(at path: String, in repository: Repository) throws(GitError) -> TreeEdit {
        switch self {
        case .text(let text): .upsert(path: path, blob: try repository.writeBlob(text), mode: .regular)
        case .bytes(let bytes): .upsert(path: path, blob: try repository.writeBlob(bytes), mode: .regular)
        case .executable(let text): .upsert(path: path, blob: try repository.writeBlob(text), mode: .executable)
        case .symlink(let target): .upsert(path: path, blob: try repository.writeBlob(target), mode: .symlink)
        case .deleted: .remove(path: path)
        }
    }
}
