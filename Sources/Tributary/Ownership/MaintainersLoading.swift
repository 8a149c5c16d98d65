import Foundation
public import Git

extension MaintainersFile {
    /// Reads `path`: one MAINTAINERS file, or every file named MAINTAINERS below a directory (in
    /// path order, `.git` left out), as get_maintainer.pl's `--maintainer-path` does.
    public static func load(_ path: String) throws(TributaryError) -> MaintainersFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .badInput("no MAINTAINERS file or directory at \(path)")
        }
        var file = MaintainersFile()
        if isDirectory.boolValue {
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let item = enumerator?.nextObject() as? String {
                if item.hasPrefix(".git/") || item == ".git" { continue }
                if item == "MAINTAINERS" || item.hasSuffix("/MAINTAINERS") { found.append(item) }
            }
            guard !found.isEmpty else { throw .badInput("no file named MAINTAINERS below \(path)") }
            for item in found.sorted() { file.add(contents: try text(of: path + "/" + item), name: item) }
        } else {
            file.add(contents: try text(of: path), name: path)
        }
        return file
    }

    static func text(of path: String) throws(TributaryError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw .badInput("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }
}

extension MaintainerLookup {
    /// The lookup `trib who` asks: MAINTAINERS from `maintainers` (a file or a directory), else the
    /// work tree's MAINTAINERS, else HEAD's; the `.mailmap` from `mailmap`, else the work tree's,
    /// else HEAD's, else none. Patterns naming directories of HEAD's tree match as prefixes, as
    /// get_maintainer.pl's do. `repository` may be nil (outside a repository: only the files
    /// given).
    public static func forRepository(_ repository: Repository?, maintainers: String?, mailmap: String?) throws
        -> MaintainerLookup
    {
        let file = try maintainersFile(repository, maintainers)
        var directories: Set<String> = []
        if let repository, let head = try repository.head() {
            directories = try file.directoryPatterns(in: repository.commit(head).tree, of: repository)
        }
        return MaintainerLookup(
            index: OwnershipIndex(file, directories: directories),
            mailmap: MaintainerMailmap(contents: try mailmapText(repository, mailmap) ?? ""))
    }

    private static func maintainersFile(_ repository: Repository?, _ maintainers: String?) throws -> MaintainersFile {
        if let maintainers { return try MaintainersFile.load(maintainers) }
        if let workTree = repository?.workTree, FileManager.default.fileExists(atPath: workTree + "MAINTAINERS") {
            return MaintainersFile(
                contents: try MaintainersFile.text(of: workTree + "MAINTAINERS"), name: "MAINTAINERS")
        }
        if let repository, let head = try repository.head(),
            let bytes = try repository.fileContents(at: "MAINTAINERS", in: repository.commit(head).tree)
        {
            return MaintainersFile(contents: String(decoding: bytes, as: UTF8.self), name: "HEAD:MAINTAINERS")
        }
        throw TributaryError.badInput("no MAINTAINERS file: give --maintainers, or run in a repository that has one")
    }

    private static func mailmapText(_ repository: Repository?, _ mailmap: String?) throws -> String? {
        if let mailmap { return try MaintainersFile.text(of: mailmap) }
        if let workTree = repository?.workTree, let data = FileManager.default.contents(atPath: workTree + ".mailmap") {
            return String(decoding: data, as: UTF8.self)
        }
        if let repository, let head = try repository.head(),
            let bytes = try repository.fileContents(at: ".mailmap", in: repository.commit(head).tree)
        {
            return String(decoding: bytes, as: UTF8.self)
        }
        return nil
    }

    /// The answer for a commit: its change as `git format-patch` would mail it, so that K:
    /// keywords in the message and the diff count.
    public func answer(commit: Commit, in repository: Repository) throws -> Answer {
        let diff = try repository.diff(of: commit)
        var text = "From \(commit.id.hex) Mon Sep 17 00:00:00 2001\n"
        text += "From: \(commit.author)\nSubject: [PATCH] \(commit.summary)\n\n"
        let body = commit.message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst()
            .joined()
        text += body.drop { $0 == "\n" } + "---\n"
        text += try diff.patch()
        return answer(patch: text)
    }
}
