public import Git

/// What kind of conflict a path has, in git's terms.
public enum ConflictKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Both sides changed the same lines of a file.
    case content
    /// Both sides changed a binary file.
    case binary
    /// Both sides added a file at the same path, with different contents.
    case addAdd = "add/add"
    /// Our side modified a file their side deleted.
    case modifyDelete = "modify/delete"
    /// Our side deleted a file their side modified.
    case deleteModify = "delete/modify"
    /// One side renamed a file the other deleted.
    case renameDelete = "rename/delete"
    /// Both sides renamed a file, to different paths.
    case renameRename = "rename/rename"
    /// One side renamed a file and both changed its lines.
    case renameModify = "rename/modify"
    /// The sides gave a file different modes (such as executable) and no content conflict.
    case mode
}

/// One side of a conflicted path: its path, blob and mode there.
public struct ConflictSide: Sendable, Hashable, Codable {
    public var path: String
    public var blob: ObjectID
    public var mode: FileMode

    public init(path: String, blob: ObjectID, mode: FileMode) {
        self.path = path
        self.blob = blob
        self.mode = mode
    }
}

/// Lines of one version of a file: a 0-based start, and the text (each line with its newline).
public struct LineSpan: Sendable, Hashable, Codable {
    public var start: Int
    public var count: Int
    public var text: String

    public init(start: Int, count: Int, text: String) {
        self.start = start
        self.count = count
        self.text = text
    }
}

/// One conflicting region of a file: the base lines and what each side made of them, and the
/// commits on each side (since the merge base) that last changed those lines.
public struct ConflictHunk: Sendable, Hashable, Codable {
    public var base: LineSpan
    public var ours: LineSpan
    public var theirs: LineSpan
    public var ourCommits: [ObjectID]
    public var theirCommits: [ObjectID]
}

/// One conflicted path of a merge.
public struct MergeConflict: Sendable, Hashable, Codable {
    /// The path the conflict is reported under.
    public var path: String
    /// Every path at which git records a stage for it (`git merge-tree --name-only`).
    public var paths: [String]
    public var kind: ConflictKind
    public var ancestor: ConflictSide?
    public var ours: ConflictSide?
    public var theirs: ConflictSide?
    /// The conflicting regions (content, add/add and rename/modify conflicts of text files).
    public var hunks: [ConflictHunk]
    /// Commits on our side since the merge base that changed the conflicting lines (or, with no
    /// lines to blame, the file), newest first.
    public var ourCommits: [ObjectID]
    /// The same on their side.
    public var theirCommits: [ObjectID]
}
