import Foundation
public import Git
public import Tributary

/// A small but realistic integration forest, built for `trib demo` and for tests: an
/// integration repository (`mm`, branch `mm-next`) on a mainline base, and four sub-tree
/// repositories (slab, memblock, vma, thp) with series that have complete and missing tags, the
/// same fix in two trees, and two trees that conflict in `include/linux/mm.h`.
///
/// Everything is deterministic (fixed identities and dates), so the same forest has the same
/// commit ids on every machine.
public struct DemoForest: Sendable {
    /// A sub-tree of the forest.
    public struct Tree: Sendable {
        public var name: String
        /// The sub-tree's own (bare) repository.
        public var repositoryPath: String
        public var branch: String
        public var maintainer: String
        /// The MAINTAINERS section this tree owns.
        public var ownedSection: String
        /// The series it carries, by title.
        public var series: [String]
        /// Its commits on top of the base, oldest first.
        public var commits: [ObjectID]
        /// Commits built with a known tag problem, and the problem.
        public var plantedProblems: [(commit: ObjectID, subject: String, problem: String)]
    }

    /// The directory that holds the forest.
    public var directory: String
    /// The integration repository (non-bare).
    public var integrationPath: String
    public var integrationBranch: String
    /// The mainline commit every tree is based on (tagged `v7.0-rc1`).
    public var base: ObjectID
    /// The sub-trees, in merge order.
    public var trees: [Tree]

    /// Builds the forest in `directory`, which must not exist or be empty. Sub-trees are
    /// fetched into the integration repository with `git fetch`, under `refs/tributary/trees/`.
    public static func build(in directory: String, fetcher: Fetcher = Fetcher()) throws -> DemoForest {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: directory) {
            let contents = try fileManager.contentsOfDirectory(atPath: directory)
            guard contents.isEmpty else {
                throw TributaryError.badInput("\(directory) is not empty; give a new or empty directory")
            }
        }
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let integrationPath = directory + "/mm"
        let integration = try Repository.create(at: integrationPath, bare: false, initialBranch: "mm-next")
        var clock = DemoClock()
        let base = try buildMainline(in: integration, clock: &clock)
        try integration.updateReference(
            "refs/heads/mm-next", to: base, expecting: nil,
            message: "demo: mm-next starts at \(DemoContent.mainlineTag)")
        try integration.forceCheckoutHead()
        let manifestPath = integrationPath + "/.tributary"
        try Manifest.create(
            at: manifestPath,
            integration: Manifest.Integration(
                branch: "mm-next", base: "refs/tags/\(DemoContent.mainlineTag)", maintainersPath: "MAINTAINERS"))
        var manifest = try Manifest.load(from: manifestPath)
        // Merge commits need an author: the integration maintainer's role.
        let config = try ConfigFile(path: integration.gitDirectory + "config")
        try config.set("user.name", to: "Integration Maintainer")
        try config.set("user.email", to: "integration-maintainer@example.org")
        // The manifest lives untracked in the work tree; keep `git status` clean.
        try "/.tributary\n".write(toFile: integration.gitDirectory + "info/exclude", atomically: true, encoding: .utf8)

