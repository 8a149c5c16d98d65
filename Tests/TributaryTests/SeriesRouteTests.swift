import Foundation
import Git
import GitFixtures
import Testing
import Tributary
import TributaryDemo

/// `trib series route` on the demo forest: postings made with `git format-patch` from commits
/// written against the integration branch, a sub-tree, an old base, a prerequisite in another
/// tree, blobs nobody has, and a re-roll of a landed series; each routed, and each trial checked
/// against `git am --3way` run on a scratch clone at the same place.
@Suite(.serialized) struct SeriesRouteTests {
    /// The forest with its mail imported, a clone to write postings in, and the router.
    final class Setup {
        let forest: DemoForest
        let repository: Repository
        let manifest: Manifest
        let author: FixtureGit
        let directory: String

        init() throws {
            directory =
                FileManager.default.temporaryDirectory.appendingPathComponent("trib-route-\(UUID().uuidString)")
                .path
            forest = try DemoForest.build(in: directory + "/forest")
            // mm-next with slab, memblock and vma merged (thp conflicts with vma in mm.h).
            let integration = FixtureGit(directory: forest.integrationPath)
            for tree in ["slab", "memblock", "vma"] {
                try integration("merge", "-q", "--no-edit", TreeReferences.tip(tree))
            }
            _ = try DemoMail.ledger(forest)
            repository = try Repository(at: forest.integrationPath)
            manifest = try Manifest.load(from: forest.integrationPath + "/.tributary")
            // Objects made in this clone stay in it: the integration repository never sees them.
            try FixtureGit(directory: directory)("clone", "-q", "--shared", forest.integrationPath, "author")
            author = FixtureGit(directory: directory + "/author")
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        /// The tip of a place.
        func tip(_ place: String) throws -> ObjectID {
            place == forest.integrationBranch
                ? try repository.resolveCommit("refs/heads/\(place)")
                : try #require(try repository.referenceTarget(TreeReferences.tip(place)))
        }

        /// Commits `edits` (path → old text → new text) on `start` in the authoring clone and
        /// returns the commit.
        @discardableResult
        func commit(
            on start: String, _ subject: String, _ edits: [(String, String, String)], as person: String,
            body: String = ""
        ) throws -> String {
            try author("checkout", "-q", "--detach", start)
            for (path, old, new) in edits {
                let file = author.directory + "/" + path
                let text = try String(contentsOfFile: file, encoding: .utf8)
                #expect(text.contains(old), "\(path) has '\(old)' at \(start)")
                try text.replacingOccurrences(of: old, with: new).write(toFile: file, atomically: true, encoding: .utf8)
            }
            try author(
                "-c", "user.name=Route Tester", "-c", "user.email=route@example.org", "commit", "-q", "-a",
                "--author", person, "-m", "\(subject)\n\n\(body.isEmpty ? "" : body + "\n\n")Signed-off-by: \(person)\n"
            )
            return try author("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// `git format-patch ARGUMENTS --stdout`, written to a file; its path.
        func post(_ name: String, _ arguments: [String]) throws -> String {
            let text = try author(["format-patch", "--stdout", "--thread", "--no-signature"] + arguments)
            let path = directory + "/\(name).mbox"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func route(_ mbox: String) throws -> SeriesRoute {
            let sources = try LedgerSources(repository: repository, manifest: manifest, index: nil)
            let ledger = try sources.ledger()
            let series = try RouteTarget.posting(mbox, version: nil, series: sources.series)
            return try SeriesRouter(sources: sources, manifest: manifest, ledger: ledger).route(series)
        }

        /// For every place: `git am --3way` of `mbox` on a scratch clone at its tip agrees with
        /// the route's trial (the same tree, or a failure at the same patch).
        func expectAgreesWithGitAm(_ route: SeriesRoute, _ mbox: String) throws {
            let scratch = directory + "/am-\(UUID().uuidString)"
            try FixtureGit(directory: directory)(
                "clone", "-q", "--shared", "--no-checkout", forest.integrationPath, scratch)
            let git = FixtureGit(directory: scratch)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            for trial in route.trials where !trial.place.contains("+") {
                try git("checkout", "-q", "-f", "--detach", trial.tip.hex)
                let applied = try git.run(["am", "-3", "-q", mbox])
                if applied.status == 0 {
                    let tree = try git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
                    #expect(trial.tree?.hex == tree, "\(trial.place): git am gave tree \(tree)")
                } else {
                    let said = applied.text + applied.errorOutput
                    let failed = said.range(of: #"Patch failed at (\d+)"#, options: .regularExpression).map {
                        Int(said[$0].split(separator: " ").last!)!
                    }
                    #expect(trial.failure?.counter == failed, "\(trial.place): git am said \(said)")
                    _ = try git.run(["am", "--abort"])
                }
            }
        }
    }

    static let vmaContributor = "VMA Contributor <vma-contributor@example.org>"

    @Test("written against the integration branch: routed to the owner, applied onto its tip without its base")
    func againstIntegration() throws {
        let setup = try Setup()
        let start = try setup.tip("mm-next").hex
        try setup.commit(
            on: start, "mm/vma: say why a sealed VMA is not expanded",
            [("mm/vma.c", "\t\treturn -EPERM;\n", "\t\treturn -EPERM;\t/* sealed */\n")], as: Self.vmaContributor)
        let mbox = try setup.post("integration", ["--base=\(start)", "-1"])
        let route = try setup.route(mbox)
        #expect(route.decision.place == "vma")
        #expect(route.decision.applies)
        #expect(route.trial("vma")?.result == .clean)
        #expect(route.trial("slab")?.result == .fails)
        #expect(route.base.commit?.hex == start)
        #expect(route.base.inMainline == false)
        #expect(route.dependencies.map(\.places) == [["mm-next"]])
        #expect(route.decision.reasons.contains { $0.hasPrefix("it was written against the integration branch") })
        #expect(route.acks.isEmpty)
        #expect(route.meets?.conflicts.isEmpty == true)
        try setup.expectAgreesWithGitAm(route, mbox)
    }

    @Test("written against a sub-tree: routed there; where that tree's changes are missing it conflicts")
    func againstSubtree() throws {
        let setup = try Setup()
        let start = try setup.tip("thp").hex
        try setup.commit(
            on: start, "mm: thp: do not split hugetlb folios",
            [
                (
                    "mm/huge_memory.c", "if (folio_test_large(folio))",
                    "if (folio_test_large(folio) && !folio_test_hugetlb(folio))"
                )
            ],
            as: "THP Contributor <thp-contributor@example.org>")
        let mbox = try setup.post("subtree", ["-1"])
        let route = try setup.route(mbox)
        #expect(route.decision.place == "thp")
        #expect(route.trial("thp")?.result == .clean)
        // mm-next has vma's lines in that file and not thp's.
        #expect(route.trial("mm-next")?.failure?.reason == .conflict)
        #expect(route.trial("slab")?.failure?.reason == .conflict)
        #expect(route.trial("slab")?.failure?.file == "mm/huge_memory.c")
        #expect(route.base.matches.filter(\.atTip).map(\.place) == ["thp"])
        try setup.expectAgreesWithGitAm(route, mbox)
    }

    @Test("written against an old base: routed to the owner, where only a three-way merge takes it")
    func oldBase() throws {
        let setup = try Setup()
        try setup.commit(
            on: "v7.0-rc1", "slab: constify kmem_cache_shrink's cache",
            [
                (
                    "mm/slub.c", "int kmem_cache_shrink(struct kmem_cache *s)",
                    "int kmem_cache_shrink(struct kmem_cache *const s)"
                )
            ],
            as: "Slab Contributor <slab-contributor@example.org>")
        let mbox = try setup.post("old-base", ["-1"])
        let route = try setup.route(mbox)
        #expect(route.decision.place == "slab")
        #expect(route.decision.applies)
        #expect(route.trial("slab")?.result == .threeWay)
        #expect(route.trial("slab")?.steps == [.merged])
        #expect(route.trial("vma")?.result == .clean)
        let old = route.base.matches.first { $0.place == "slab" }
        #expect(old?.atTip == false)
        // The newest slab commit before its series changed mm/slub.c.
        #expect(old?.commit == setup.forest.trees[0].commits[0])
        #expect(route.decision.reasons.contains("it applies only by a three-way merge onto slab's tip"))
        try setup.expectAgreesWithGitAm(route, mbox)
    }

    @Test("a prerequisite in another tree: routed with it, and the owner's ack is needed")
    func prerequisiteInAnotherTree() throws {
        let setup = try Setup()
        let vma = try setup.tip("vma").hex
        try setup.commit(
            on: vma, "mm/vma: let THP refuse sealed VMAs early",
            [("mm/huge_memory.c", "\tif (vm_flags & VM_SEALED)\n", "\tif (unlikely(vm_flags & VM_SEALED))\n")],
            as: Self.vmaContributor)
        let mbox = try setup.post("prerequisite", ["--base=v7.0-rc1", "\(vma)..HEAD"])
        let route = try setup.route(mbox)
        #expect(route.base.prerequisites.count == 3)
        #expect(route.base.prerequisites.allSatisfy { $0.places == ["mm-next", "vma"] })
        #expect(route.dependencies.filter { $0.kind == .prerequisitePatchID }.allSatisfy { $0.places == ["vma"] })
        #expect(route.decision.place == "vma")
        #expect(route.decision.alternatives == ["thp"])
        #expect(route.owners.map(\.tree) == ["thp"])
        #expect(route.trial("vma")?.result == .clean)
        #expect(route.trial("thp")?.applies == false)
        let needed = route.acks.filter { $0.givenBy == nil }
        #expect(needed.map(\.section) == ["MEMORY MANAGEMENT - THP (TRANSPARENT HUGE PAGE)"])
        #expect(needed.first?.tree == "thp")
        #expect(needed.first?.maintainers == ["THP Maintainer <thp-maintainer@example.org>"])
        try setup.expectAgreesWithGitAm(route, mbox)
    }

    @Test("written on blobs nobody has: applies nowhere, and says so")
    func appliesNowhere() throws {
        let setup = try Setup()
        // An unposted change first: the posted patch's blobs exist only in the sender's clone.
        try setup.commit(
            on: "v7.0-rc1", "mm/vma: local change",
            [("mm/vma.c", "\t\treturn -EINVAL;\n", "\t\treturn -ENOMEM;\n")], as: Self.vmaContributor)
        try setup.commit(
            on: "HEAD", "mm/vma: return -EFAULT", [("mm/vma.c", "\t\treturn -ENOMEM;\n", "\t\treturn -EFAULT;\n")],
            as: Self.vmaContributor)
        let mbox = try setup.post("nowhere", ["-1"])
        let route = try setup.route(mbox)
        #expect(route.decision.place == "vma")
        #expect(route.decision.applies == false)
        #expect(route.trials.allSatisfy { $0.failure?.reason == .missingBlobs })
        #expect(route.trials.allSatisfy { $0.failure?.file == "mm/vma.c" && $0.failure?.hunk == "@@ -10,7 +10,7 @@" })
        #expect(
            route.decision.reasons.last?.hasPrefix("it applies nowhere (onto vma: patch 1 fails in mm/vma.c") == true)
        #expect(route.meets == nil)
        try setup.expectAgreesWithGitAm(route, mbox)
    }

    @Test("a new version of a landed series goes where the old one landed")
    func rerollOfLandedSeries() throws {
        let setup = try Setup()
        let slab = try setup.tip("slab").hex
        try setup.commit(
            on: slab, "slab: flush sheaves before shrinking",
            [("mm/slub.c", "\tsheaf_flush(s);\n", "\tsheaf_flush(s);\t/* before the slabs */\n")],
            as: "Slab Contributor <slab-contributor@example.org>")
        let mbox = try setup.post("reroll", ["--subject-prefix=PATCH v2", "-1"])
        let route = try setup.route(mbox)
        #expect(route.series.id != nil)
        #expect(route.earlierLandings.map(\.place) == ["mm-next", "slab"])
        #expect(route.decision.place == "slab")
        #expect(route.decision.reasons.first == "v1 landed in slab")
        #expect(route.trial("slab")?.result == .clean)
        try setup.expectAgreesWithGitAm(route, mbox)
    }

    @Test("what it will meet: taken by its tree, it conflicts with what the integration branch has from another")
    func meetsConflict() throws {
        let setup = try Setup()
        try setup.commit(
            on: try setup.tip("slab").hex, "slab: mark slab-backed mappings",
            [
                (
                    "include/linux/mm.h", "#define VM_SHARED\t0x00000008\n",
                    "#define VM_SHARED\t0x00000008\n#define VM_SLAB\t\t0x00000010\n"
                ),
                ("mm/slub.c", "\ts->size = size;\n", "\ts->size = size;\n\ts->flags = VM_SLAB;\n"),
            ], as: "Slab Contributor <slab-contributor@example.org>")
        let mbox = try setup.post("meets", ["-1"])
        let route = try setup.route(mbox)
        #expect(route.decision.place == "slab")
        #expect(route.unownedFiles == ["include/linux/mm.h"])
        #expect(route.trial("slab")?.result == .clean)
        #expect(route.meets?.mergesWithIntegration == false)
        let vmaFlag = try #require(setup.forest.trees.first { $0.name == "vma" }?.commits.first)
        #expect(route.meets?.conflicts.map(\.place) == ["mm-next"])
        #expect(route.meets?.conflicts.first?.files == ["include/linux/mm.h"])
        #expect(route.meets?.conflicts.first?.commits == [vmaFlag])
        #expect(route.acks.filter { $0.givenBy == nil }.map(\.section) == ["MEMORY MANAGEMENT - CORE"])
        #expect(route.summary.text == "slab (applies; 1 ack needed; conflicts with mm-next)")
        try setup.expectAgreesWithGitAm(route, mbox)
    }

    @Test("a Depends-on: naming a landed posting: routed with the tree that has it")
    func dependsOnMessageID() throws {
        let setup = try Setup()
        try setup.commit(
            on: try setup.tip("vma").hex, "mm: thp: skip sealed VMAs when collapsing",
            [
                (
                    "mm/huge_memory.c", "\t\treturn false;\n\tif (vma_is_anonymous",
                    "\t\treturn false; /* sealed */\n\tif (vma_is_anonymous"
                )
            ],
            as: "THP Contributor <thp-contributor@example.org>",
            body: "Depends-on: <20260302140000.0-vma-contributor@example.org>")
        let mbox = try setup.post("depends-on", ["-1"])
        let route = try setup.route(mbox)
        let dependency = try #require(route.dependencies.first)
        #expect(dependency.kind == .messageID)
        #expect(dependency.series == "mm: add VM_SEALED")
        #expect(dependency.places == ["vma"])
        #expect(route.decision.place == "vma")
        #expect(route.decision.alternatives == ["thp"])
        #expect(
            route.decision.reasons.first
                == "its prerequisite ('mm: add VM_SEALED' <20260302140000.0-vma-contributor@example.org>) is in vma")
        try setup.expectAgreesWithGitAm(route, mbox)
    }

    @Test("a re-roll that now needs another tree's commits: tried onto its tree with that one merged")
    func rerollWithPrerequisites() throws {
        let setup = try Setup()
        let memblock = try setup.tip("memblock").hex
        try setup.commit(
            on: memblock, "slab: flush sheaves before shrinking",
            [("mm/memblock.c", "\tfor (; pfn < end; pfn++)\n", "\tfor (; pfn < end; pfn++) /* sheaves flushed */\n")],
            as: "Slab Contributor <slab-contributor@example.org>")
        let mbox = try setup.post(
            "reroll-prerequisites", ["--subject-prefix=PATCH v2", "--base=v7.0-rc1", "\(memblock)..HEAD"])
        let route = try setup.route(mbox)
        #expect(route.decision.place == "slab")
        #expect(route.trial("slab")?.applies == false)
        #expect(route.decision.trial == "slab+memblock")
        #expect(route.decision.applies)
        #expect(route.trial("slab+memblock")?.result == .clean)
        #expect(
            route.decision.reasons.contains(
                "it applies cleanly onto slab only with memblock merged (its prerequisites)"))
        #expect(route.meets?.trial == "slab+memblock")
        try setup.expectAgreesWithGitAm(route, mbox)
    }
}
