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
        let (tree, tip, position) = try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            let tree = try manifest.tree(named: name)
            _ = try manifest.policy(for: tree)
            let position = (manifest.trees.firstIndex { $0.name == name } ?? 0) + 1
            return (tree, try repository.referenceTarget(tree.reference), position)
        }
        var output = StandardOutput()
        if json {
            output.write(try JSONText.encode(TreeJSON(tree, tip: tip?.hex)))
        } else {
            output.line("tree \(tree.name)")
            output.line("url: \(tree.url)")
            output.line("branch: \(tree.branch)")
            output.line("merge order: \(position)\(tree.order.map { " (order = \($0))" } ?? "")")
            for owned in tree.owns { output.line("owns: \(owned)") }
            for override in tree.policyOverrides { output.line("policy: \(override.key) = \(override.value)") }
            output.line("tip: \(tip.map { "\($0.hex) (\(tree.reference))" } ?? "not fetched")")
        }
        output.flush()
    }
}
