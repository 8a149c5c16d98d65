import ArgumentParser
import Foundation
import Git
import Tributary

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the integration manifest of this repository.",
        discussion: """
            Writes a manifest with an [integration] section: the integration branch (default: the \
            branch checked out), the mainline ref the trees are based on, and the path of the \
            MAINTAINERS file. Add trees with `trib tree add` or `trib tree import`. An existing \
            manifest is never overwritten. See Docs/manifest.md.
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Option(name: .long, help: ArgumentHelp("The integration branch (default: the current branch).", valueName: "name"))
    var branch: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The mainline ref the trees are based on, such as refs/remotes/origin/master.", valueName: "ref"))
    var base: String?

    @Option(name: .long, help: ArgumentHelp("The MAINTAINERS file's path in the tree.", valueName: "path"))
    var maintainersPath: String = "MAINTAINERS"

    func run() throws {
        try reportingFailures {
            let repository = try self.repository.open()
            var branchName = branch
            if branchName == nil, let head = try repository.headBranch() {
                branchName = head.hasPrefix("refs/heads/") ? String(head.dropFirst("refs/heads/".count)) : head
            }
            guard let branchName else {
                throw TributaryError.badInput("HEAD is not on a branch; name the integration branch with --branch")
            }
            if let base {
                do { _ = try repository.resolveCommit(base) } catch {
                    throw TributaryError.badInput("the base '\(base)' is not a commit")
                }
            }
            let path = manifestOptions.path(for: repository)
            try Manifest.create(
                at: path,
                integration: Manifest.Integration(branch: branchName, base: base, maintainersPath: maintainersPath))
            print("created \(path): integration branch \(branchName)\(base.map { ", base \($0)" } ?? "")")
        }
    }
}
