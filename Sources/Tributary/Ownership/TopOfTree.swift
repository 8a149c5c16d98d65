import Foundation
import Git

/// The top of the tree get_maintainer.pl runs in, for `trib who` and the configuration `trib check`
/// follows: the work tree when there is one (a file it lacks is read from HEAD), else HEAD's tree.
struct TopOfTree {
    let repository: Repository?
    let workTree: String?
    let headTree: ObjectID?

    init(_ repository: Repository?) throws {
        self.repository = repository
        workTree = repository?.workTree
        headTree = try repository.flatMap { repository in try repository.head().map { try repository.commit($0).tree } }
    }

    /// The text of the file at `path` (the work tree's, else HEAD's), or nil.
    func text(_ path: String) -> String? {
        bytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes of the file at `path` (the work tree's, else HEAD's), or nil.
    func bytes(_ path: String) -> [UInt8]? {
        if let workTree, let data = FileManager.default.contents(atPath: workTree + path) { return Array(data) }
        guard let repository, let headTree, let bytes = try? repository.fileContents(at: path, in: headTree) else {
            return nil
        }
        return bytes
    }

    /// Whether `path` is a directory.
    func isDirectory(_ path: String) -> Bool {
        if let workTree {
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: workTree + path, isDirectory: &directory)
                && directory.boolValue
        }
        guard let repository, let headTree else { return false }
        if path.isEmpty || path == "." { return true }
        return (try? repository.entry(at: path, in: headTree))??.mode.isTree == true
    }

    /// The files named MAINTAINERS below `directory` ("" for the top), sorted, or, without
    /// `recursive`, every file of the directory whose name does not start with `.`.
    func maintainersFiles(in directory: String, recursive: Bool) throws -> [String] {
        let prefix =
            directory.isEmpty || directory == "." ? "" : (directory.hasSuffix("/") ? directory : directory + "/")
        if let workTree {
            if recursive { return MaintainersFile.maintainersFiles(below: workTree + prefix).map { prefix + $0 } }
            let names = try FileManager.default.contentsOfDirectory(atPath: workTree + prefix)
            return names.filter { !$0.hasPrefix(".") }.sorted().map { prefix + $0 }.filter { !isDirectory($0) }
        }
        guard let repository, let headTree else { return [] }
        return try repository.files(in: headTree).map(\.path).filter { path in
            guard path.hasPrefix(prefix) else { return false }
            let rest = path.dropFirst(prefix.count)
            if recursive { return rest == "MAINTAINERS" || rest.hasSuffix("/MAINTAINERS") }
            return !rest.contains("/") && !rest.hasPrefix(".")
        }.sorted()
    }
}
