import ArgumentParser
import Foundation
import Git
import Tributary

struct WhereCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "where",
        abstract: "Where a change is: a commit, a message-id or a patch file, in every tree and on the list.",
        discussion: """
            QUERY is a revision, a message-id (with or without <>), or a patch or mail file. The \
            answer lists the commits carrying the same change in the integration branch, each \
            fetched tree (since the manifest's base) and each [place] of the manifest (a stable \
            branch, since it forked) — by stable patch-id, by a Link: or Message-ID: naming the \
            posting, by a backport marker naming the commit, or by content (changed lines, \
            subject and author scored from 0 to 1; close candidates are all named) — and the \
            posted patches it corresponds to in the imported mail. Exit 1 when it is nowhere.
            """)

    @OptionGroup var options: LedgerOptions

    @Flag(name: .long, help: "Print JSON (schema tributary.where/1).")
    var json = false

    @Argument(help: ArgumentHelp("A revision, a message-id, or a patch file.", valueName: "query"), completion: .file())
    var query: String

    func run() throws {
        let answer = try reportingFailures {
            let repository = try options.repository.open()
            let query = try WhereQuery.classify(query, in: repository)
            return try WhereAnswer.find(
                query, repository: repository, manifest: try options.manifestOptions.load(for: repository),
                context: CommandContext.make())
        }
        var output = StandardOutput()
        output.write(json ? try JSONText.encode(answer) : LedgerRenderer.text(answer))
        output.flush()
        if answer.isNowhere { throw ExitStatus.findings }
    }
}
