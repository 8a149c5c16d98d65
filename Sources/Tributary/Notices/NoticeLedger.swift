import Foundation
public import Git

/// What `trib notices` sent, on `refs/tributary/notices`: a commit per run whose tree holds
/// `sent.json` (per key: the fingerprint, Message-ID and time of the last message sent) and
/// `baseline.json` (the report the run computed from, which the next run compares with). The
/// reference moves by compare-and-swap, only after the messages were written or handed to the
/// mail program, so a notice whose delivery failed is due again next time.
public struct NoticeLedger: Sendable {
    public static let reference = "refs/tributary/notices"

    public struct Sent: Sendable, Codable, Hashable {
        public var fingerprint: String
        public var messageID: String
        public var at: Int64
        /// The `.eml` file it was written to (`--format eml`), while it is there: until then it is
        /// not out, and is withdrawn (the file removed) when it stops being true.
        public var file: String?
    }

    /// Per key, the last message sent.
    public var sent: [String: Sent] = [:]
    /// The report the last run computed from.
    public var baseline: IntegrationReport?
    /// The commit read (nil: none yet), which the next record must find still there.
    public var tip: ObjectID?

    public init() {}

    /// The ledger on the reference (empty when there is none).
    public static func read(from repository: Repository) throws -> NoticeLedger {
        var ledger = NoticeLedger()
        guard let tip = try repository.referenceTarget(reference) else { return ledger }
        ledger.tip = tip
        let tree = try repository.treeOfCommit(tip)
        if let entry = try repository.entry(at: "sent.json", in: tree) {
            ledger.sent = try JSONDecoder().decode([String: Sent].self, from: Data(try repository.blob(entry.id)))
        }
        if let entry = try repository.entry(at: "baseline.json", in: tree) {
            ledger.baseline = try JSONText.decode(IntegrationReport.self, from: Data(try repository.blob(entry.id)))
        }
        return ledger
    }

    /// Notices written to `.eml` files that are no longer true (`stillTrue` says no) while their
    /// file is still there: each file removed and the notice forgotten, so it is due again if it
    /// becomes true again. A file gone means the message went out: it is kept as sent. Returns
    /// the keys withdrawn with their files.
    public mutating func withdraw(unless stillTrue: (String) -> Bool) throws -> [(key: String, file: String)] {
        var withdrawn: [(key: String, file: String)] = []
        for (key, entry) in sent.sorted(by: { $0.key < $1.key }) {
            guard let file = entry.file else { continue }
            guard FileManager.default.fileExists(atPath: file) else {
                sent[key]?.file = nil
                continue
            }
            if !stillTrue(key) {
                try FileManager.default.removeItem(atPath: file)
                sent[key] = nil
                withdrawn.append((key, file))
            }
        }
        return withdrawn
    }

    /// Records `delivered` as sent (an update's predecessor still in an outbox removed), and
    /// `baseline` as what they were computed from: a new commit on the reference, which must still
    /// be at `tip`.
    public mutating func record(
        _ delivered: [Notice], files: [String: String] = [:], baseline report: IntegrationReport?,
        in repository: Repository
    ) throws {
        let now = Int64(Date().timeIntervalSince1970)
        for notice in delivered {
            // An update replaces the message it updates where that still waits in an outbox.
            if let waiting = sent[notice.key]?.file, waiting != files[notice.key],
                FileManager.default.fileExists(atPath: waiting)
            {
                try FileManager.default.removeItem(atPath: waiting)
            }
            sent[notice.key] = Sent(
                fingerprint: notice.fingerprint, messageID: notice.mail.messageID, at: now, file: files[notice.key])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        var edits: [TreeEdit] = [
            .upsert(path: "sent.json", blob: try repository.writeBlob(Array(try encoder.encode(sent))), mode: .regular)
        ]
        if let report {
            edits.append(
                .upsert(
                    path: "baseline.json", blob: try repository.writeBlob(try JSONText.encode(report)), mode: .regular))
        }
        let tree = try repository.writeTree(base: nil, edits: edits)
        let signature =
            repository.defaultSignature()
            ?? Signature(name: "trib", email: "trib@localhost", time: now)
        let kinds = Dictionary(grouping: delivered, by: \.kind).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
        let message =
            "trib notices: \(delivered.count) sent\(kinds.isEmpty ? "" : " (\(kinds.joined(separator: ", ")))")\n"
        let commit = try repository.createCommit(
            tree: tree, parents: tip.map { [$0] } ?? [], author: signature, committer: signature, message: message)
        try repository.updateReference(Self.reference, to: commit, expecting: tip, message: message)
        tip = commit
        baseline = report
    }
}