        var trees: [Tree] = []
        for spec in DemoContent.trees {
            let path = directory + "/trees/\(spec.name).git"
            let repository = try Repository.create(at: path, bare: true, initialBranch: "for-next")
            var treeClock = DemoClock()
            let treeBase = try buildMainline(in: repository, clock: &treeClock)
            precondition(treeBase == base, "the mainline history is deterministic")
            let built = try buildSeries(spec, on: base, in: repository, clock: &clock)
            try repository.updateReference(
                "refs/heads/for-next", to: built.tip, expecting: nil, message: "demo: \(spec.name) series")
            trees.append(
                Tree(
                    name: spec.name, repositoryPath: path, branch: "for-next", maintainer: spec.maintainer.identity,
                    ownedSection: spec.ownedSection, series: spec.series.map(\.title), commits: built.commits,
                    plantedProblems: built.planted))
            try manifest.add([
                Manifest.Tree(name: spec.name, url: path, branch: "for-next", owns: [spec.ownedSection])
            ])
            let outcome = try fetcher.fetch(
                Fetcher.Request(name: spec.name, url: path, branch: "for-next"), into: integrationPath)
            if let failure = outcome.failure {
                throw TributaryError.environment(
                    "fetching \(spec.name) into the integration repository failed: \(failure)")
            }
        }
        return DemoForest(
            directory: directory, integrationPath: integrationPath, integrationBranch: "mm-next", base: base,
            trees: trees)
    }

    /// The mainline history: an import, then the commit a planted Fixes: points at.
    private static func buildMainline(in repository: Repository, clock: inout DemoClock) throws -> ObjectID {
        var files = DemoFiles.base
        let splitFunction = "void split_huge_page(struct folio *folio)\n{\n\tfolio_put(folio);\n}\n\n"
        files["mm/huge_memory.c"] = files["mm/huge_memory.c"]!.replacingOccurrences(of: splitFunction, with: "")
        let edits = try files.map { path, text in
            TreeEdit.upsert(path: path, blob: try repository.writeBlob(text), mode: .regular)
        }
        let importTree = try repository.writeTree(base: nil, edits: edits)
        let mainline = DemoPerson.mainline
        let first = try repository.createCommit(
            tree: importTree, parents: [], author: mainline.signature(at: clock.tick()),
            committer: mainline.signature(at: clock.now), message: "Import the memory-management slice\n")
        let secondTree = try repository.writeTree(
            base: importTree,
            edits: [
                .upsert(path: "mm/huge_memory.c", blob: try repository.writeBlob(DemoFiles.hugeMemory), mode: .regular)
            ])
        let second = try repository.createCommit(
            tree: secondTree, parents: [first], author: DemoPerson.thpMaintainer.signature(at: clock.tick()),
            committer: mainline.signature(at: clock.now),
            message:
                "mm: thp: split huge pages\n\nSigned-off-by: \(DemoPerson.thpMaintainer.identity)\nSigned-off-by: \(mainline.identity)\n"
        )
        try repository.updateReference(
            "refs/tags/\(DemoContent.mainlineTag)", to: second, expecting: nil, message: "demo: tag")
        return second
    }

    private static func buildSeries(
        _ spec: DemoTreeSpec,
        on base: ObjectID,
        in repository: Repository,
        clock: inout DemoClock
    ) throws -> (tip: ObjectID, commits: [ObjectID], planted: [(commit: ObjectID, subject: String, problem: String)]) {
        var tip = base
        var commits: [ObjectID] = []
        var planted: [(commit: ObjectID, subject: String, problem: String)] = []
        for series in spec.series {
            for patch in series.patches {
                let tree = try repository.commit(tip).tree
                var edits: [TreeEdit] = []
                var contents: [String: String] = [:]
                for edit in patch.edits {
                    let path: String
                    switch edit {
                    case .replace(let file, _, _), .insert(let file, _, _): path = file
                    }
                    var text =
                        try contents[path] ?? repository.fileContents(at: path, in: tree).map {
                            String(decoding: $0, as: UTF8.self)
                        } ?? ""
                    switch edit {
                    case .replace(_, let old, let new):
                        guard text.contains(old) else {
                            throw TributaryError.environment("demo patch '\(patch.subject)': no '\(old)' in \(path)")
                        }
                        text = text.replacingFirst(old, with: new)
                    case .insert(_, let anchor, let inserted):
                        guard text.contains(anchor) else {
                            throw TributaryError.environment("demo patch '\(patch.subject)': no '\(anchor)' in \(path)")
                        }
                        text = text.replacingFirst(anchor, with: anchor + inserted)
                    }
                    contents[path] = text
                }
                for (path, text) in contents.sorted(by: { $0.key < $1.key }) {
                    edits.append(.upsert(path: path, blob: try repository.writeBlob(text), mode: .regular))
                }
                let newTree = try repository.writeTree(base: tree, edits: edits)
                let trailers = patch.trailers.map { key, value in
                    "\(key): " + value.replacingOccurrences(of: "{{BASE:8}}", with: base.abbreviated(8))
                }
                let message = "\(patch.subject)\n\n\(patch.body)\n\n\(trailers.joined(separator: "\n"))\n"
                let authored = clock.tick()
                tip = try repository.createCommit(
                    tree: newTree, parents: [tip], author: patch.author.signature(at: authored),
                    committer: spec.maintainer.signature(at: clock.tick()), message: message)
                commits.append(tip)
                if let problem = patch.plantedProblem { planted.append((tip, patch.subject, problem)) }
            }
        }
        return (tip, commits, planted)
    }
}

/// Deterministic dates for the demo: from 2026-03-01 on, an hour apart.
struct DemoClock {
    var now: Int64 = 1_772_352_000

    mutating func tick() -> Int64 {
        now += 3600
        return now
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
