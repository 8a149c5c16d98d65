import ArgumentParser
import Git

/// `-C PATH`: the repository a command works on.
struct RepositoryOptions: ParsableArguments {
    @Option(
        name: .customShort("C"), help: ArgumentHelp("Work in the repository that contains PATH.", valueName: "path"),
        completion: .directory)
    var path: String = "."

    /// Opens the repository, looking upwards from `path` as git does.
    func open() throws -> Repository {
        try Repository.discover(from: path)
    }
}

/// `--maintainers FILE|DIR`: MAINTAINERS to use instead of the repository's.
struct MaintainersOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A MAINTAINERS file, or a directory whose files named MAINTAINERS are all read.", valueName: "file-or-dir"),
        completion: .file())
    var maintainers: String?
}
