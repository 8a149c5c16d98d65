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

/// A tree as `trib tree list --json` and `trib tree show --json` print it (Docs/manifest.md).
struct TreeJSON: Encodable {
    var name: String
    var url: String
    var branch: String
    var order: Int?
    var owns: [String]
    var policy: [String: String]
    var reference: String
    var tip: String?
}

extension TreeJSON {
    init(_ tree: Manifest.Tree, tip: String?) {
        self.init(
            name: tree.name, url: tree.url, branch: tree.branch, order: tree.order, owns: tree.owns,
            policy: Dictionary(tree.policyOverrides.map { ($0.key, $0.value) }) { _, last in last },
            reference: tree.reference, tip: tip)
    }
}
