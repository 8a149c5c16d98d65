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

    @Argument(help: ArgumentHelp("The Next/Trees file.", valueName: "file"), completion: .file())
    var file: String

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            var manifest = try manifestOptions.load(for: repository)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw TributaryError.badInput("cannot read \(file)")
            }
            let contents = NextTrees.parse(String(decoding: data, as: UTF8.self))
            let result = try manifest.importTrees(contents, from: file)
            for skipped in contents.skipped { printError("\(file):\(skipped.line): skipped: \(skipped.reason)") }
            print(
                "imported \(result.listed) trees from \(file): \(result.added) added, \(result.updated) updated, \(result.unchanged) unchanged"
            )
        }
    }
}
