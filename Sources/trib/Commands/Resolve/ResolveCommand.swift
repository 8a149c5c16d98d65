import ArgumentParser
import Foundation
import Git
import Tributary

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Record, list and drop conflict resolutions and fix-ups that pulls reuse.",
        discussion: """
            Resolutions are keyed by the conflict's content, normalised as `git rerere` does (both \
            sides of each conflict, without labels, in byte order), not by commit ids: they apply \
            again after rebuilds and unrelated new commits, and stop applying when the conflict \
            itself changes. A merge fix-up (what a merge someone made changed beyond git's result, \
            learned by `trib resolve record`) is keyed by the commits of each side that need it, by \
            patch-id, and made whenever they meet. All of it lives in refs/tributary/resolutions; \
            share it with `git push ORIGIN refs/tributary/resolutions` and fetch it the same way. \
            See Docs/pull.md.
            """,
        subcommands: [
            ResolveStartCommand.self, ResolveSaveCommand.self, ResolveRecordCommand.self, ResolveListCommand.self,
            ResolveShowCommand.self, ResolveDropCommand.self, ResolveFixupCommand.self, ResolveImportCommand.self,
        ]
    )
}

struct ResolveStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Put a tree's conflicted merge into a directory of its own, with conflict markers.",
        discussion: """
            Merges the trees before TREE as `trib pull` would (a tree that conflicts is left out), \
            then merges TREE and writes each conflicted file, with conflict markers, below \
            GIT_DIR/tributary/resolve/TREE/ — never into your work tree. Edit the files there and \
            run `trib resolve save TREE`.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Argument(help: ArgumentHelp("The tree whose conflict to resolve.", valueName: "tree"))
    var tree: String

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            _ = try manifest.tree(named: tree)
            let lock = try IntegrationLock(repository: repository, command: "trib resolve start")
            defer { lock.release() }
            // What the pull would merge onto: the trees before TREE as it would merge them.
            let puller = Puller(repository: repository, manifest: manifest)
            puller.onConflict = .skip
            let names = manifest.trees.map(\.name)
            puller.treeNames = Array(names[...names.firstIndex(of: tree)!])
            puller.context = CommandContext.make()
            let plan = try puller.plan()
            guard let result = plan.trees.last, result.name == tree, let onto = result.onto, let tip = result.tip,
                result.outcome == .skipped
            else {
                throw TributaryError.badInput("\(tree) merges without conflicts now (or is not fetched)")
            }
            let session = try ResolutionRecorder(repository: repository).start(tree: tree, ours: onto, theirs: tip)
            print("resolve the conflicts of \(tree) in \(session.directory):")
            for path in session.paths { print("  \(path)") }
            print("then run: trib resolve save \(tree)")
        }
    }
}

struct ResolveSaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save", abstract: "Record the files resolved after `trib resolve start`.")

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("The tree (default: the only resolution in progress).", valueName: "tree"))
    var tree: String?

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            let lock = try IntegrationLock(repository: repository, command: "trib resolve save")
            defer { lock.release() }
            let recorder = ResolutionRecorder(repository: repository)
            let sessions = try recorder.sessions()
            let chosen = tree.map { name in sessions.filter { $0.tree == name } } ?? sessions
            guard chosen.count == 1, let session = chosen.first else {
                throw TributaryError.badInput(
                    sessions.isEmpty
                        ? "no resolution in progress (start one with `trib resolve start TREE`)"
                        : "resolutions in progress: \(sessions.map(\.tree).joined(separator: ", ")); name one")
            }
            let recorded = try recorder.save(session)
            for resolution in recorded { print("recorded \(resolution.id.prefix(12)) for \(resolution.path)") }
        }
    }
}

struct ResolveRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Learn everything a merge someone made by hand did: resolutions, fix-up, subtree.",
        discussion: """
            Merges the merge commit's two parents again as `trib pull` would, and records: for \
            each conflicted file, the content the merge has (a resolution); everything else the \
            merge changed beyond that result (a fix-up: a caller of a renamed function fixed in a \
            file that merged cleanly), keyed by the commits of each side whose meeting needed it, \
            so that pulls make it whenever those commits meet again, in any order of the trees and \
            after rebases; and, for a merge made with `git merge -s subtree`, the directory it \
            merged the project into, which pulls of trees carrying that project then use. \
            See Docs/pull.md.
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Argument(help: ArgumentHelp("The merge commit.", valueName: "merge-commit"))
    var merge: String

    func run() throws {
        let learned = try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.loadIfPresent(for: repository)
            let lock = try IntegrationLock(repository: repository, command: "trib resolve record")
            defer { lock.release() }
            return try ResolutionRecorder(repository: repository).learn(
                merge: repository.resolveCommit(merge), manifest: manifest)
        }
        var output = StandardOutput()
        output.write(ResolutionRenderer.learned(learned))
        output.flush()
    }
}

