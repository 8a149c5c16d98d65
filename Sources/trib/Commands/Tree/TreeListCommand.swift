import ArgumentParser
import Foundation
import Git
import Tributary

struct TreeListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the trees in merge order.",
        discussion: "One line per tree: name, URL, branch, and the fetched tip (or 'not fetched').")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Flag(name: .long, help: "Print JSON (schema tributary.trees/1, see Docs/manifest.md).")
    var json = false

    func run() throws {
        let listing = try reportingFailures {
            let repository = try self.repository.open()
            return try TreeListing(manifestOptions.load(for: repository), in: repository)
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(listing) : TreeRenderer.list(listing))
        output.flush()
    }
}
