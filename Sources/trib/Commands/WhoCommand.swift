import ArgumentParser
import Foundation
import Git
import Tributary

struct WhoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who",
        abstract: "List who maintains, reviews and hears about paths, commits or patches.",
        discussion: """
            Prints the people and lists of the MAINTAINERS sections that match, as the kernel's \
            `get_maintainer.pl --no-git --no-git-fallback --roles` does: `Name <address> (role:SECTION)`, \
            sections deepest first (equal depths in file order), people before lists, a person \
            listed once. For commits and patches, K: keywords in the patch add their sections. \
            Paths that no maintained section with a maintainer covers are reported as unowned \
            on standard error (get_maintainer.pl would guess from git history instead).

            MAINTAINERS comes from --maintainers, else the work tree's MAINTAINERS, else HEAD's; \
            .mailmap likewise from --mailmap, the work tree, or HEAD.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @OptionGroup var maintainersOption: MaintainersOption
    var maintainers: String? { maintainersOption.maintainers }

    @Option(name: .long, help: ArgumentHelp("The .mailmap to apply to the answer.", valueName: "file"))
    var mailmap: String?

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp("A commit whose change to ask about (repeatable).", valueName: "rev"))
    var commit: [String] = []

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp("A patch or mail file to ask about (repeatable).", valueName: "file"))
    var patch: [String] = []

    @Flag(name: .long, help: "Print the answer as JSON (see Docs/who.md).")
    var json = false

    @Argument(help: ArgumentHelp("Paths to ask about.", valueName: "path"))
    var paths: [String] = []

    func validate() throws {
        let modes = [!paths.isEmpty, !commit.isEmpty, !patch.isEmpty].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give paths, or --commit, or --patch (one kind)") }
    }

    func run() throws {
        let answers: [(String, MaintainerLookup.Answer)] = try reportingFailures {
            let repository = try? self.repository.open()
            let file = try loadMaintainers(repository)
            let directories = try self.directories(for: file, in: repository)
            let lookup = MaintainerLookup(
                index: OwnershipIndex(file, directories: directories), mailmap: try loadMailmap(repository))
            for warning in lookup.index.warnings { printError("warning: \(warning)") }
            if !paths.isEmpty { return [("paths", lookup.answer(paths: paths.map(Self.normalized)))] }
            if !patch.isEmpty {
                return try patch.map { path in
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw TributaryError.badInput("cannot read \(path)")
                    }
                    return (path, lookup.answer(patch: String(decoding: data, as: UTF8.self)))
                }
            }
            guard let repository else { throw TributaryError.badInput("--commit needs a repository (-C PATH)") }
            return try commit.map { revision in
                let commit = try repository.commit(repository.resolveCommit(revision))
                return (revision, lookup.answer(patch: try CommitPatch.text(of: commit, in: repository)))
            }
        }
        var output = StandardOutput()
        if json {
            output.write(try WhoReport(answers: answers).json())
        } else {
            for (_, answer) in answers {
                for recipient in answer.recipients { output.line(recipient.line) }
                for path in answer.unownedPaths { printError("unowned: \(path)") }
            }
        }
        output.flush()
    }

    /// `./a/b` and `a//b` as get_maintainer.pl's canonpath makes them.
    static func normalized(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(
            separator: "/")
        if path.hasSuffix("/") && !parts.isEmpty { parts += "/" }
        return parts
    }

    private func loadMaintainers(_ repository: Repository?) throws -> MaintainersFile {
        if let maintainers { return try MaintainersLoader.load(maintainers) }
        if let workTree = repository?.workTree, FileManager.default.fileExists(atPath: workTree + "MAINTAINERS") {
            return MaintainersFile(contents: try MaintainersLoader.read(workTree + "MAINTAINERS"), name: "MAINTAINERS")
        }
        if let repository, let head = try repository.head(),
            let bytes = try repository.fileContents(at: "MAINTAINERS", in: repository.commit(head).tree)
        {
            return MaintainersFile(contents: String(decoding: bytes, as: UTF8.self), name: "HEAD:MAINTAINERS")
        }
        throw TributaryError.badInput("no MAINTAINERS file: give --maintainers, or run in a repository that has one")
    }

    /// The patterns of `file` that name directories of HEAD's tree (get_maintainer.pl treats them
    /// as prefixes); none outside a repository.
    private func directories(for file: MaintainersFile, in repository: Repository?) throws -> Set<String> {
        guard let repository, let head = try repository.head() else { return [] }
        return try file.directoryPatterns(in: repository.commit(head).tree, of: repository)
    }

    private func loadMailmap(_ repository: Repository?) throws -> MaintainerMailmap {
        if let mailmap { return MaintainerMailmap(contents: try MaintainersLoader.read(mailmap)) }
        if let workTree = repository?.workTree, let data = FileManager.default.contents(atPath: workTree + ".mailmap") {
            return MaintainerMailmap(contents: String(decoding: data, as: UTF8.self))
        }
        if let repository, let head = try repository.head(),
            let bytes = try repository.fileContents(at: ".mailmap", in: repository.commit(head).tree)
        {
            return MaintainerMailmap(contents: String(decoding: bytes, as: UTF8.self))
        }
        return MaintainerMailmap()
    }
}

/// A commit as `git format-patch` would mail it, for K: keyword matching.
enum CommitPatch {
    static func text(of commit: Commit, in repository: Repository) throws -> String {
        let diff = try repository.diff(of: commit)
        var text = "From \(commit.id.hex) Mon Sep 17 00:00:00 2001\n"
        text += "From: \(commit.author)\nSubject: [PATCH] \(commit.summary)\n\n"
        let body = commit.message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst()
            .joined()
        text += body.drop { $0 == "\n" } + "---\n"
        text += try diff.patch()
        return text
    }
}

/// `trib who --json`.
struct WhoReport {
    var answers: [(String, MaintainerLookup.Answer)]

    func json() throws -> String {
        struct Section: Encodable {
            var title: String
            var depth: Int
            var status: String?
            var file: String
            var line: Int
        }
        struct Path: Encodable {
            var path: String
            var owned: Bool
            var sections: [Section]
        }
        struct Query: Encodable {
            var query: String
            var paths: [Path]
            var keywordSections: [String]
            var recipients: [MaintainerRecipient]
        }
        struct Document: Encodable {
            var schema = "tributary.who/1"
            var queries: [Query]
        }
        let queries = answers.map { query, answer in
            Query(
                query: query,
                paths: answer.paths.map { path, sections, owned in
                    Path(
                        path: path, owned: owned,
                        sections: sections.map {
                            Section(
                                title: $0.section.title, depth: $0.depth, status: $0.section.status,
                                file: $0.section.file, line: $0.section.line)
                        })
                },
                keywordSections: answer.keywordSections.map(\.title), recipients: answer.recipients)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Document(queries: queries)), as: UTF8.self) + "\n"
    }
}
