import Foundation
public import Git

/// `GIT_DIR/tributary/`: where Tributary keeps what it derives from the repository (the SQLite
/// index) and, in a bare repository, the manifest.
public enum StateDirectory {
    public static func path(for repository: Repository) -> String {
        repository.gitDirectory + "tributary"
    }

    /// The directory, created when missing.
    public static func ensure(for repository: Repository) throws -> String {
        let path = path(for: repository)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
