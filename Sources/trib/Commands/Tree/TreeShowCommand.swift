import ArgumentParser
import Git
import Tributary

struct TreeShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one tree: where it comes from, what it owns, its policy and its tip.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Flag(name: .long, help: "Print JSON (one tree of tributary.trees/1).")
    var json = false

    @Argument(help: ArgumentHelp("The tree's name.", valueName: "name"))
    var name: String

    func run() throws {
        let (tree, position) = try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            _ = try manifest.policy(for: manifest.tree(named: name))
            let listing = try TreeListing(manifest, in: repository)
            let position = listing.trees.firstIndex { $0.name == name }!
            return (listing.trees[position], position + 1)
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(tree) : TreeRenderer.show(tree, position: position))
        output.flush()
    }
}
