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
        let (manifest, tips) = try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            let tips = try manifest.trees.map { try repository.referenceTarget($0.reference)?.hex }
            return (manifest, tips)
        }
        var output = StandardOutput()
        if json {
            struct Listing: Encodable {
                var schema = "tributary.trees/1"
                var manifest: String
                var integration: [String: String]
                var trees: [TreeJSON]
            }
            var integration = [
                "branch": manifest.integration.branch, "maintainers": manifest.integration.maintainersPath,
            ]
            integration["base"] = manifest.integration.base
            let listing = Listing(
                manifest: manifest.path, integration: integration,
                trees: zip(manifest.trees, tips).map { TreeJSON($0, tip: $1) })
            output.write(try JSONText.encode(listing))
        } else {
            let width = min(manifest.trees.map(\.name.count).max() ?? 0, 30)
            for (tree, tip) in zip(manifest.trees, tips) {
                let name = tree.name.padding(toLength: max(width, tree.name.count), withPad: " ", startingAt: 0)
                output.line(
                    "\(name)  \(tree.url) \(tree.branch)  \(tip.map { String($0.prefix(12)) } ?? "not fetched")")
            }
        }
        output.flush()
    }
}
