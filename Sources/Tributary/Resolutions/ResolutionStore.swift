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
///     merge-fix/<id>/patch          a merge's fix-up (`MergeFixup`): what it changed beyond
///     merge-fix/<id>/meta           git's result, and the commits of each side that need it
///     subtree/<commit>              the directory a recorded merge put that commit's project in
public struct ResolutionStore {
    public static let reference = "refs/tributary/resolutions"

    /// One recorded resolution.
    public struct Resolution: Sendable, Hashable {
        /// Its name in the store: the conflict's id, or for a further variant of the same
        /// conflict (the same conflicting hunks in another file, resolved in its own way, as git
        /// rerere keeps `preimage.N`), the id and `.N`.
        public var id: String
        public var path: String
        /// The tree whose merge produced the conflict, when known.
        public var tree: String?
        /// How it was recorded: `save` or `record <merge commit>`.
        public var source: String
        public var recorded: Int64
        public var preimage: [UInt8]
        public var postimage: [UInt8]

        public init(
            id: String, path: String, tree: String?, source: String, recorded: Int64, preimage: [UInt8],
            postimage: [UInt8]
        ) {
            self.id = id
            self.path = path
            self.tree = tree
            self.source = source
            self.recorded = recorded
            self.preimage = preimage
            self.postimage = postimage
        }

        /// The conflict's id (rerere's), without the variant.
        public var conflictID: String { String(id.prefix { $0 != "." }) }
    }

