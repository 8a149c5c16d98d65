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

    @Option(
        name: .long, help: ArgumentHelp("The .mailmap to apply to the answer.", valueName: "file"),
        completion: .file())
    var mailmap: String?

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp("A commit whose change to ask about (repeatable).", valueName: "rev"))
    var commit: [String] = []

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp("A patch or mail file to ask about (repeatable).", valueName: "file"),
        completion: .file())
    var patch: [String] = []

    @Flag(name: .long, help: "Print the answer as JSON (see Docs/who.md).")
    var json = false

    @Argument(help: ArgumentHelp("Paths to ask about.", valueName: "path"), completion: .file())
    var paths: [String] = []

    func validate() throws {
        let modes = [!paths.isEmpty, !commit.isEmpty, !patch.isEmpty].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give paths, or --commit, or --patch (one kind)") }
    }

    func run() throws {
        let report: WhoReport = try reportingFailures {
            let repository = try? self.repository.open()
            let lookup = try MaintainerLookup.forRepository(repository, maintainers: maintainers, mailmap: mailmap)
            for warning in lookup.index.warnings { printError("warning: \(warning)") }
            if !paths.isEmpty {
                return WhoReport(answers: [("paths", lookup.answer(paths: paths.map(Self.normalized)))])
            }
            if !patch.isEmpty {
                return WhoReport(
                    answers: try patch.map { path in
                        guard let data = FileManager.default.contents(atPath: path) else {
                            throw TributaryError.badInput("cannot read \(path)")
                        }
                        return (path, lookup.answer(patch: String(decoding: data, as: UTF8.self)))
                    })
            }
            guard let repository else { throw TributaryError.badInput("--commit needs a repository (-C PATH)") }
            return WhoReport(
                answers: try commit.map { revision in
                    (
                        revision,
                        try lookup.answer(commit: repository.commit(repository.resolveCommit(revision)), in: repository)
                    )
                })
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(report) : report.text)
        if !json { for path in report.unowned { printError("unowned: \(path)") } }
        output.flush()
    }

    /// `./a/b` and `a//b` as get_maintainer.pl's canonpath makes them.
    static func normalized(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(
            separator: "/")
        if path.hasSuffix("/") && !parts.isEmpty { parts += "/" }
        return parts
    }
}
