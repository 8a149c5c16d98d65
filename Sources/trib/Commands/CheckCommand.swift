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
            syntax, see Docs/policy.md); owned sections from --owns, or from --tree with the manifest.

            Exit status: 0 no error-severity finding, 1 some, 2 bad input, 3 repository error.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @OptionGroup var maintainersOption: MaintainersOption
    var maintainers: String? { maintainersOption.maintainers }

    @Flag(name: .long, help: "Read every file named MAINTAINERS in each parent tree, not just the root one.")
    var findMaintainerFiles = false

    @Option(
        name: .long,
        help: ArgumentHelp("A policy file in git-config syntax ([policy], [rule \"ID\"]).", valueName: "file"))
    var policy: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The manifest (git-config syntax); default .tributary at the top of the work tree, when present.",
            valueName: "file"))
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

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Output format: \(CheckReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"
        ))
    var format: String = "text"

    @Option(name: .long, help: ArgumentHelp("Threads to check commits on (default: one per core).", valueName: "n"))
    var jobs: Int?

    @Argument(
        help: ArgumentHelp(
            "The commits to check, as for `git rev-list` (default: @{upstream}..HEAD).", valueName: "range"))
    var range: [String] = []

    func validate() throws {
        guard CheckReportFormat(rawValue: format) != nil else {
            throw ValidationError(
                "--format must be one of \(CheckReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maintainers != nil && findMaintainerFiles {
            throw ValidationError("--find-maintainer-files reads the trees; it does not go with --maintainers")
        }
    }

    func run() throws {
        let outputFormat = CheckReportFormat(rawValue: format)!
        let report: TagCheck.Report = try reportingFailures {
            let repository = try self.repository.open()
            let rangeArguments = try resolvedRange(in: repository)
            let policy = try loadPolicy(repository)
            let source: TagCheck.MaintainersSource
            if let maintainers {
                source = .fixed(try MaintainersLoader.load(maintainers))
            } else {
                source = findMaintainerFiles ? .parentTreeAllFiles : .parentTree
            }
            let check = try TagCheck(repository: repository, policy: policy, source: source)
            let report = try check.run(RevisionRange(arguments: rangeArguments), jobs: jobs)
            if report.commits.isEmpty {
                throw TributaryError.badInput(
                    "the range \(rangeArguments.joined(separator: " ")) holds no commit to check")
            }
            return report
        }
        var output = StandardOutput()
        output.write(try CheckReportRenderer(report: report).render(outputFormat))
        output.flush()
        // Exit here: tearing down a report of thousands of commits only costs time.
        Foundation.exit(report.errorCount > 0 ? ExitStatus.findings.rawValue : 0)
    }

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

    private func loadPolicy(_ repository: Repository) throws -> TagPolicy {
        var policy = TagPolicy()
        let manifestPath = manifest ?? repository.workTree.map { $0 + ".tributary" }
        if let manifestPath, FileManager.default.fileExists(atPath: manifestPath) {
            let config: ConfigFile
            do { config = try ConfigFile(path: manifestPath) } catch { throw TributaryError.badInput("\(error)") }
            policy = try TagPolicy(config: config)
            if let tree {
                let owned = try config.strings("tree.\(tree).owns")
                let url = try config.string("tree.\(tree).url")
                if owned.isEmpty && url == nil {
                    throw TributaryError.badInput("\(manifestPath) has no [tree \"\(tree)\"] with owns or url")
                }
                policy.ownedSections.formUnion(owned)
                if let url { policy.treeURLs.append(url) }
            }
        } else if let tree {
            throw TributaryError.badInput(
                "--tree \(tree) needs a manifest (--manifest, or .tributary in the work tree)")
        } else if let manifest {
            throw TributaryError.badInput("cannot read the manifest \(manifest)")
        }
        if let policyPath = self.policy {
            guard FileManager.default.isReadableFile(atPath: policyPath) else {
                throw TributaryError.badInput("cannot read the policy file \(policyPath)")
            }
            let extraConfig: ConfigFile
            do { extraConfig = try ConfigFile(path: policyPath) } catch { throw TributaryError.badInput("\(error)") }
            let extra = try TagPolicy(config: extraConfig)
            policy.severities.merge(extra.severities) { _, new in new }
            policy.ackTrailers = extra.ackTrailers
            policy.reviewersCanAck = extra.reviewersCanAck
            policy.ownerAckScope = extra.ownerAckScope
            policy.bots += extra.bots
            policy.ownedSections.formUnion(extra.ownedSections)
            policy.treeURLs += extra.treeURLs
        }
        policy.ownedSections.formUnion(owns)
        return policy
    }
}

/// Reads `--maintainers`: one file, or every file named MAINTAINERS below a directory.
enum MaintainersLoader {
    static func load(_ path: String) throws -> MaintainersFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TributaryError.badInput("no MAINTAINERS file or directory at \(path)")
        }
        var file = MaintainersFile()
        if isDirectory.boolValue {
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let item = enumerator?.nextObject() as? String {
                if item.hasPrefix(".git/") || item == ".git" { continue }
                if item == "MAINTAINERS" || item.hasSuffix("/MAINTAINERS") { found.append(item) }
            }
            guard !found.isEmpty else { throw TributaryError.badInput("no file named MAINTAINERS below \(path)") }
            for item in found.sorted() { file.add(contents: try read(path + "/" + item), name: item) }
        } else {
            file.add(contents: try read(path), name: path)
        }
        return file
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TributaryError.badInput("cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
