import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// The real linux-watchdog threads of `../shared/data/mbox` routed over linux-next's real tree
/// list (`Next/Trees`, about 425 trees) with the kernel's real MAINTAINERS: trees own the
/// sections whose `T:` names their repository (git:// in MAINTAINERS, https:// in the list), and
/// the watchdog tree, which MAINTAINERS does not name, owns its section in the manifest, as a
/// maintainer writes it. No kernel tree is in the fixture: the trials fail for want of the blobs
/// the patches were written against, as `git am --3way` does on the same place.
@Suite(.serialized) struct RealThreadRouteTests {
    static let threads = SharedData.dataDirectory?.appendingPathComponent("mbox/linux-watchdog")

    /// Where each series went in the kernel's history, and where it is routed.
    static let expected: [String: String] = [
        "Add minimal Tensor/GS101 SoC support and Oriole/Pixel6 board": "samsung-krzk",
        "watchdog: s3c2410: Add Exynos850 support": "watchdog",
        "Add support for [H]SCIF/TMU/CMT/THS/SDHI/MSIOF/CAN[FD]/I2C/IIC/RWDT on R8A774E1": "renesas",
        "dt-bindings: additional/unevaluatedProperties clean-ups": "devicetree",
        "watchdog: Convert to platform remove callback returning void": "watchdog",
        "Initial device trees for A7-A11 based Apple devices": "asahi-soc",
        "Ziirave_wdt driver fixes": "watchdog",
        // It went through renesas-devel in 2020, when MAINTAINERS named arch/arm/boot/dts/r8a*;
        // today's file names arch/arm/boot/dts/renesas/, so only the devicetree section's
        // arch/*/boot/dts/ matches the old path.
        "RZ/G1H describe I2C, IIC, MMC0, SATA, AVB, RWDT and APMU nodes": "devicetree",
    ]

    @Test(
        "every real thread is routed to the tree that took it, with the acks of the others",
        .enabled(if: SharedData.isAvailable, "../shared/data is absent"))
    func routesRealThreads() throws {
        let data = try #require(SharedData.dataDirectory)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trib-threads-\(UUID().uuidString)"
        )
        .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let git = FixtureGit(directory: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "next")
        try FileManager.default.copyItem(
            atPath: data.appendingPathComponent("linux-maintainers/MAINTAINERS").path,
            toPath: directory + "/MAINTAINERS")
        try git("add", "MAINTAINERS")
        try git("commit", "-q", "-m", "MAINTAINERS")
        try git("tag", "base")
        let list = NextTrees.parse(
            try String(contentsOf: data.appendingPathComponent("linux-next/Next-Trees"), encoding: .utf8))
        #expect(list.entries.count > 400)
        try Manifest.create(
            at: directory + "/.tributary",
            integration: Manifest.Integration(branch: "next", base: "refs/tags/base", maintainersPath: "MAINTAINERS"))
        var manifest = try Manifest.load(from: directory + "/.tributary")
        try manifest.add(
            list.entries.map { entry in
                Manifest.Tree(
                    name: entry.name, url: entry.url, branch: entry.branch,
                    owns: entry.name == "watchdog" ? ["WATCHDOG DEVICE DRIVERS"] : [])
            })
        manifest = try Manifest.load(from: directory + "/.tributary")
        let repository = try Repository(at: directory)
        let base = try repository.resolveCommit("base")
        for tree in ["watchdog", "samsung-krzk", "devicetree", "renesas", "asahi-soc"] {
            try repository.updateReference(TreeReferences.tip(tree), to: base, expecting: nil, message: "test")
        }
        let archive = try MailArchive(repository: repository)
        let files = try FileManager.default.contentsOfDirectory(atPath: try #require(Self.threads).path)
            .filter { $0.hasSuffix(".mbox") }.sorted()
        #expect(files.count == 15)
        for file in files { _ = try archive.importFile(try #require(Self.threads).appendingPathComponent(file).path) }

        let sources = try LedgerSources(repository: repository, manifest: manifest, index: nil)
        let ledger = try sources.ledger()
        let router = try SeriesRouter(sources: sources, manifest: manifest, ledger: ledger)
        var routed: [String: String] = [:]
        for series in sources.series {
            guard let newest = series.versions.last(where: { !$0.patches.isEmpty }) else { continue }
            let route = try router.route(PostedSeries(newest, of: series, seriesID: series.id))
            routed[series.title] = route.decision.place
            #expect(!route.decision.reasons.isEmpty)
            #expect(route.owners.first?.tree == route.decision.place)
            #expect(
                route.trials.map(\.place) == ["next", "asahi-soc", "renesas", "samsung-krzk", "watchdog", "devicetree"])
            try expectAgreesWithGitAm(route, newest, directory: directory, git: git)
        }
        #expect(routed == Self.expected)
    }

    /// `git am --3way` of the version's patches onto the integration branch fails at the patch
    /// the trial fails at (or applies all of them where the trial does).
    func expectAgreesWithGitAm(
        _ route: SeriesRoute, _ version: PatchSeries.Version, directory: String, git: FixtureGit
    ) throws {
        var mbox = ""
        for patch in version.patches {
            let message = patch.message
            mbox += "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
            mbox += "From: \(message.header("From") ?? "nobody@example.org")\n"
            mbox += "Date: \(message.header("Date") ?? "Thu, 1 Jan 2026 00:00:00 +0000")\n"
            mbox += "Subject: \(message.subject.replacingOccurrences(of: "\n", with: " "))\n\n"
            for line in message.body.split(separator: "\n", omittingEmptySubsequences: false) {
                mbox += (line.hasPrefix("From ") ? ">" : "") + line + "\n"
            }
            mbox += "\n"
        }
        let path = directory + "/.git/route-test.mbox"
        try mbox.write(toFile: path, atomically: true, encoding: .utf8)
        try git("checkout", "-q", "-f", "next")
        let applied = try git.run(["am", "-3", "-q", path])
        let trial = try #require(route.trial("next"))
        if applied.status == 0 {
            #expect(trial.applies, "\(route.series.title): git am applied it")
            let tree = try git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(trial.tree?.hex == tree)
            try git("reset", "-q", "--hard", "base")
        } else {
            let said = applied.text + applied.errorOutput
            let failed = said.range(of: #"Patch failed at (\d+)"#, options: .regularExpression).map {
                Int(said[$0].split(separator: " ").last!)!
            }
            #expect(trial.failure?.counter == failed, "\(route.series.title): git am said \(said.prefix(300))")
            _ = try git.run(["am", "--abort"])
        }
    }
}
