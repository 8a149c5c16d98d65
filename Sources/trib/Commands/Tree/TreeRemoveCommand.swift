import ArgumentParser
import Git
import Tributary

struct TreeRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a tree from the manifest.",
        discussion: "Its fetched tip (refs/tributary/trees/NAME) is kept until `--prune` is given.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Flag(name: .long, help: "Also delete refs/tributary/trees/NAME (with a reflog entry).")
    var prune = false

    @Argument(help: ArgumentHelp("The tree's name.", valueName: "name"))
    var name: String

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            var manifest = try manifestOptions.load(for: repository)
            let tree = try manifest.tree(named: name)
            try manifest.remove(name)
            if prune, let tip = try repository.referenceTarget(tree.reference) {
                try repository.updateReference(
                    tree.reference, to: nil, expecting: tip, message: "trib tree remove: \(name)")
            }
            print("removed tree \(name)")
        }
    }
}
