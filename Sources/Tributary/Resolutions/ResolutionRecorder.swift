import Foundation
public import Git

/// Learns resolutions: from a merge someone resolved by hand (`learn`, with its fix-up), or from
/// files a maintainer resolved in the resolution directory (`start` and `save`).
public struct ResolutionRecorder {
    /// A conflicted merge put out for resolving.
    public struct Session: Sendable, Codable {
        public var tree: String
        public var ours: ObjectID
        public var theirs: ObjectID
        public var paths: [String]
        public var directory: String
    }

    public let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// The content conflicts of merging `theirs` into `ours`: path, our mode, and the file with
    /// conflict markers.
    func conflictedFiles(ours: ObjectID, theirs: ObjectID, ourLabel: String, theirLabel: String) throws -> (
        files: [(path: String, mode: FileMode, marked: [UInt8])], others: [String]
    ) {
        let index = try repository.merge(ours: ours, theirs: theirs)
        var files: [(path: String, mode: FileMode, marked: [UInt8])] = []
        var others: [String] = []
        for conflict in try index.conflicts() where !conflict.isRenameSource {
            guard let our = conflict.ours, conflict.theirs != nil else {
                others.append(conflict.path)
                continue
            }
            let merged = try index.mergedFile(for: conflict, ourLabel: ourLabel, theirLabel: theirLabel)
            files.append((our.path, our.mode, merged.contents))
        }
        return (files, others)
    }

    /// Writes the conflicted files of merging `theirs` (tree `tree`) into `ours` to
    /// `GIT_DIR/tributary/resolve/TREE/`, with conflict markers, never into the user's work tree.
    public func start(tree: String, ours: ObjectID, theirs: ObjectID) throws -> Session {
        let root = try StateDirectory.ensure(for: repository) + "/resolve"
        let directory = root + "/\(tree)"
        if FileManager.default.fileExists(atPath: directory) {
            throw TributaryError.refused("a resolution of \(tree) is in progress in \(directory); save it or remove it")
        }
        let (files, others) = try conflictedFiles(ours: ours, theirs: theirs, ourLabel: "integration", theirLabel: tree)
        guard !files.isEmpty else {
            throw TributaryError.refused(
                others.isEmpty
                    ? "\(tree) merges without conflicts"
                    : "\(tree)'s conflicts are not in file contents (\(others.joined(separator: ", "))); resolve them with a fix-up"
            )
        }
        for file in files {
            let path = directory + "/" + file.path
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data(file.marked)) else {
                throw TributaryError.environment("cannot write \(path)")
            }
        }
        let session = Session(tree: tree, ours: ours, theirs: theirs, paths: files.map(\.path), directory: directory)
        try JSONEncoder().encode(session).write(to: URL(fileURLWithPath: root + "/\(tree).json"))
        return session
    }

    /// The sessions in progress.
    public func sessions() throws -> [Session] {
        let root = StateDirectory.path(for: repository) + "/resolve"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            FileManager.default.contents(atPath: root + "/" + name).flatMap {
                try? JSONDecoder().decode(Session.self, from: $0)
            }
        }
    }

    /// Records the files of `session` as resolved; refuses while any still has conflict markers.
    public func save(_ session: Session) throws -> [ResolutionStore.Resolution] {
        let (files, _) = try conflictedFiles(
            ours: session.ours, theirs: session.theirs, ourLabel: "integration", theirLabel: session.tree)
        var recorded: [ResolutionStore.Resolution] = []
        for file in files {
            let path = session.directory + "/" + file.path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TributaryError.badInput("\(path) is missing")
            }
            let resolved = Array(data)
            if ConflictImage.parse(resolved) != nil {
                throw TributaryError.badInput("\(path) still has conflict markers")
            }
            guard let image = ConflictImage.parse(file.marked) else { continue }
            recorded.append(
                .init(
                    id: image.id, path: file.path, tree: session.tree, source: "save",
                    recorded: Int64(Date().timeIntervalSince1970), preimage: image.normalized, postimage: resolved))
        }
        try ResolutionStore(repository: repository).record(
            recorded, message: "trib resolve save: \(session.tree) (\(recorded.count) files)")
        try FileManager.default.removeItem(atPath: session.directory)
        try FileManager.default.removeItem(
            atPath: (session.directory as NSString).deletingLastPathComponent + "/\(session.tree).json")
        return recorded
    }
}
