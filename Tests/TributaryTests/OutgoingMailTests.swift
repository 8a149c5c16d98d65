import Foundation
import Testing
import Tributary

/// The messages trib writes: no value can add a header, non-ASCII becomes encoded-words that the
/// project's parser (and any RFC 2047 reader) decodes back, long lines fold.
@Suite struct OutgoingMailTests {
    static func mail(subject: String, to: [String], from: String = "Integration <int@example.org>") -> OutgoingMail {
        OutgoingMail(
            from: from, to: to, subject: subject, messageID: "a@example.org>\r\nBcc: x@example.org",
            inReplyTo: "<posting@example.org>", date: Date(timeIntervalSince1970: 0), body: "text\r\nmore")
    }

    @Test("CR, LF and Bcc: in a subject, a name or a message-id never make a header")
    func headerInjection() {
        let text = Self.mail(
            subject: "fix\r\nBcc: victim@example.org", to: ["Eve\nBcc: victim@example.org <eve@example.org>"]
        ).text
        let headers = text.components(separatedBy: "\n\n")[0].split(separator: "\n")
        #expect(!headers.contains { $0.hasPrefix("Bcc:") })
        #expect(headers.allSatisfy { $0.first == " " || $0.contains(":") })
        #expect(text.contains("Subject: fix  Bcc: victim@example.org\n"))
        #expect(text.contains("To: \"Eve Bcc: victim@example.org\" <eve@example.org>\n"))
        #expect(text.contains("Message-ID: <a@example.orgBcc:x@example.org>\n"))
        #expect(text.hasSuffix("\n\ntext\nmore\n"))
        let parsed = MailMessage(Array(text.utf8))
        #expect(parsed.header("Bcc") == nil)
        #expect(parsed.header("In-Reply-To") == "<posting@example.org>")
    }

    @Test("non-ASCII names and subjects are encoded-words that decode back; long headers fold")
    func encodedWords() {
        let subject = String(repeating: "Überprüfung der Speicherverwaltung ", count: 3) + "🙂"
        let mail = Self.mail(subject: subject, to: ["Jürgen Müller <jm@example.org>", "plain@example.org"])
        let text = mail.text
        #expect(text.contains("=?UTF-8?B?"))
        let headers = text.components(separatedBy: "\n\n")[0]
        #expect(headers.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(headers.split(separator: "\n").allSatisfy { $0.count <= 78 })
        let parsed = MailMessage(Array(text.utf8))
        #expect(parsed.header("Subject") == subject)
        #expect(parsed.header("To") == "Jürgen Müller <jm@example.org>, plain@example.org")
        #expect(mail.recipients == ["jm@example.org", "plain@example.org"])
    }
}
