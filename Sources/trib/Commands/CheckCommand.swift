import ArgumentParser
import Foundation
import Git
import Tributary

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that every commit of a range carries the tags the project requires.",
        discussion: """
            Applies the tag rules to every non-merge commit of RANGE: Signed-off-by from the author and \
            the committer, Co-developed-by pairs, Fixes: format and target, Reported-by/Closes, \
            Link:, reviews, and acks from the maintainers of every MAINTAINERS section the commit \
            touches that its tree does not own. MAINTAINERS is read from each commit's parent tree \
            (the rules in force when the change was made) unless --maintainers is given.

            RANGE is a range as `git rev-list` takes it; the default is the current branch's \
            upstream to HEAD. Rules, severities, ack trailers and bots come from --policy (git-config \
            syntax, see Docs/policy.md) or a project's preset (--preset, or `preset =` in the policy: \
            linux, dpdk, xen, u-boot, qemu, git); owned sections from --owns, or from --tree with the \
            manifest.

            Exit status: 0 no error-severity finding, 1 some, 2 bad input, 3 repository error.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @OptionGroup var maintainersOption: MaintainersOption
    var maintainers: String? { maintainersOption.maintainers }

    @Flag(
        name: .long,
        help:
            "Read every file named MAINTAINERS in each parent tree, not just the root one (the default when the tree's .get_maintainer.conf says so)."
    )
    var findMaintainerFiles = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Start from this project's tag rules instead of the manifest's and policy file's (see Docs/policy.md).",
            valueName: "preset"))
    var preset: TagPreset?

    @Option(
        name: .long,
        help: ArgumentHelp("A policy file in git-config syntax ([policy], [rule \"ID\"]).", valueName: "file"),
        completion: .file())
    var policy: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The manifest (git-config syntax); default .tributary at the top of the work tree, when present.",
            valueName: "file"), completion: .file())
    var manifest: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The tree the range belongs to: its owned sections and URL come from the manifest's [tree \"NAME\"].",
            valueName: "name"))
    var tree: String?

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp("A MAINTAINERS section the tree owns (repeatable).", valueName: "section"))
    var owns: [String] = []

    @Option(name: .long, help: ArgumentHelp("Output format.", valueName: "format"))
    var format: CheckReportFormat = .text

    @Option(name: .long, help: ArgumentHelp("Threads to check commits on (default: one per core).", valueName: "n"))
    var jobs: Int?

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp(
            "The commits to check, as for `git rev-list`: A..B, A...B, ^A, A^!, A^@, A^-N, --not (default: @{upstream}..HEAD).",
            valueName: "range"))
    var range: [String] = []

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maintainers != nil && findMaintainerFiles {
            throw ValidationError("--find-maintainer-files reads the trees; it does not go with --maintainers")
        }
    }

    func run() throws {
        let (report, check): (TagCheck.Report, TagCheck) = try reportingFailures {
            let repository = try self.repository.open()
            let rangeArguments = try resolvedRange(in: repository)
            let policy = try TagPolicy.forCheck(
                manifest: (manifest ?? Manifest.defaultPath(for: repository), manifest != nil), tree: tree,
                policyFile: self.policy, owns: owns, preset: preset)
            let source: TagCheck.MaintainersSource
            if let maintainers {
                source = .fixed(try MaintainersFile.load(maintainers))
            } else {
                source = findMaintainerFiles ? .parentTreeAllFiles : try .asConfigured(in: repository)
            }
            let check = try TagCheck(repository: repository, policy: policy, source: source)
            let report = try check.run(
                RevisionRange(arguments: rangeArguments), jobs: jobs,
                context: CommandContext.make(progress: format == .text))
            if report.commits.isEmpty {
                throw TributaryError.badInput(
                    "the range \(rangeArguments.joined(separator: " ")) holds no commit to check")
            }
            return (report, check)
        }
        var output = StandardOutput()
        let renderer = CheckReportRenderer(report: report)
        if format == .json {
            for piece in try renderer.jsonPieces() { output.write(bytes: piece) }
        } else {
            output.write(try renderer.render(format))
        }
        output.flush()
        // The process ends right after: a report of thousands of commits and the MAINTAINERS
        // indexes are kept rather than torn down (that costs some 40 ms each on 10,000 commits
        // and helps no one).
        Self.finished = (report, check)
        if report.errorCount > 0 { throw ExitStatus.findings }
    }

    /// The report of this run, kept until the process exits.
    nonisolated(unsafe) private static var finished: (TagCheck.Report, TagCheck)?

    /// The range given, or the current branch's upstream to HEAD.
    private func resolvedRange(in repository: Repository) throws -> [String] {
        if !range.isEmpty { return range }
        do {
            _ = try repository.resolveCommit("@{upstream}")
        } catch {
            let branch = (try? repository.headBranch()).flatMap { $0 } ?? "HEAD"
            throw TributaryError.badInput(
                "\(branch) has no upstream branch; give the range to check, such as origin/main..HEAD")
        }
        return ["@{upstream}..HEAD"]
    }
}