struct ResolveListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List recorded resolutions and fix-ups, with those gone stale.",
        discussion: """
            A resolution is stale when none of the last N pulls (--stale-after) used it, or when \
            the last pull met a conflict at its path that it no longer matches. A tree's fix-up is \
            stale when it did not apply in the last pull that merged its tree. A merge fix-up \
            (learned by `trib resolve record`) is listed with its state (active, STALE when the \
            last pull in which it was due could not apply it, or retired and why), its files, when \
            a pull last made it, and the commits of each side it needs.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: ArgumentHelp("Pulls without use after which a resolution is stale.", valueName: "n"))
    var staleAfter: Int = 10

    func run() throws {
        let listing = try reportingFailures {
            try ResolutionListing(repository: try self.repository.open(), staleAfter: staleAfter)
        }
        var output = StandardOutput()
        output.write(ResolutionRenderer.list(listing))
        output.flush()
    }
}

struct ResolveShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one resolution (the conflict as recorded, how it was resolved) or merge fix-up.",
        discussion:
            "A merge fix-up is shown with the commits of each side it needs, where it came from, and its patch.")

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("The resolution's or fix-up's id (a unique prefix is enough).", valueName: "id"))
    var id: String

    func run() throws {
        let text = try reportingFailures {
            switch try ResolutionStore(repository: try self.repository.open()).recorded(withPrefix: id) {
            case .resolution(let resolution): return ResolutionRenderer.show(resolution)
            case .mergeFixup(let fixup): return ResolutionRenderer.show(fixup)
            }
        }
        var output = StandardOutput()
        output.write(text)
        output.flush()
    }
}

struct ResolveDropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Drop recorded resolutions or merge fix-ups (by id prefix), or a tree's fix-up (TREE/NAME).",
        discussion: "The ref's history keeps what was dropped (git log refs/tributary/resolutions).")

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("Resolution or merge fix-up ids, or tree fix-ups as TREE/NAME.", valueName: "id"))
    var ids: [String]

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            let lock = try IntegrationLock(repository: repository, command: "trib resolve drop")
            defer { lock.release() }
            let store = ResolutionStore(repository: repository)
            // Every id is looked up before anything is dropped: one that names nothing changes
            // nothing.
            var drop: [String] = []
            var treeFixups: [(tree: String, name: String)] = []
            var mergeFixups: [String] = []
            for id in ids {
                if id.contains("/") {
                    let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
                    guard parts.count == 2,
                        try store.fixups().contains(where: { $0.tree == parts[0] && $0.name == parts[1] })
                    else { throw TributaryError.badInput("no fix-up \(id) (see `trib resolve list`)") }
                    treeFixups.append((parts[0], parts[1]))
                    continue
                }
                switch try store.recorded(withPrefix: id) {
                case .resolution(let resolution): drop.append(resolution.id)
                case .mergeFixup(let fixup): mergeFixups.append(fixup.id)
                }
            }
            for fixup in treeFixups {
                try store.dropFixup(tree: fixup.tree, name: fixup.name)
                print("dropped fix-up \(fixup.tree)/\(fixup.name)")
            }
            if !mergeFixups.isEmpty {
                try store.dropMergeFixups(
                    mergeFixups, message: "trib resolve drop: fix-up \(mergeFixups.joined(separator: ", "))")
                for id in mergeFixups { print("dropped fix-up \(id)") }
            }
            if !drop.isEmpty {
                try store.drop(
                    drop, message: "trib resolve drop: \(drop.map { String($0.prefix(12)) }.joined(separator: ", "))")
                for id in drop { print("dropped \(id.prefix(12))") }
            }
        }
    }
}

struct ResolveFixupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixup",
        abstract: "Add a patch that `trib pull` applies right after TREE's merge (for semantic conflicts).",
        discussion:
            "The patch (git diff or format-patch text) is committed on top of the merge; when it no longer applies, the pull goes on without it and reports it stale."
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Argument(help: ArgumentHelp("The tree.", valueName: "tree"))
    var tree: String

    @Argument(help: ArgumentHelp("The patch file.", valueName: "patch"), completion: .file())
    var patch: String

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            _ = try manifestOptions.load(for: repository).tree(named: tree)
            guard let data = FileManager.default.contents(atPath: patch) else {
                throw TributaryError.badInput("cannot read \(patch)")
            }
            let lock = try IntegrationLock(repository: repository, command: "trib resolve fixup")
            defer { lock.release() }
            let name = ((patch as NSString).lastPathComponent as NSString).deletingPathExtension
            try ResolutionStore(repository: repository).addFixup(
                tree: tree, name: name, patch: String(decoding: data, as: UTF8.self))
            print("fix-up \(tree)/\(name) recorded")
        }
    }
}

struct ResolveImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import fix-ups kept as dim's fixups/BRANCH.patch files or git's refs/merge-fix/TOPIC commits.",
        discussion: """
            Each becomes the fix-up of the tree it names (by the tree's name, else its branch), \
            applied after that tree's merge as `trib resolve fixup` patches are; what names no tree, \
            or is not a patch (a merge-fix commit must have one parent), is listed as not imported. \
            See Docs/pull.md.
            """)

    enum Layout: String, ExpressibleByArgument, CaseIterable {
        case dim
        case mergeFix = "merge-fix"
    }

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "dim: a directory of BRANCH.patch files (or one with a fixups/ directory); merge-fix: this repository's refs/merge-fix/*.",
            valueName: "layout"))
    var from: Layout

    @Argument(help: ArgumentHelp("The directory (for --from dim).", valueName: "directory"), completion: .directory)
    var directory: String?

    func validate() throws {
        if from == .dim && directory == nil { throw ValidationError("--from dim needs the directory") }
        if from == .mergeFix && directory != nil { throw ValidationError("--from merge-fix takes no directory") }
    }

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            let importer = FixupImport(repository: repository, manifest: try manifestOptions.load(for: repository))
            let lock = try IntegrationLock(repository: repository, command: "trib resolve import")
            defer { lock.release() }
            let outcome =
                from == .dim ? try importer.importDim(directory: directory ?? "") : try importer.importMergeFix()
            for fixup in outcome.imported { print("imported fix-up \(fixup.tree)/\(fixup.name) from \(fixup.source)") }
            for skipped in outcome.skipped { print("not imported: \(skipped.source): \(skipped.reason)") }
            if outcome.imported.isEmpty && outcome.skipped.isEmpty { print("nothing to import") }
        }
    }
}
