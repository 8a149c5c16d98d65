import Foundation
public import Git

/// Imports the fix-up layouts maintainers keep today as trees' fix-ups (`trib resolve import`):
/// drm's `dim` keeps `fixups/BRANCH.patch` in its rerere-cache branch, applied after that
/// branch's merge; git's maintainer keeps `refs/merge-fix/TOPIC` commits, cherry-picked after
/// TOPIC's merge. Neither says which commits need the patch, so each becomes the fix-up of the
/// tree it names, applied after that tree's merge.
public struct FixupImport {
    /// What an import did.
    public struct Outcome: Sendable {
        /// Each fix-up imported: the tree, its name, where it came from.
        public var imported: [(tree: String, name: String, source: String)] = []
        /// What was not imported, and why.
        public var skipped: [(source: String, reason: String)] = []
    }

    public let repository: Repository
    public let manifest: Manifest

    public init(repository: Repository, manifest: Manifest) {
        self.repository = repository
        self.manifest = manifest
    }

    /// The tree a layout's name stands for: the tree of that name, else the one whose branch it is.
    func tree(named name: String) -> Manifest.Tree? {
        manifest.trees.first { $0.name == name } ?? manifest.trees.first { $0.branch == name }
    }

    /// dim's layout: every `*.patch` of `directory` (or of its `fixups/` directory).
    public func importDim(directory: String) throws -> Outcome {
        let nested = directory + "/fixups"
        var isDirectory: ObjCBool = false
        let root =
            FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory) && isDirectory.boolValue
            ? nested : directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else {
            throw TributaryError.badInput("cannot read the directory \(directory)")
        }
        var outcome = Outcome()
        var fixups: [(tree: String, name: String, patch: String)] = []
        for name in names.sorted() where name.hasSuffix(".patch") {
            let stem = String(name.dropLast(6))
            let source = root + "/" + name
            guard let tree = tree(named: stem) else {
                outcome.skipped.append((source, "no tree is named \(stem) or has it as its branch"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: source),
                let text = String(data: data, encoding: .utf8)
            else {
                outcome.skipped.append((source, "not readable as UTF-8 text"))
                continue
            }
            guard text.contains("\n@@ ") || text.contains("GIT binary patch") else {
                outcome.skipped.append((source, "no patch in it"))
                continue
            }
            fixups.append((tree.name, "dim-" + Self.safeName(stem), text))
            outcome.imported.append((tree.name, "dim-" + Self.safeName(stem), source))
        }
        try store(fixups, message: "trib resolve import --dim")
        return outcome
    }

    /// git's Meta layout: every `refs/merge-fix/TOPIC` reference of the repository.
    public func importMergeFix() throws -> Outcome {
        var outcome = Outcome()
        var fixups: [(tree: String, name: String, patch: String)] = []
        for found in try repository.references(matching: "refs/merge-fix/*").sorted(by: { $0.name < $1.name }) {
            let (reference, target) = (found.name, found.target)
            let topic = String(reference.dropFirst("refs/merge-fix/".count))
            guard let tree = tree(named: topic) else {
                outcome.skipped.append((reference, "no tree is named \(topic) or has it as its branch"))
                continue
            }
            guard let commit = try? repository.commit(target), commit.parents.count == 1 else {
                outcome.skipped.append((reference, "not a commit with one parent"))
                continue
            }
            var options = DiffOptions()
            options.detectRenames = false
            options.showBinary = true
            let parentTree = try repository.treeOfCommit(commit.parents[0])
            let patch = try repository.diff(from: parentTree, to: commit.tree, options: options).patchBytes()
            guard !patch.isEmpty, let text = String(bytes: patch, encoding: .utf8) else {
                outcome.skipped.append((reference, patch.isEmpty ? "its commit changes nothing" : "not UTF-8 text"))
                continue
            }
            let name = "merge-fix-" + Self.safeName(topic)
            fixups.append((tree.name, name, text))
            outcome.imported.append((tree.name, name, reference))
        }
        try store(fixups, message: "trib resolve import --merge-fix")
        return outcome
    }

    private func store(_ fixups: [(tree: String, name: String, patch: String)], message: String) throws {
        guard !fixups.isEmpty else { return }
        try ResolutionStore(repository: repository).addFixups(fixups, message: message)
    }

    /// `name` usable as one path component: `/` becomes `-`.
    static func safeName(_ name: String) -> String {
        name.replacingOccurrences(of: "/", with: "-")
    }
}
