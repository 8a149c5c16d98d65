import ArgumentParser
import Foundation
import Git
import Tributary

struct RequestPullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request-pull",
        abstract: "Write a pull request as git request-pull does, with the series it carries and whether it is ready.",
        discussion: """
            TARGET is a tree of the manifest (its fetched tip, URL and branch) or a branch or \
            revision (then give --url). The text has git request-pull's structure — changes since \
            the merge base with BASE, where to fetch, up to which tip, the shortlog and the \
            diffstat, equal to git's — then the series the commits link to, and the readiness: \
            tag findings under the tree's policy, whether it merges cleanly into the \
            integration branch, and which other fetched trees it conflicts with. BASE: --base, else the manifest's base, else the upstream.

            Exit status: 0 ready, 1 not ready, 2 bad input, 3 repository error.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Option(name: .long, help: ArgumentHelp("What the changes are measured from.", valueName: "ref"))
    var base: String?

    @Option(
        name: .long, help: ArgumentHelp("Where the changes can be fetched (default: the tree's URL).", valueName: "url")
    )
    var url: String?

    @Flag(name: .long, help: "Print JSON (schema tributary.request-pull/1).")
    var json = false

    @Argument(
        help: ArgumentHelp("A tree of the manifest, or a branch (default: the current branch).", valueName: "target"))
    var target: String?

    func run() throws {
        let request = try reportingFailures {
            let repository = try self.repository.open()
            let manifestPath = manifestOptions.path(for: repository)
            let manifest =
                FileManager.default.fileExists(atPath: manifestPath) ? try Manifest.load(from: manifestPath) : nil
            var tip: ObjectID
            var location = url
            var branch: String
            var policy = manifest?.policy ?? TagPolicy()
            if let target, let tree = manifest?.trees.first(where: { $0.name == target }) {
                guard let fetched = try repository.referenceTarget(tree.reference) else {
                    throw TributaryError.badInput("tree \(target) is not fetched (run `trib fetch \(target)`)")
                }
                tip = fetched
                location = location ?? tree.url
                branch = tree.branch
                policy = try manifest!.policy(for: tree)
            } else {
                let revision =
                    try target ?? (repository.headBranch().map { String($0.dropFirst("refs/heads/".count)) } ?? "HEAD")
                tip = try repository.resolveCommit(revision)
                branch = revision.hasPrefix("refs/heads/") ? String(revision.dropFirst("refs/heads/".count)) : revision
            }
            guard let location else {
                throw TributaryError.badInput("give --url: where the changes can be fetched from")
            }
            if let problem = TreeSource.problem(withURL: location) { throw TributaryError.badInput(problem) }
            let baseRevision = base ?? manifest?.integration.base ?? "@{upstream}"
            let baseCommit: ObjectID
            do { baseCommit = try repository.resolveCommit(baseRevision) } catch {
                throw TributaryError.badInput("no base: give --base (\(baseRevision) is not a commit)")
            }
            var integration: (name: String, tip: ObjectID)?
            var others: [(name: String, tip: ObjectID)] = []
            if let manifest, let integrationTip = try repository.referenceTarget(manifest.integration.reference) {
                integration = (manifest.integration.branch, integrationTip)
                for tree in manifest.trees where tree.name != target {
                    if let other = try repository.referenceTarget(tree.reference) { others.append((tree.name, other)) }
                }
            }
            return try PullRequest.build(
                repository: repository, base: baseCommit, tip: tip, url: location, branch: branch, policy: policy,
                integration: integration, otherTrees: others)
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(request) : request.text)
        output.flush()
        if !request.readiness.ready { throw ExitStatus.findings }
    }
}
