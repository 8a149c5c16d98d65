import ArgumentParser
import Foundation
import Git
import Tributary

struct NoticesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract:
            "Write the mail integration work calls for: conflict notes, build breaks, series applied or dropped, nudges, the daily digest.",
        discussion: """
            Computes the notices due from the report now (as `trib report` makes it) against the \
            report the previous run recorded (or --since FILE, --recorded): a tree's merge \
            conflicts (again when its recorded resolution changes), a tree that breaks the build \
            (`trib verify`), a series applied to a tree (with its commits, and whether it changed \
            on the way), moved to another tree, dropped (rewound or reverted), a newer version \
            posted, a series waiting for review longer than [notices] review-wait, and the day's \
            digest ("Tree for DATE"). Each is an RFC 5322 message from [notices] from, to the \
            tree's contacts and the maintainers of what it owns, the series' sender and the list, \
            threaded under the posting it is about, with a stable Message-ID. Without --out or \
            --send it only lists who would get what. With them, what was written or sent is \
            recorded on refs/tributary/notices, so a rerun sends nothing new; a message the mail \
            program refused is not recorded, and is due again. See Docs/notices.md.

            Exit status: 0 done, 1 a message could not be sent, 2 bad input, 3 repository or \
            environment error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case mbox, eml
    }

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var manifestOptions: ManifestOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write the messages here (and record them): an mbox file, or with --format eml a directory.",
            valueName: "path"))
    var out: String?

    @Option(name: .long, help: "What --out writes: one mbox file, or a directory of .eml files.")
    var format: Format = .mbox

    @Flag(
        name: .long,
        help:
            "Hand each message to the mail program (sendemail.sendmailCmd, sendemail.smtpServer as a path, else sendmail), and record those it took."
    )
    var send = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Compare with this report (trib report --json) instead of the one the last run recorded.", valueName: "file"
        ))
    var since: String?

    @Flag(name: .long, help: "Compare with the report `trib report --record` kept.")
    var recorded = false

    @Option(
        name: .long,
        help: ArgumentHelp("The moment the report describes (YYYY-MM-DD or ISO 8601; default now).", valueName: "date"))
    var asOf: String?

    @Flag(name: .long, help: "Print the notices as JSON (key, kind, update, the message's headers and body).")
    var json = false

    func validate() throws {
        if send && out != nil { throw ValidationError("--send and --out: pick one") }
        if since != nil && recorded { throw ValidationError("--since and --recorded: pick one") }
        if let out {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory)
            if exists && isDirectory.boolValue && format == .mbox {
                throw ValidationError("--out \(out) is a directory: give a file for the mbox, or --format eml")
            }
            if exists && !isDirectory.boolValue && format == .eml {
                throw ValidationError("--out \(out) is a file: --format eml writes into a directory")
            }
        }
        if let asOf, ReportCommand.date(asOf) == nil {
            throw ValidationError("--as-of \(asOf): give YYYY-MM-DD or an ISO 8601 time")
        }
    }

    func run() throws {
        var failed = false
        try reportingFailures {
            let repository = try self.repository.open()
            let manifest = try manifestOptions.load(for: repository)
            var run = NoticeRun(repository: repository, manifest: manifest)
            run.index = try? IndexDatabase(repository: repository)
            run.context = CommandContext.make(progress: !json)
            if let asOf { run.asOf = ReportCommand.date(asOf)! }
            let due = try run.due(baseline: try baseline(in: repository))
            var (notices, ledger) = (due.notices, due.ledger)
            let (report, withdrawn) = (due.report, due.withdrawn)
            var output = StandardOutput()
            defer { output.flush() }
            for (key, file) in withdrawn where !json {
                output.line("withdrawn \(key): no longer true (removed \(file))")
            }
            if json {
                output.write(try JSONText.encode(notices))
            } else if out == nil && !send {
                output.write(Self.listing(notices))
            }
            var files: [String: String] = [:]
            if let out {
                files = try write(notices, to: out)
                if !json { output.line("wrote \(notices.count) notice\(notices.count == 1 ? "" : "s") to \(out)") }
            } else if send {
                let program = try NoticeDelivery.MailProgram.configured(in: repository, git: run.context.git)
                notices = notices.filter { notice in
                    do {
                        try program.send(notice.mail)
                        if !json {
                            output.line("sent \(notice.key) to \(notice.mail.recipients.joined(separator: ", "))")
                        }
                        return true
                    } catch {
                        printError("trib: \(error)")
                        failed = true
                        return false
                    }
                }
            }
            // What was written or sent is recorded; the baseline moves on only when all went out
            // (a refused message is due again, computed from the same baseline).
            if out != nil || send || !withdrawn.isEmpty {
                let delivered = out != nil || send ? notices : []
                let moved = (out != nil || send) && !failed
                try ledger.record(delivered, files: files, baseline: moved ? report : ledger.baseline, in: repository)
            }
        }
        if failed { throw ExitStatus.findings }
    }

    /// The report to compare with: --since FILE, --recorded, else (nil) the ledger's.
    func baseline(in repository: Repository) throws -> IntegrationReport?? {
        if let since {
            guard let data = FileManager.default.contents(atPath: since) else {
                throw TributaryError.badInput("cannot read \(since)")
            }
            return .some(try ReportHistory.read(data, from: since))
        }
        if recorded { return .some(try ReportHistory(repository: repository).previous()) }
        return nil
    }

    /// Writes the messages as --format says; for .eml files, the file of each notice by key.
    func write(_ notices: [Notice], to out: String) throws -> [String: String] {
        switch format {
        case .mbox:
            try Data(NoticeDelivery.mbox(notices).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            return [:]
        case .eml:
            let paths = try NoticeDelivery.writeFiles(notices, to: out)
            return Dictionary(uniqueKeysWithValues: zip(notices.map(\.key), paths))
        }
    }

    /// Who would get what.
    static func listing(_ notices: [Notice]) -> String {
        guard !notices.isEmpty else { return "no notices due\n" }
        return notices.map { notice in
            var out = "\(notice.kind.rawValue)\(notice.isUpdate ? " (update)" : "")  \(notice.key)\n"
            out += "  Subject: \(notice.mail.subject)\n"
            out += "  To: \(notice.mail.to.joined(separator: ", "))\n"
            if !notice.mail.cc.isEmpty { out += "  Cc: \(notice.mail.cc.joined(separator: ", "))\n" }
            if let reply = notice.mail.inReplyTo { out += "  In-Reply-To: <\(reply)>\n" }
            return out
        }.joined()
    }
}
