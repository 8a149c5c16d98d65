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
            integration branch, and which other fetched trees it conflicts with; tag findings are \
            about the tree's own commits (those the integration branch lacks), and the commits \
            whose change already landed there as another commit are counted. BASE: --base, else \
            the integration branch (the request starts at the tree's merge base with it), else the \
            manifest's base, else the upstream.

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
            let manifest = try manifestOptions.loadIfPresent(for: repository)
            return try PullRequest.build(
                target: target, repository: repository, manifest: manifest, base: base, url: url)
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(request) : request.text)
        output.flush()
        if !request.readiness.ready { throw ExitStatus.findings }
    }
}
