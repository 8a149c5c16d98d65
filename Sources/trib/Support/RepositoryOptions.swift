import ArgumentParser
import Git

/// `-C PATH`: the repository a command works on.
struct RepositoryOptions: ParsableArguments {
    @Option(
        name: .customShort("C"), help: ArgumentHelp("Work in the repository that contains PATH.", valueName: "path"))
    var path: String = "."

    /// Opens the repository, looking upwards from `path` as git does.
    func open() throws -> Repository {
        try Repository.discover(from: path)
    }
}
