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
            let found = maintainersFiles(below: path)
            guard !found.isEmpty else { throw .badInput("no file named MAINTAINERS below \(path)") }
            for item in found { file.add(contents: try text(of: path + "/" + item), name: item) }
        } else {
            file.add(contents: try text(of: path), name: path)
        }
        return file
    }

    /// The files named MAINTAINERS below `directory` (relative paths, sorted), `.git` left out.
    static func maintainersFiles(below directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var found: [String] = []
        while let item = enumerator?.nextObject() as? String {
            if item == ".git" || item.hasPrefix(".git/") {
                enumerator?.skipDescendants()
                continue
            }
            if item == "MAINTAINERS" || item.hasSuffix("/MAINTAINERS") { found.append(item) }
        }
        return found.sorted()
    }

    static func text(of path: String) throws(TributaryError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw .badInput("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }
}

extension MaintainerLookup {
    /// The lookup `trib who` asks, as the project's get_maintainer.pl would answer in `repository`:
    /// its `.get_maintainer.conf` and `.get_maintainer.ignore` (the top of the tree, then
    /// `$HOME`, then `.scripts`), the MAINTAINERS files they name (`--maintainer-path`,
    /// `--find-maintainer-files`; by default the top's MAINTAINERS), the `.mailmap`, and the
    /// dialect — `dialect` when given, else the one the tree tells (`OwnershipDialect.detect`),
    /// else the kernel's (`chosenBy` says what gave `dialect`). `maintainers` (a file or a directory) and `mailmap` replace what the
    /// tree has. The top of the tree is the work tree, or HEAD's tree in a bare repository;
    /// `repository` may be nil (outside a repository: only the files given).
    public static func forRepository(
        _ repository: Repository?, maintainers: String?, mailmap: String?, dialect: OwnershipDialect? = nil,
        chosenBy: OwnershipDialect.Choice = .option, home: String? = GetMaintainerConfiguration.home
    ) throws -> MaintainerLookup {
        let top = try TopOfTree(repository)
        var configuration = GetMaintainerConfiguration()
        if let found = GetMaintainerConfiguration.find(home: home, topOfTree: top.text) {
            configuration = GetMaintainerConfiguration(contents: found.text, source: found.source)
        }
        let file = try maintainersFile(top, maintainers, configuration)
        let script = top.text("scripts/get_maintainer.pl")
        let detected = dialect == nil ? OwnershipDialect.detect(maintainers: file, script: script) : nil
        let chosen = dialect ?? detected ?? .linux
        if chosen.readsIgnoreFile,
            let ignore = GetMaintainerConfiguration.find(".get_maintainer.ignore", home: home, topOfTree: top.text)
        {
            configuration.ignoredPeople = GetMaintainerConfiguration.ignoredPeople(in: ignore.text)
        }
        var directories: Set<String> = []
        if let repository, let tree = top.headTree {
            directories = try file.directoryPatterns(in: tree, of: repository)
        }
        let chiefs = script.map(OwnershipDialect.chiefPenguins(inScript:)) ?? []
        var lookup = MaintainerLookup(
            index: OwnershipIndex(file, directories: directories, dialect: chosen),
            mailmap: MaintainerMailmap(contents: try mailmapText(top, mailmap) ?? ""), dialect: chosen,
            configuration: configuration, omittedPeople: chiefs.isEmpty ? nil : chiefs.map(\.description))
        lookup.dialectChosenBy = dialect != nil ? chosenBy : detected != nil ? .detected : .default
        return lookup
    }

    /// Reads a file at the top of `repository`'s tree (the work tree's, else HEAD's), as
    /// get_maintainer.pl reads the files it is asked about from the disk.
    public static func fileReader(for repository: Repository?) throws -> (String) -> [UInt8]? {
        let top = try TopOfTree(repository)
        return { top.bytes($0) }
    }

    private static func maintainersFile(
        _ top: TopOfTree, _ maintainers: String?, _ configuration: GetMaintainerConfiguration
    ) throws -> MaintainersFile {
        if let maintainers { return try MaintainersFile.load(maintainers) }
        var path = configuration.maintainerPath ?? "MAINTAINERS"
        if path.hasPrefix("~"), let home = ProcessInfo.processInfo.environment["HOME"] {
            return try MaintainersFile.load(home + path.dropFirst())
        }
        if path.hasPrefix("/") { return try MaintainersFile.load(path) }
        while path.hasPrefix("./") { path.removeFirst(2) }
        if top.isDirectory(path) {
            var file = MaintainersFile()
            let names = try top.maintainersFiles(in: path, recursive: configuration.findsMaintainerFiles)
            for name in names { if let text = top.text(name) { file.add(contents: text, name: name) } }
            guard !file.files.isEmpty else {
                throw TributaryError.badInput(
                    "no MAINTAINERS file below '\(path)' (\(configuration.source ?? "default"))")
            }
            return file
        }
        if let text = top.text(path) {
            return MaintainersFile(contents: text, name: top.workTree == nil ? "HEAD:" + path : path)
        }
        if let named = configuration.maintainerPath, let source = configuration.source {
            throw TributaryError.badInput(
                "no MAINTAINERS file at '\(named)', which --maintainer-path names in \(source)")
        }
        throw TributaryError.badInput("no MAINTAINERS file: give --maintainers, or run in a repository that has one")
    }

    private static func mailmapText(_ top: TopOfTree, _ mailmap: String?) throws -> String? {
        if let mailmap { return try MaintainersFile.text(of: mailmap) }
        return top.text(".mailmap")
    }

    /// The answer for a commit: its change as `git format-patch` would mail it, so that K:
    /// keywords in the message and the diff count, and the signers of the commits its `Fixes:`
    /// tags name, looked up in `repository`.
    public func answer(commit: Commit, in repository: Repository) throws -> Answer {
        let diff = try repository.diff(of: commit)
        var text = "From \(commit.id.hex) Mon Sep 17 00:00:00 2001\n"
        text += "From: \(commit.author)\nSubject: [PATCH] \(commit.summary)\n\n"
        let body = commit.message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst()
            .joined()
        text += body.drop { $0 == "\n" } + "---\n"
        text += try diff.patch()
        return answer(
            patch: text, fixes: { FixesCommit.lookUp($0, in: repository) },
            readFile: try Self.fileReader(for: repository))
    }
}
