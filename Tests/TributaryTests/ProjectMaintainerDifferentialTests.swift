import Foundation
import Git
import Testing
import Tributary

/// `trib who` against other projects' own get_maintainer.pl, each in a checkout of the project:
/// its MAINTAINERS files, `.get_maintainer.conf`, `.get_maintainer.ignore` and `.mailmap`, 300
/// of its files and 100 of its real commits (the latest, and the latest with a `Fixes:` tag),
/// mailed with `git format-patch`. The dialect is the one Tributary detects from the tree.
///
/// CI has no copy of other projects, so these run only when `TRIB_PROJECT_CHECKOUTS` names
/// checkouts (colon-separated work trees with their `.git`), for example of U-Boot, Xen and DPDK
/// (which runs the kernel's script from its devtools/get-maintainer.sh).
@Suite(
    .enabled(
        if: !ProjectCheckouts.all.isEmpty,
        "TRIB_PROJECT_CHECKOUTS names no checkout of a project with a get_maintainer script (scripts/get_maintainer.pl, or DPDK's devtools/get-maintainer.sh)"
    ))
struct ProjectMaintainerDifferentialTests {
    @Test("trib who agrees with the project's own get_maintainer.pl", arguments: ProjectCheckouts.all)
    func agrees(checkout: String) throws {
        let repository = try Repository(at: checkout)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("trib-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let lookup = try MaintainerLookup.forRepository(repository, maintainers: nil, mailmap: nil, home: home.path)
        // A project without a copy of its own (DPDK) runs the kernel's, as its
        // devtools/get-maintainer.sh does, with --no-tree.
        let ownScript = checkout + "/scripts/get_maintainer.pl"
        let hasOwn = FileManager.default.fileExists(atPath: ownScript)
        try #require(
            hasOwn || SharedData.kernelScripts != nil,
            "\(checkout) has no script of its own and the kernel's could not be fetched")
        let batch = GetMaintainerBatch(
            directory: checkout, options: (hasOwn ? [] : ["--no-tree"]) + ["--no-git", "--no-git-fallback", "--roles"],
            script: hasOwn ? ownScript : SharedData.kernelScripts!.appendingPathComponent("get_maintainer.pl").path,
            environment: ["HOME": home.path])

        let paths = try Self.samplePaths(repository, checkout: checkout, count: 300)
        #expect(paths.count == 300)
        var fileBatch = batch
        fileBatch.options.append("-f")
        let expectedForPaths = try fileBatch.run(paths.map { [$0] })
        #expect(expectedForPaths.count == paths.count)
        var differences: [String] = []
        let readFile = try MaintainerLookup.fileReader(for: repository)
        for (path, theirs) in zip(paths, expectedForPaths) {
            let ours = lookup.answer(paths: [path], readFile: readFile).recipients.map(\.line)
            if ours != theirs { differences.append(Self.difference(path, ours, theirs)) }
        }

        let commits = try Self.sampleCommits(checkout, count: 100)
        #expect(commits.count == 100)
        let patches = home.appendingPathComponent("patches")
        try FileManager.default.createDirectory(at: patches, withIntermediateDirectories: true)
        var texts: [String] = []
        for commit in commits {
            let result = try Subprocess.run(
                "git", ["-C", checkout, "format-patch", "-1", "--stdout", commit], timeout: 120)
            try Data(result.output).write(to: patches.appendingPathComponent(commit + ".patch"))
            texts.append(result.text)
        }
        let expectedForPatches = try batch.run(commits.map { [patches.appendingPathComponent($0 + ".patch").path] })
        #expect(expectedForPatches.count == commits.count)
        var blamed = 0
        for (index, theirs) in expectedForPatches.enumerated() {
            let answer = lookup.answer(
                patch: texts[index], fixes: { FixesCommit.lookUp($0, in: repository) }, readFile: readFile)
            let ours = answer.recipients.map(\.line)
            if ours.contains(where: { $0.contains("blamed_fixes") }) { blamed += 1 }
            if ours != theirs { differences.append(Self.difference("commit \(commits[index])", ours, theirs)) }
            let byCommit = try lookup.answer(
                commit: repository.commit(repository.resolveCommit(commits[index])), in: repository)
            if byCommit.recipients != answer.recipients {
                differences.append("commit \(commits[index]): --commit and --patch answers differ")
            }
        }
        #expect(
            differences.isEmpty,
            "\(lookup.dialect.rawValue) (\(lookup.dialectChosenBy)): \(differences.count) of \(paths.count + commits.count) differ:\n\(differences.prefix(6).joined(separator: "\n"))"
        )
        if lookup.dialect.rawValue != "xen" { #expect(blamed > 0, "no patch had a Fixes: signer to compare") }
    }

    static func difference(_ query: String, _ ours: [String], _ theirs: [String]) -> String {
        "\(query):\n  ours:   \(ours.joined(separator: "\n          "))\n  theirs: \(theirs.joined(separator: "\n          "))"
    }

    /// `count` files of HEAD's tree that the checkout has, spread evenly over the sorted list.
    static func samplePaths(_ repository: Repository, checkout: String, count: Int) throws -> [String] {
        guard let head = try repository.head() else { return [] }
        let files = try repository.files(in: repository.commit(head).tree).map(\.path).filter {
            !$0.contains("\t") && !$0.contains(" ") && !$0.contains("\n")
                && FileManager.default.fileExists(atPath: checkout + "/" + $0)
        }.sorted()
        guard files.count > count else { return files }
        var random = SeededRandom(seed: 23)
        var chosen = Set<String>()
        while chosen.count < count { chosen.insert(files[Int(random.next() % UInt64(files.count))]) }
        return chosen.sorted()
    }

    /// The latest 60 commits that are not merges, and the latest 40 others with a `Fixes:` tag.
    static func sampleCommits(_ checkout: String, count: Int) throws -> [String] {
        let latest = try Subprocess.run(
            "git", ["-C", checkout, "rev-list", "--no-merges", "-n", String(count * 6 / 10), "HEAD"], timeout: 120
        ).text.split(separator: "\n").map(String.init)
        let fixes = try Subprocess.run(
            "git",
            ["-C", checkout, "rev-list", "--no-merges", "--grep=^Fixes: ", "-n", String(count * 2), "HEAD"],
            timeout: 300
        ).text.split(separator: "\n").map(String.init).filter { !latest.contains($0) }
        return latest + fixes.prefix(count - latest.count)
    }
}

/// The checkouts named by `TRIB_PROJECT_CHECKOUTS` that hold a scripts/get_maintainer.pl, or
/// DPDK's devtools/get-maintainer.sh (which runs the kernel's script).
enum ProjectCheckouts {
    static let all: [String] = (ProcessInfo.processInfo.environment["TRIB_PROJECT_CHECKOUTS"] ?? "")
        .split(separator: ":").map(String.init).filter {
            FileManager.default.fileExists(atPath: $0 + "/scripts/get_maintainer.pl")
                || FileManager.default.fileExists(atPath: $0 + "/devtools/get-maintainer.sh")
        }
}
