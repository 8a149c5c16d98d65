import ArgumentParser
import Foundation
import Git
import Tributary

struct WhoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who",
        abstract: "List who maintains, reviews and hears about paths, commits or patches.",
        discussion: """
            Prints the people and lists of the MAINTAINERS sections that match, as the project's \
            own get_maintainer.pl does with `--no-git --no-git-fallback --roles`: \
            `Name <address> (role:SECTION)`, sections deepest first (equal depths in file order), \
            people before lists, a person listed once. For commits and patches, K: keywords in the \
            patch add their sections, and the people who signed a commit that a `Fixes:` tag \
            names are added as `blamed_fixes`. Paths that no maintained section with a maintainer \
            covers are reported as unowned on standard error (get_maintainer.pl would guess from \
            git history instead).

            The project's `.get_maintainer.conf` (the top of the tree, then $HOME, then .scripts) \
            is followed: --find-maintainer-files, --maintainer-path, --no-keywords, --no-fixes, \
            --no-remove-duplicates, --git-max-maintainers and the like; options that guess from \
            git history are named once as ignored. `.get_maintainer.ignore` keeps people out of \
            the `Fixes:` signers. MAINTAINERS comes from --maintainers, else from what the \
            configuration names (default: the top's MAINTAINERS), in the work tree or else HEAD's \
            tree; .mailmap likewise from --mailmap, the work tree, or HEAD.

            The dialect (whose script to answer like: linux, u-boot, xen) comes from --dialect, \
            else the manifest's [ownership] dialect, else the tree (Docs/who.md says how it is \
            told), else linux.
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

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Answer as this project's get_maintainer.pl does (default: the manifest's, else detected, else linux).",
            valueName: "dialect"))
    var dialect: OwnershipDialect?

    @OptionGroup var manifestOption: ManifestOptions

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
            let (chosen, chosenBy) = try self.chosenDialect(repository)
            let lookup = try MaintainerLookup.forRepository(
                repository, maintainers: maintainers, mailmap: mailmap, dialect: chosen, chosenBy: chosenBy)
            for warning in lookup.index.warnings { printError("warning: \(warning)") }
            let report = WhoReport(answers: try answers(lookup, repository), lookup: lookup)
            if let configuration = report.configuration, !json { Self.printNotes(configuration) }
            return report
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(report) : report.text)
        if !json { for path in report.unowned { printError("unowned: \(path)") } }
        output.flush()
    }

    /// The dialect asked for, and by what: --dialect, else the manifest's; nil to detect it.
    private func chosenDialect(_ repository: Repository?) throws -> (OwnershipDialect?, OwnershipDialect.Choice) {
        if let dialect { return (dialect, .option) }
        if let repository, let manifest = try manifestOption.loadIfPresent(for: repository),
            let dialect = manifest.ownershipDialect
        {
            return (dialect, .manifest)
        }
        return (nil, .default)
    }

    private func answers(_ lookup: MaintainerLookup, _ repository: Repository?) throws -> [(
        String, MaintainerLookup.Answer
    )] {
        let readFile = try MaintainerLookup.fileReader(for: repository)
        if !paths.isEmpty { return [("paths", lookup.answer(paths: paths.map(Self.normalized), readFile: readFile))] }
        if !patch.isEmpty {
            return try patch.map { path in
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw TributaryError.badInput("cannot read \(path)")
                }
                let fixes = repository.map { repository in { (id: String) in FixesCommit.lookUp(id, in: repository) } }
                return (
                    path, lookup.answer(patch: String(decoding: data, as: UTF8.self), fixes: fixes, readFile: readFile)
                )
            }
        }
        guard let repository else { throw TributaryError.badInput("--commit needs a repository (-C PATH)") }
        return try commit.map { revision in
            (revision, try lookup.answer(commit: repository.commit(repository.resolveCommit(revision)), in: repository))
        }
    }

    /// One line each for what the configuration asks that is not followed.
    static func printNotes(_ configuration: WhoReport.Configuration) {
        if !configuration.ignored.isEmpty {
            printError(
                "note: \(configuration.source): ignoring \(configuration.ignored.joined(separator: " ")) "
                    + "(Tributary does not guess from git history)")
        }
        if !configuration.unknown.isEmpty {
            printError(
                "warning: \(configuration.source): not get_maintainer.pl options: "
                    + configuration.unknown.joined(separator: " "))
        }
    }

    /// `./a/b` and `a//b` as get_maintainer.pl's canonpath makes them.
    static func normalized(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(
            separator: "/")
        if path.hasSuffix("/") && !parts.isEmpty { parts += "/" }
        return parts
    }
}
