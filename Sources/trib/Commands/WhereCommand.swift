import ArgumentParser
import Foundation
import Git
import Tributary

struct WhereCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "where",
        abstract: "Where a change is: in every tree, the mainline and the imported mail.",
        discussion: """
            QUERY is a revision, a message-id (with or without <>), a patch or mail file, a range \
            (A..B: each commit of it) or an mbox of a series (each patch, and per place how many \
            it carries: landed, modified or partial; JSON schema tributary.where-list/1). The \
            answer lists the commits carrying the same change in the integration branch, each \
            fetched tree (since the manifest's base), each [place] of the manifest (a stable \
            branch, since it forked) and the mainline (the base and below, back to the manifest's \
            integration.history horizon; default two years) — by stable patch-id, by a Link: or Message-ID: naming the \
            posting, by a backport marker naming the commit, or by content (changed lines, \
            subject and author scored from 0 to 1; close candidates are all named) — and the \
            posted patches it corresponds to in the imported mail. Exit 1 when it is nowhere.
            """)

    @OptionGroup var options: LedgerOptions

    @Flag(name: .long, help: "Print JSON (schema tributary.where/1; tributary.where-list/1 for several changes).")
    var json = false

    @Argument(
        help: ArgumentHelp("A revision, a message-id, a patch file, a range or an mbox.", valueName: "query"),
        completion: .file())
    var query: String

    func run() throws {
        let (queries, answers) = try reportingFailures {
            let repository = try options.repository.open()
            let queries = try WhereQuery.classifyAll(query, in: repository)
            if queries.isEmpty { throw TributaryError.badInput("the range \(query) holds no commit to look for") }
            return (
                queries,
                try WhereAnswer.find(
                    queries, repository: repository, manifest: try options.manifestOptions.load(for: repository),
                    context: CommandContext.make())
            )
        }
        var output = StandardOutput()
        if queries.count == 1, let answer = answers.first {
            output.write(json ? try JSONText.encode(answer) : LedgerRenderer.text(answer))
            output.flush()
            if answer.isNowhere { throw ExitStatus.findings }
            return
        }
        let list = WhereListAnswer(query: query, answers: answers)
        output.write(json ? try JSONText.encode(list) : LedgerRenderer.text(list))
        output.flush()
        if list.isNowhere { throw ExitStatus.findings }
    }
}
