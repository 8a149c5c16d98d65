import Foundation
public import Git

/// Recorded conflict resolutions and fix-ups, kept in a git ref (`refs/tributary/resolutions`) so
/// that maintainers share them with push and fetch. Each change is a commit on that ref (moved by
/// compare-and-swap), whose tree holds:
///
///     rr/<conflict id>/preimage     the conflicted file, normalised (`ConflictImage`)
///     rr/<conflict id>/postimage    how it was resolved
///     rr/<conflict id>/meta         path, tree, source and date, in git-config syntax
///     fixups/<tree>/<name>.patch    patches applied right after that tree's merge
public struct ResolutionStore {
    public static let reference = "refs/tributary/resolutions"

    /// One recorded resolution.
    public struct Resolution: Sendable, Hashable {
        public var id: String
        public var path: String
        /// The tree whose merge produced the conflict, when known.
        public var tree: String?
        /// How it was recorded: `save` or `record <merge commit>`.
        public var source: String
        public var recorded: Int64
        public var preimage: [UInt8]
        public var postimage: [UInt8]
    }

    /// One fix-up patch.
    public struct Fixup: Sendable, Hashable {
        public var tree: String
        public var name: String
        public var patch: String
    }

    public let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// Every recorded resolution, by id.
    public func resolutions() throws -> [String: Resolution] {
        guard let root = try rootTree(), let rr = try repository.entry(at: "rr", in: root) else { return [:] }
        var found: [String: Resolution] = [:]
        for entry in try repository.tree(rr.id).entries {
            let directory = "rr/\(entry.name)"
            guard let pre = try repository.fileContents(at: directory + "/preimage", in: root),
                let post = try repository.fileContents(at: directory + "/postimage", in: root)
            else { continue }
            let meta = try repository.fileContents(at: directory + "/meta", in: root).map(Self.parseMeta) ?? [:]
            found[entry.name] = Resolution(
                id: entry.name, path: meta["path"] ?? "", tree: meta["tree"], source: meta["source"] ?? "",
                recorded: Int64(meta["recorded"] ?? "") ?? 0, preimage: pre, postimage: post)
        }
        return found
    }

    /// Every fix-up, in tree and name order.
    public func fixups() throws -> [Fixup] {
        guard let root = try rootTree(), let directory = try repository.entry(at: "fixups", in: root) else { return [] }
        var found: [Fixup] = []
        for treeEntry in try repository.tree(directory.id).entries {
            for patch in try repository.tree(treeEntry.id).entries where patch.name.hasSuffix(".patch") {
                let text = String(decoding: try repository.blob(patch.id), as: UTF8.self)
                found.append(Fixup(tree: treeEntry.name, name: String(patch.name.dropLast(6)), patch: text))
            }
        }
        return found
    }

    /// Records resolutions (one commit for all of them).
    public func record(_ new: [Resolution], message: String) throws {
        guard !new.isEmpty else { return }
        var edits: [TreeEdit] = []
        for resolution in new {
            let directory = "rr/\(resolution.id)"
            var meta = "[resolution]\n\tpath = \(ConfigText.value(resolution.path))\n"
            if let tree = resolution.tree { meta += "\ttree = \(ConfigText.value(tree))\n" }
            meta += "\tsource = \(ConfigText.value(resolution.source))\n\trecorded = \(resolution.recorded)\n"
            edits.append(
                .upsert(
                    path: directory + "/preimage", blob: try repository.writeBlob(resolution.preimage), mode: .regular))
            edits.append(
                .upsert(
                    path: directory + "/postimage", blob: try repository.writeBlob(resolution.postimage), mode: .regular
                ))
            edits.append(.upsert(path: directory + "/meta", blob: try repository.writeBlob(meta), mode: .regular))
        }
        try commit(edits, message: message)
    }

    /// Removes the resolutions with these ids.
    public func drop(_ ids: [String], message: String) throws {
        try commit(ids.map { TreeEdit.remove(path: "rr/\($0)") }, message: message)
    }

    /// Adds a fix-up patch for `tree`.
    public func addFixup(tree: String, name: String, patch: String) throws {
        let edit = TreeEdit.upsert(
            path: "fixups/\(tree)/\(name).patch", blob: try repository.writeBlob(patch), mode: .regular)
        try commit([edit], message: "trib resolve fixup: \(tree) \(name)")
    }

    /// Removes a fix-up.
    public func dropFixup(tree: String, name: String) throws {
        try commit([.remove(path: "fixups/\(tree)/\(name).patch")], message: "trib resolve drop: fixup \(tree) \(name)")
    }

    private func rootTree() throws -> ObjectID? {
        try repository.referenceTarget(Self.reference).map { try repository.treeOfCommit($0) }
    }

    private func commit(_ edits: [TreeEdit], message: String) throws {
        let previous = try repository.referenceTarget(Self.reference)
        let base = try previous.map { try repository.treeOfCommit($0) }
        let tree = try repository.writeTree(base: base, edits: edits)
        let signature =
            repository.defaultSignature()
            ?? Signature(name: "trib", email: "trib@localhost", time: Int64(Date().timeIntervalSince1970))
        let id = try repository.createCommit(
            tree: tree, parents: previous.map { [$0] } ?? [], author: signature, committer: signature,
            message: message + "\n")
        try repository.updateReference(Self.reference, to: id, expecting: previous, message: message)
    }

    /// Applies the matching recorded resolutions to the content conflicts of `index`; returns
    /// the ids used and the paths left conflicted.
    public static func apply(_ resolutions: [String: Resolution], to index: MergeIndex, in repository: Repository)
        throws
        -> (used: [String], unresolved: [String])
    {
        var used: [String] = []
        var unresolved: [String] = []
        if resolutions.isEmpty {
            return ([], try index.conflicts().filter { !$0.isRenameSource }.map(\.path))
        }
        for conflict in try index.conflicts() where !conflict.isRenameSource {
            guard let ours = conflict.ours, conflict.theirs != nil,
                let image = ConflictImage.parse(try index.mergedFile(for: conflict).contents),
                let resolution = resolutions[image.id],
                let resolved = try image.applying(preimage: resolution.preimage, postimage: resolution.postimage)
            else {
                unresolved.append(conflict.path)
                continue
            }
            try index.resolve(conflict.path, blob: repository.writeBlob(resolved), mode: ours.mode)
            used.append(image.id)
        }
        return (used, unresolved)
    }

    static func parseMeta(_ bytes: [UInt8]) -> [String: String] {
        var values: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            }
            values[parts[0].trimmingCharacters(in: .whitespaces)] = value
        }
        return values
    }
}
