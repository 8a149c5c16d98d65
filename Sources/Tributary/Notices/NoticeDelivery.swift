import Foundation
public import Git

/// Where notices go: an mbox file (mboxrd: a body line starting with `From ` or `>From ` gets one
/// more `>`), a directory of `.eml` files, or the mail program as `git send-email` finds it.
public enum NoticeDelivery {
    /// The messages as one mbox.
    public static func mbox(_ notices: [Notice]) -> String {
        notices.map { notice in
            let lines = notice.mail.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.drop { $0 == ">" }.hasPrefix("From ") ? ">" + line : String(line)
            }
            var text = "From trib@localhost \(asctime(notice.mail.date))\n" + lines.joined(separator: "\n")
            if !text.hasSuffix("\n") { text += "\n" }
            return text + "\n"
        }.joined()
    }

    /// Writes the messages into `directory`, one file each named after its key
    /// (`conflict-thp.eml`, `applied-5e2fc67fc370-thp.eml`), so that an update replaces the message
    /// it updates. Returns the paths.
    public static func writeFiles(_ notices: [Notice], to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try notices.map { notice in
            let safe = notice.key.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" }
            let path = URL(fileURLWithPath: directory + "/" + String(safe.prefix(120)) + ".eml").standardizedFileURL
                .path
            try Data(notice.mail.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            return path
        }
    }

    /// The mail program as `git send-email` finds it: `sendemail.sendmailCmd` (run by the shell),
    /// else `sendemail.smtpServer` when it is a path, else /usr/sbin/sendmail or /usr/lib/sendmail;
    /// with `sendemail.envelopeSender`, `-f` that address.
    public struct MailProgram: Sendable {
        public var arguments: [String]
        public var envelopeSender: String?

        public static func configured(in repository: Repository, git: GitProgram) throws -> MailProgram {
            let directory = repository.workTree ?? repository.gitDirectory
            func value(_ key: String) throws -> String? {
                let result = try git.run(["config", "--get", key], in: directory)
                let text = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
                return result.status == 0 && !text.isEmpty ? text : nil
            }
            let sender = try value("sendemail.envelopeSender")
            if let command = try value("sendemail.sendmailCmd") {
                return MailProgram(arguments: ["/bin/sh", "-c", command + " \"$@\"", command], envelopeSender: sender)
            }
            if let server = try value("sendemail.smtpServer") {
                guard server.hasPrefix("/") else {
                    throw TributaryError.badInput(
                        "sendemail.smtpServer \(server) is a host: trib hands mail to a program only; set sendemail.sendmailCmd (msmtp, sendmail)"
                    )
                }
                return MailProgram(arguments: [server], envelopeSender: sender)
            }
            for path in ["/usr/sbin/sendmail", "/usr/lib/sendmail"]
            where FileManager.default.isExecutableFile(atPath: path) {
                return MailProgram(arguments: [path], envelopeSender: sender)
            }
            throw TributaryError.environment(
                "no mail program: set sendemail.sendmailCmd (git config), or install sendmail")
        }

        /// Hands `mail` to the program: `-i`, the envelope sender, every recipient; the message on
        /// standard input. Throws when it exits non-zero.
        public func send(_ mail: OutgoingMail) throws {
            var arguments = Array(self.arguments.dropFirst()) + ["-i"]
            if let envelopeSender { arguments += ["-f", envelopeSender] }
            arguments += mail.recipients
            let result = try Subprocess.run(self.arguments[0], arguments, input: Data(mail.text.utf8), timeout: 300)
            guard result.status == 0, !result.timedOut else {
                throw TributaryError.environment(
                    "\(self.arguments.last ?? "sendmail") failed (status \(result.status)) for <\(mail.messageID)>: \(result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines))"
                )
            }
        }
    }

    /// "Thu Jan  1 00:00:00 1970", as an mbox From line dates a message.
    static func asctime(_ date: Date) -> String {
        let text = UTCDates.format(date, "EEE MMM d HH:mm:ss yyyy")
        // Days below 10 take a space before them (asctime's %2d).
        let parts = text.split(separator: " ")
        guard parts.count == 5, parts[2].count == 1 else { return text }
        return "\(parts[0]) \(parts[1])  \(parts[2]) \(parts[3]) \(parts[4])"
    }
}
