import ArgumentParser
import Tributary

struct TreeAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a tree to the end of the manifest's merge order.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Argument(help: ArgumentHelp("The tree's name.", valueName: "name"))
    var name: String

    @Argument(help: ArgumentHelp("Where to fetch it from; URL#BRANCH names the branch too.", valueName: "url"))
    var url: String

    @Option(
        name: .long,
        help: ArgumentHelp("The branch to fetch (default: from URL#BRANCH, else master).", valueName: "name"))
    var branch: String?

    @Option(name: .long, help: ArgumentHelp("An explicit merge order (lower merges first).", valueName: "n"))
    var order: Int?

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp("A MAINTAINERS section the tree owns (repeatable).", valueName: "section"))
    var owns: [String] = []

    @Option(name: .long, help: ArgumentHelp("How the tree is pulled.", valueName: "mode"))
    var pull: PullMethod.Mode = .merge

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Merge the tree into this directory, as git merge -Xsubtree=PATH (a sub-project).", valueName: "path"))
    var subtree: String?

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            var manifest = try manifestOptions.load(for: repository)
            let split = TreeSource.split(location: url)
            let location = branch == nil ? split.url : url
            let branchName = branch ?? split.branch ?? NextTrees.defaultBranch
            var tree = Manifest.Tree(name: name, url: location, branch: branchName, order: order, owns: owns)
            tree.method = PullMethod(mode: pull, subtree: subtree)
            try manifest.add([tree])
            print("added tree \(name): \(location) \(branchName)")
        }
    }
}
