import ArgumentParser
import Tributary

struct TreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Add, remove, list, show and import the sub-trees of the manifest.",
        discussion: """
            Trees are [tree "NAME"] sections of the manifest, merged in the order they appear \
            (or by their `order`). A name must be valid in a reference name (it becomes \
            refs/tributary/trees/NAME) and have no '/'; URLs and branches that git could take \
            for an option, the ext:: and fd:: transports, and control characters are refused.
            """,
        subcommands: [
            TreeAddCommand.self, TreeRemoveCommand.self, TreeListCommand.self, TreeShowCommand.self,
            TreeImportCommand.self,
        ]
    )
}
