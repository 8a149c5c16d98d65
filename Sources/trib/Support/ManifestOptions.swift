import ArgumentParser
import Foundation
import Git
import Tributary

/// `--manifest FILE`: the integration manifest to use instead of the repository's default.
struct ManifestOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The manifest (git-config syntax); default .tributary at the top of the work tree, or tributary/manifest in the git directory (GIT_DIR/tributary/manifest) of a bare repository.",
            valueName: "file"), completion: .file())
    var manifest: String?

    /// The manifest's path for `repository`.
    func path(for repository: Repository) -> String {
        manifest ?? Manifest.defaultPath(for: repository)
    }

    /// Reads and checks the manifest of `repository`.
    func load(for repository: Repository) throws -> Manifest {
        try Manifest.load(from: path(for: repository))
    }

    /// The manifest of `repository` when there is one (checked), else nil.
    func loadIfPresent(for repository: Repository) throws -> Manifest? {
        let path = path(for: repository)
        return FileManager.default.fileExists(atPath: path) ? try Manifest.load(from: path) : nil
    }
}