    /// `new` named as the store will keep them beside `existing`: a resolution of a conflict
    /// already recorded for the same path replaces it; one identical to a recorded one is left
    /// out; any other of an id already taken becomes a further variant (`ID.N`).
    public static func named(_ new: [Resolution], beside existing: [String: Resolution]) -> [Resolution] {
        var taken = existing
        var named: [Resolution] = []
        for resolution in new {
            var resolution = resolution
            let conflict = resolution.conflictID
            let variants = taken.values.filter { $0.conflictID == conflict }
            if variants.contains(where: { $0.preimage == resolution.preimage && $0.postimage == resolution.postimage })
            {
                continue
            }
            if let same = variants.first(where: { $0.path == resolution.path }) {
                resolution.id = same.id
            } else if !variants.isEmpty {
                resolution.id = conflict + ".\((1...).first { taken[conflict + ".\($0)"] == nil }!)"
            } else {
                resolution.id = conflict
            }
            taken[resolution.id] = resolution
            named.append(resolution)
        }
        return named
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

    /// Every merge fix-up (retired ones too), by id.
    public func mergeFixups() throws -> [MergeFixup] {
        guard let root = try rootTree(), let directory = try repository.entry(at: "merge-fix", in: root) else {
            return []
        }
        var found: [MergeFixup] = []
        for entry in try repository.tree(directory.id).entries {
            guard let patch = try repository.fileContents(at: "merge-fix/\(entry.name)/patch", in: root),
                let meta = try repository.fileContents(at: "merge-fix/\(entry.name)/meta", in: root),
                let fixup = MergeFixup.parse(id: entry.name, patch: patch, meta: meta)
            else { continue }
            found.append(fixup)
        }
        return found.sorted { ($0.recorded, $0.id) < ($1.recorded, $1.id) }
    }

    /// The directories recorded subtree merges put sub-projects in, by the commit merged: a tree
    /// whose tip has that commit is merged into that directory.
    public func subtreeMerges() throws -> [ObjectID: String] {
        guard let root = try rootTree(), let directory = try repository.entry(at: "subtree", in: root) else {
            return [:]
        }
        var found: [ObjectID: String] = [:]
        for entry in try repository.tree(directory.id).entries {
            guard let id = ObjectID(hex: entry.name),
                let text = try repository.fileContents(at: "subtree/\(entry.name)", in: root)
            else { continue }
            found[id] = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return found
    }

    /// The directory a recorded subtree merge (`subtreeMerges`) put the project of `tip` in,
    /// to merge it onto `running`: when `tip` has the commit that merge merged. Only a directory
    /// of `running` that holds most of the tip's top-level names is looked at, so that unrelated
    /// trees cost no history walk.
    public static func subtreeDirectory(
        for tip: ObjectID, onto running: ObjectID, among memory: [ObjectID: String], in repository: Repository
    ) throws -> String? {
        guard !memory.isEmpty else { return nil }
        let names = Set(try repository.tree(repository.treeOfCommit(tip)).entries.map(\.name))
        let ours = try repository.treeOfCommit(running)
        for (commit, directory) in memory.sorted(by: { $0.key.hex < $1.key.hex }) {
            guard let entry = try repository.entry(at: directory, in: ours), entry.mode.isTree else { continue }
            let there = Set(try repository.tree(entry.id).entries.map(\.name))
            guard names.intersection(there).count * 10 >= names.count * 6 else { continue }
            if try commit == tip || (repository.contains(commit) && repository.isAncestor(commit, of: tip)) {
                return directory
            }
        }
        return nil
    }

    /// What `trib resolve record` learned from one merge, stored in one commit: its
    /// resolutions, its fix-up, the directory of a subtree merge.
    public func record(
        _ new: [Resolution], fixup: MergeFixup?, subtree: (commit: ObjectID, directory: String)?, message: String
    ) throws {
        var edits = try resolutionEdits(Self.named(new, beside: try resolutions()))
        if let fixup { edits += try fixupEdits(fixup) }
        if let subtree {
            edits.append(
                .upsert(
                    path: "subtree/\(subtree.commit.hex)", blob: try repository.writeBlob(subtree.directory + "\n"),
                    mode: .regular))
        }
        guard !edits.isEmpty else { return }
        try commit(edits, message: message)
    }

    /// Removes merge fix-ups.
    public func dropMergeFixups(_ ids: [String], message: String) throws {
        try commit(ids.map { TreeEdit.remove(path: "merge-fix/\($0)") }, message: message)
    }

    /// The commit that marks `fixups` retired (their `retired` set), on top of the ref's
    /// current commit, written but not referenced: the pull moves the ref with its branch.
    /// Nil when there is nothing to mark.
    func retirement(of fixups: [MergeFixup], message: String) throws -> (previous: ObjectID?, commit: ObjectID)? {
        guard !fixups.isEmpty else { return nil }
        let edits = try fixups.flatMap { try fixupEdits($0) }
        let previous = try repository.referenceTarget(Self.reference)
        return (previous, try commitObject(edits, onto: previous, message: message))
    }

    private func fixupEdits(_ fixup: MergeFixup) throws -> [TreeEdit] {
        [
            .upsert(path: "merge-fix/\(fixup.id)/patch", blob: try repository.writeBlob(fixup.patch), mode: .regular),
            .upsert(path: "merge-fix/\(fixup.id)/meta", blob: try repository.writeBlob(fixup.meta), mode: .regular),
        ]
    }

    /// Records resolutions (one commit for all of them).
    /// Records resolutions (one commit for all of them), named beside those recorded
    /// (`named(_:beside:)`); returns them as named.
    @discardableResult
    public func record(_ new: [Resolution], message: String) throws -> [Resolution] {
        let named = Self.named(new, beside: try resolutions())
        guard !named.isEmpty else { return [] }
        try commit(try resolutionEdits(named), message: message)
        return named
    }

    private func resolutionEdits(_ new: [Resolution]) throws -> [TreeEdit] {
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
        return edits
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

    /// Adds several trees' fix-ups in one commit.
    public func addFixups(_ fixups: [(tree: String, name: String, patch: String)], message: String) throws {
        let edits = try fixups.map {
            TreeEdit.upsert(
                path: "fixups/\($0.tree)/\($0.name).patch", blob: try repository.writeBlob($0.patch), mode: .regular)
        }
        try commit(edits, message: message)
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
        let id = try commitObject(edits, onto: previous, message: message)
        try repository.updateReference(Self.reference, to: id, expecting: previous, message: message)
    }

    private func commitObject(_ edits: [TreeEdit], onto previous: ObjectID?, message: String) throws -> ObjectID {
        let base = try previous.map { try repository.treeOfCommit($0) }
        let tree = try repository.writeTree(base: base, edits: edits)
        let signature =
            repository.defaultSignature()
            ?? Signature(name: "trib", email: "trib@localhost", time: Int64(Date().timeIntervalSince1970))
        return try repository.createCommit(
            tree: tree, parents: previous.map { [$0] } ?? [], author: signature, committer: signature,
            message: message + "\n")
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
        let variants = Dictionary(grouping: resolutions.values, by: \.conflictID)
        for conflict in try index.conflicts() where !conflict.isRenameSource {
            guard let ours = conflict.ours, conflict.theirs != nil,
                let image = ConflictImage.parse(try index.mergedFile(for: conflict).contents),
                let (used: resolution, resolved) = try replay(image, at: ours.path, with: variants[image.id] ?? [])
            else {
                unresolved.append(conflict.path)
                continue
            }
            try index.resolve(conflict.path, blob: repository.writeBlob(resolved), mode: ours.mode)
            used.append(resolution.id)
        }
        return (used, unresolved)
    }

    /// The first of `variants` (the one recorded for `path` first, then in name order) that
    /// replays onto `image`, and what it gives.
    private static func replay(_ image: ConflictImage, at path: String, with variants: [Resolution]) throws
        -> (used: Resolution, resolved: [UInt8])?
    {
        for resolution in variants.sorted(by: { ($0.path == path ? 0 : 1, $0.id) < ($1.path == path ? 0 : 1, $1.id) }) {
            if let resolved = try image.applying(preimage: resolution.preimage, postimage: resolution.postimage) {
                return (resolution, resolved)
            }
        }
        return nil
    }

    /// A resolution's meta file: each key's last value (git-config text, read as `MetaText` reads
    /// a fix-up's, escapes and quotes undone).
    static func parseMeta(_ bytes: [UInt8]) -> [String: String] {
        Dictionary(MetaText.entries(bytes).map { ($0.1, $0.2) }, uniquingKeysWith: { _, last in last })
    }
}

extension ResolutionStore.Resolution {
    /// `resolution of PATH (ID):` and git's unified diff (three lines of context) from the
    /// conflict as it was, markers and all, to the content recorded: what a conflict note shows.
    public func diff(in repository: Repository) throws -> String {
        func tree(_ bytes: [UInt8]) throws -> ObjectID {
            try repository.writeTree(
                base: nil, edits: [.upsert(path: path, blob: try repository.writeBlob(bytes), mode: .regular)])
        }
        let patch = try repository.diff(from: try tree(preimage), to: try tree(postimage)).patch()
        return "resolution of \(path) (\(id.prefix(12))):\n" + patch
    }
}
