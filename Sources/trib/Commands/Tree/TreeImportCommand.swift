import ArgumentParser
import Foundation
import Tributary

struct TreeImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add the trees of a linux-next Next/Trees file.",
        discussion: """
            Reads `name<TAB>url#branch` lines (or `name<TAB>git<TAB>url#branch`), in order, after \
            the header. New trees are appended to the merge order; a tree already in the manifest \
            gets the file's URL and branch and keeps its place. Every tree is checked before the \
            manifest is written: one bad line changes nothing.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Argument(help: ArgumentHelp("The Next/Trees file.", valueName: "file"))
    var file: String

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            var manifest = try manifestOptions.load(for: repository)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw TributaryError.badInput("cannot read \(file)")
            }
            let contents = NextTrees.parse(String(decoding: data, as: UTF8.self))
            guard !contents.entries.isEmpty else { throw TributaryError.badInput("\(file) lists no tree") }
            for entry in contents.entries {
                if let problem = TreeSource.problem(name: entry.name, url: entry.url, branch: entry.branch) {
                    throw TributaryError.badInput("\(file):\(entry.line): \(problem)")
                }
            }
            let known = Set(manifest.trees.map(\.name))
            var seen = Set<String>()
            for entry in contents.entries where !seen.insert(entry.name).inserted {
                throw TributaryError.badInput("\(file):\(entry.line): tree \(entry.name) is listed twice")
            }
            var updated = 0
            for entry in contents.entries where known.contains(entry.name) {
                let tree = try manifest.tree(named: entry.name)
                if tree.url != entry.url || tree.branch != entry.branch {
                    try manifest.update(entry.name, url: entry.url, branch: entry.branch)
                    updated += 1
                }
            }
            let added = contents.entries.filter { !known.contains($0.name) }
            try manifest.add(added.map { Manifest.Tree(name: $0.name, url: $0.url, branch: $0.branch) })
            for skipped in contents.skipped { printError("\(file):\(skipped.line): skipped: \(skipped.reason)") }
            print(
                "imported \(contents.entries.count) trees from \(file): \(added.count) added, \(updated) updated, \(contents.entries.count - added.count - updated) unchanged"
            )
        }
    }
}
