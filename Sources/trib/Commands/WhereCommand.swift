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
            answer lists the commits carrying the same change in the integration branch and each \
            fetched tree (since the manifest's base) — by stable patch-id, or by a Link: or \
            Message-ID: naming the posting — and the posted patches it corresponds to in the \
            imported mail. Exit 1 when it is nowhere.
            """)

    @OptionGroup var options: LedgerOptions

    @Flag(name: .long, help: "Print JSON (schema tributary.where/1).")
    var json = false

    @Argument(help: ArgumentHelp("A revision, a message-id, or a patch file.", valueName: "query"))
    var query: String

    func run() throws {
        let answer = try reportingFailures {
            let repository = try options.repository.open()
            var patchID: ObjectID?
            var messageIDs: [String] = []
            if FileManager.default.fileExists(atPath: query), let data = FileManager.default.contents(atPath: query) {
                let message = MailMessage(Mbox.messages(in: Array(data)).first?.bytes ?? Array(data))
                var hasher = PatchIDHasher()
                hasher.add(text: message.body.isEmpty ? String(decoding: data, as: UTF8.self) : message.body)
                patchID = hasher.finalize()
                if let id = message.messageID { messageIDs.append(id) }
            } else if query.contains("@") {
                messageIDs.append(query.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")))
            } else {
                let commit = try repository.commit(repository.resolveCommit(query))
                patchID = try repository.patchID(of: commit)
                messageIDs = MessageID.linked(in: TrailerParser.trailers(in: commit.message))
            }
            let (places, messages) = try options.placesAndMail()
            let manifest = try options.manifestOptions.load(for: repository)
            let index = try IndexDatabase(repository: repository)
            // Only commits not seen before are read.
            _ = try LedgerPlaces.update(repository: repository, manifest: manifest, index: index)
            return try WhereAnswer.find(
                query: query, patchID: patchID, messageIDs: messageIDs, messages: messages, repository: repository,
                places: places, index: index)
        }
        var output = StandardOutput()
        if json {
            output.write(try JSONText.encode(answer))
        } else {
            if let patchID = answer.patchID { output.line("patch-id \(patchID.hex)") }
            for place in answer.commits {
                output.line(
                    "\(place.place): \(place.commit.abbreviated()) \"\(TreeSource.escaped(place.subject))\" (\(place.rule.rawValue))"
                )
            }
            for posting in answer.postings {
                output.line(
                    "posted: \(posting.series) v\(posting.version) \(posting.counter) \"\(TreeSource.escaped(posting.subject))\" <\(posting.messageID)>"
                )
            }
            if answer.commits.isEmpty && answer.postings.isEmpty { output.line("nowhere") }
        }
        output.flush()
        if answer.commits.isEmpty && answer.postings.isEmpty { throw ExitStatus.findings }
    }
}
