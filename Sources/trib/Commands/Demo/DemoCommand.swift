import ArgumentParser
import Foundation
import Git
import Tributary
import TributaryDemo

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a small integration forest and run Tributary on it.",
        discussion: """
            Builds an integration repository (`mm`, branch `mm-next`) on a mainline base and four \
            sub-tree repositories (slab, memblock, vma, thp) modelled on the memory-management \
            subsystem, with a MAINTAINERS file, series with complete and with missing tags, the \
            same fix in two trees, two trees that conflict, and the mailing list's postings with \
            their review replies. The sub-trees are fetched into the integration repository with \
            `git fetch`. Then it runs what Tributary does on them and prints each step: the plan \
            (trial merges in order), the same patch in two trees, the tag check of each tree, the \
            pull that stops on the conflict, its resolution recorded once and the rebuild that \
            reuses it, the series ledger, a sub-tree synced onto a new mainline and its pull \
            request, and the next morning's report (a digest and an HTML site under DIR/report).

            The forest is deterministic: the same commit ids on every machine.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Where to build the forest: a new or empty directory. Default: a new temporary directory.", valueName: "dir"
        ), completion: .directory)
    var directory: String?

    func validate() throws {
        if let directory, FileManager.default.fileExists(atPath: directory),
            let contents = try? FileManager.default.contentsOfDirectory(atPath: directory), !contents.isEmpty
        {
            throw ValidationError(
                "\(directory) is not empty; give a new or empty directory, or none for a temporary one")
        }
    }

    func run() throws {
        try reportingFailures {
            let target =
                directory.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? Self.temporaryDirectory()
            let forest = try DemoForest.build(in: target)
            var output = StandardOutput()
            output.write(try DemoWalkthrough(forest: forest).run())
            output.flush()
        }
    }

    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "trib-demo-\(UUID().uuidString.prefix(8).lowercased())"
        ).path
    }
}
