import Foundation
public import Git

/// The notices due now: from the current report, what changed since the baseline (the report as
/// the previous `trib notices` saw it), what `trib verify` said of each tree, and the recorded
/// resolutions the last pull used — less what was sent already with the same content.
public struct NoticeFinder {
    public let manifest: Manifest
    public let report: IntegrationReport
    /// The report the last notices were computed from; nil on the first run, when no series
    /// change is announced (everything would look new).
    public let baseline: IntegrationReport?
    public let verdicts: BuildVerdicts
    /// Per tree, the resolutions the last pull applied to its conflicts, as `trib resolve show`
    /// prints them (id and diff).
    public let resolutions: [String: [String]]
    /// Key → fingerprint of what was sent.
    public let sent: [String: String]
    /// For rewound-or-reverted: whether a commit is still in a tree's history.
    public let isInTree: (ObjectID, String) -> Bool
    /// The MAINTAINERS people and lists of paths (get_maintainer.pl's answer), and of a commit's
    /// change: the Cc of conflict notes and build breaks.
    public var peopleOfPaths: ([String]) -> [String] = { _ in [] }
    public var peopleOfCommit: (ObjectID) -> [String] = { _ in [] }

    public init(
        manifest: Manifest, report: IntegrationReport, baseline: IntegrationReport?, verdicts: BuildVerdicts,
        resolutions: [String: [String]], sent: [String: String], isInTree: @escaping (ObjectID, String) -> Bool
    ) {
        self.manifest = manifest
        self.report = report
        self.baseline = baseline
        self.verdicts = verdicts
        self.resolutions = resolutions
        self.sent = sent
        self.isInTree = isInTree
    }

    /// Every notice due, in a stable order: conflicts and build breaks by merge order, then series
    /// changes, review nudges and the day's digest.
    public func notices() throws -> [Notice] {
        guard let from = manifest.notices.from, OutgoingMail.address(in: from) != nil else {
            throw TributaryError.badInput("set [notices] from = NAME <ADDRESS> in the manifest: notices need a sender")
        }
        var drafts: [Draft] = []
        drafts += conflictNotices()
        drafts += buildNotices()
        if let baseline { drafts += seriesNotices(since: baseline) }
        drafts += reviewNotices()
        drafts.append(summary())
        return drafts.compactMap { draft in
            let old = sent[draft.key]
            guard old != draft.fingerprint else { return nil }
            return Notice(
                kind: draft.kind, key: draft.key, fingerprint: draft.fingerprint, isUpdate: old != nil,
                mail: mail(for: draft, from: from, update: old != nil))
        }
    }

    /// A notice before it is a message.
    struct Draft {
        var kind: Notice.Kind
        var key: String
        /// What its content depends on; the fingerprint is its digest.
        var content: String
        var subject: String
        var body: String
        var to: [String]
        var cc: [String]
        /// The posting it answers (a series' message-id).
        var replyTo: String?

        var fingerprint: String { ObjectID(hashing: content).hex }
    }

    /// Whether what the notice of `key` said is still so: the tree still conflicts (or needed a
    /// resolution), still breaks the build, the series is still where (or not where) it said,
    /// still waits for review. A digest or a newer version posted stays true.
    public func stillTrue(_ key: String) -> Bool {
        let parts = key.split(separator: "/").map(String.init)
        let row = parts.count > 1 ? report.series.first { $0.key == parts[1] } : nil
        switch parts.first {
        case "conflict":
            let tree = report.trees.first { $0.name == parts.last }
            return !(tree?.conflicts.isEmpty ?? true) || !(resolutions[parts.last ?? ""] ?? []).isEmpty
        case "build":
            return verdicts.verdict(of: parts.last ?? "")?.verdict.state == .broken
        case "applied":
            return row?.isPresent(in: parts.last ?? "") ?? false
        case "moved":
            return parts.count == 4 && (row?.isPresent(in: parts[3]) ?? false)
                && !(row?.isPresent(in: parts[2]) ?? false)
        case "dropped":
            return !(row?.isPresent(in: parts.last ?? "") ?? false)
        case "review-wait":
            return (row?.isWaitingForReview ?? false) && "v\(row?.version ?? 0)" == parts.last
        default:
            return true
        }
    }

    // MARK: Recipients

    func tree(_ name: String) -> Manifest.Tree? { manifest.trees.first { $0.name == name } }

    /// A tree's contacts and the maintainers of the sections it owns.
    func people(of name: String) -> [String] {
        (tree(name)?.contacts ?? []) + (report.trees.first { $0.name == name }?.maintainers ?? [])
    }

    var list: [String] { manifest.notices.to }

    /// Who the posting of `row` went to (its To and Cc), each address once.
    func postingRecipients(_ row: IntegrationReport.SeriesRow?) -> [String] {
        (row?.recipients ?? []).flatMap { MaintainerAddress.parseList($0).map(\.description) }
    }

    // MARK: Kinds

    /// One note per tree whose merge conflicts: the files, the trees and commits on each side, and
    /// the resolution once one was recorded and used — an update when that changes.
    func conflictNotices() -> [Draft] {
        report.trees.compactMap { tree -> Draft? in
            let used = resolutions[tree.name] ?? []
            guard !tree.conflicts.isEmpty || !used.isEmpty else { return nil }
            let others = Array(Set(tree.conflicts.flatMap { $0.with.map(\.description) })).sorted()
            var body = "Hi all,\n\n"
            if tree.conflicts.isEmpty {
                body += "Today's merge of the \(tree.name) tree needed the recorded resolution below.\n"
            } else {
                body += "Today's merge of the \(tree.name) tree got conflicts in:\n\n"
                for conflict in tree.conflicts {
                    body += "  \(conflict.path) (\(conflict.kind.rawValue))\n"
                }
                body += "\nbetween these commits:\n\n"
                for conflict in tree.conflicts {
                    for side in conflict.sides {
                        for subject in side.commits {
                            body +=
                                "  \(conflict.path): \(side.isThisTree ? "the \(tree.name) tree" : "the \(side.place) tree"): \"\(subject)\"\n"
                        }
                    }
                }
                body += "\nNo recorded resolution settles them yet"
                body += used.isEmpty ? ".\n" : "; the resolutions recorded so far follow.\n"
            }
            for resolution in used { body += "\n" + resolution + (resolution.hasSuffix("\n") ? "" : "\n") }
            let before = manifest.trees.prefix { $0.name != tree.name }.map(\.name)
            if !before.isEmpty {
                body += "\nThe \(tree.name) tree is merged after \(before.joined(separator: ", ")).\n"
            }
            let withPeople = others.flatMap { people(of: $0) }
            let content =
                tree.conflicts.map { "\($0.path) \($0.kind.rawValue) \($0.with.map(\.description))" }.joined(
                    separator: "\n") + "\n" + used.joined(separator: "\n")
            return Draft(
                kind: .conflict, key: "conflict/\(tree.name)", content: content,
                subject:
                    "manual merge of the \(tree.name) tree with the \(others.isEmpty ? "integration" : others.joined(separator: ", ")) tree\(others.count > 1 ? "s" : "")",
                body: body, to: people(of: tree.name),
                cc: withPeople + peopleOfPaths(tree.conflicts.map(\.path)) + list, replyTo: nil)
        }
    }

    /// A tree that breaks the build: the command, the first failing commit, the tree it breaks
    /// with, and the end of the log.
    func buildNotices() -> [Draft] {
        manifest.trees.compactMap { tree -> Draft? in
            guard let (command, verdict) = verdicts.verdict(of: tree.name), verdict.state == .broken else { return nil }
            var body = "Hi all,\n\nAfter merging the \(tree.name) tree, today's \(command) failed"
            if let partner = verdict.partner {
                body +=
                    " — it passes with the \(tree.name) tree alone, and fails once the \(partner) tree is merged too"
            }
            body += ".\n\n"
            if let commit = verdict.commit {
                body += "Caused by commit\n\n  \(commit.abbreviated()) (\"\(verdict.subject ?? "")\")\n\n"
            }
            if let excerpt = verdict.excerpt, !excerpt.isEmpty {
                body += "The end of its output:\n\n"
                for line in excerpt.split(separator: "\n", omittingEmptySubsequences: false).suffix(40) {
                    body += line.isEmpty ? "\n" : "  \(line)\n"
                }
            }
            let content = "\(command) \(verdict.commit?.hex ?? "") \(verdict.partner ?? "")"
            return Draft(
                kind: .build, key: "build/\(tree.name)", content: content,
                subject: "build failure after merge of the \(tree.name) tree", body: body,
                to: people(of: tree.name),
                cc: (verdict.partner.map { people(of: $0) } ?? []) + (verdict.commit.map(peopleOfCommit) ?? []) + list,
                replyTo: nil)
        }
    }

    /// A series applied to a tree, moved from one tree to another, dropped from one, or with a
    /// newer version posted while a tree carries it.
    func seriesNotices(since baseline: IntegrationReport) -> [Draft] {
        let changes = ReportChanges.between(baseline, report)
        let rows = Dictionary(report.series.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let old = Dictionary(baseline.series.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var drafts: [Draft] = []
        let droppedFrom = Dictionary(
            changes.trees.flatMap { change in change.dropped.map { ($0.key, change.tree) } },
            uniquingKeysWith: { first, _ in first })
        for change in changes.trees {
            for item in change.new {
                guard let row = rows[item.key] else { continue }
                drafts.append(applied(row, to: change.tree, movedFrom: droppedFrom[item.key]))
            }
            for item in change.dropped where !changes.trees.contains(where: { $0.new.contains { $0.key == item.key } })
            {
                drafts.append(dropped(old[item.key], item: item, from: change.tree))
            }
            for item in change.changed where item.detail?.hasPrefix("v") == true {
                guard let row = rows[item.key] else { continue }
                drafts.append(superseded(row, in: change.tree, detail: item.detail ?? ""))
            }
        }
        return drafts
    }

    func applied(_ row: IntegrationReport.SeriesRow, to tree: String, movedFrom: String?) -> Draft {
        let commits = row.commits?[tree] ?? []
        let asPosted = row.states[tree] == .landed
        var body = "Hello,\n\n"
        if let movedFrom {
            body += "\(seriesName(row)) moved from the \(movedFrom) tree to the \(tree) tree.\n\n"
        } else {
            body += "\(seriesName(row)) was applied to the \(tree) tree"
            body += asPosted ? ", as posted.\n\n" : ", with changes on the way (patches differ from the posting).\n\n"
        }
        body += commits.map { "  \($0.abbreviated())\n" }.joined()
        if !row.lostTrailers.isEmpty {
            body +=
                "\nThese review tags given on the list are not in the commits: \(row.lostTrailers.joined(separator: ", "))\n"
        }
        body += "\nThank you.\n"
        let key = movedFrom == nil ? "applied/\(row.key)/\(tree)" : "moved/\(row.key)/\(movedFrom!)/\(tree)"
        return Draft(
            kind: movedFrom == nil ? .applied : .moved, key: key,
            content: commits.map(\.hex).joined(separator: " ") + " v\(row.version ?? 0)",
            subject: "Re: \(row.title)", body: body, to: row.sender.map { [$0] } ?? [],
            cc: people(of: tree) + (movedFrom.map { people(of: $0) } ?? []) + postingRecipients(row) + list,
            replyTo: row.messageID)
    }

    func dropped(_ row: IntegrationReport.SeriesRow?, item: ReportChanges.Item, from tree: String) -> Draft {
        let commits = row?.commits?[tree] ?? []
        let reverted = !commits.isEmpty && commits.allSatisfy { isInTree($0, tree) }
        var body = "Hello,\n\n\(item.title)\(item.version.map { " (v\($0))" } ?? "") is no longer in the \(tree) tree: "
        body +=
            reverted
            ? "it was reverted (its commits are still in the tree's history).\n" : "the tree was rewound without it.\n"
        body += commits.map { "  \($0.abbreviated())\n" }.joined()
        return Draft(
            kind: .dropped, key: "dropped/\(item.key)/\(tree)",
            content: (reverted ? "reverted " : "rewound ") + commits.map(\.hex).joined(separator: " "),
            subject: "Re: \(item.title)", body: body, to: row?.sender.map { [$0] } ?? [],
            cc: people(of: tree) + postingRecipients(row) + list, replyTo: row?.messageID)
    }

    func superseded(_ row: IntegrationReport.SeriesRow, in tree: String, detail: String) -> Draft {
        let body =
            "Hello,\n\nA newer version of \(row.title) was posted (\(detail)) while the \(tree) tree carries the older one.\n"
        return Draft(
            kind: .superseded, key: "superseded/\(row.key)/\(tree)/v\(row.version ?? 0)", content: detail,
            subject: "Re: \(row.title)", body: body, to: people(of: tree), cc: (row.sender.map { [$0] } ?? []) + list,
            replyTo: row.messageID)
    }

    /// Series posted, in no place, with no review on the list, for longer than the wait.
    func reviewNotices() -> [Draft] {
        let wait = TimeInterval(manifest.notices.reviewWaitDays) * 86_400
        return report.series.compactMap { row -> Draft? in
            guard row.isWaitingForReview, let posted = row.postedAt, report.asOf.timeIntervalSince(posted) > wait else {
                return nil
            }
            let days = Int(report.asOf.timeIntervalSince(posted) / 86_400)
            let body =
                "Hello,\n\n\(seriesName(row)) has waited \(days) days for review, with no review tag on the list and in no tree yet.\nCould someone have a look?\n"
            return Draft(
                kind: .reviewWait, key: "review-wait/\(row.key)/v\(row.version ?? 0)", content: "\(row.version ?? 0)",
                subject: "Re: \(row.title)", body: body, to: list,
                cc: (row.sender.map { [$0] } ?? []) + postingRecipients(row), replyTo: row.messageID)
        }
    }

    /// The day's digest, once a day.
    func summary() -> Draft {
        let day = BuildVerdicts.Verdict.day(Int64(report.asOf.timeIntervalSince1970))
        let changes = ReportChanges.between(baseline, report)
        let digest = MarkdownDigest.render(report, changes: changes)
        return Draft(
            kind: .summary, key: "summary/\(day)", content: day,
            subject: "\(report.integration.branch): Tree for \(day)",
            body: digest, to: list, cc: manifest.notices.cc, replyTo: nil)
    }

    func seriesName(_ row: IntegrationReport.SeriesRow) -> String {
        "\"\(row.title)\"\(row.version.map { $0 > 1 ? " (v\($0))" : "" } ?? "")"
    }

    // MARK: The message

    /// The draft as a message: To and Cc without repeats (To wins), a stable Message-ID from the
    /// key and fingerprint, threaded under the posting it answers.
    func mail(for draft: Draft, from: String, update: Bool) -> OutgoingMail {
        var seen = Set<String>()
        func unique(_ list: [String]) -> [String] {
            list.filter { mailbox in
                guard let address = OutgoingMail.address(in: mailbox) else { return false }
                return seen.insert(address.lowercased()).inserted
            }
        }
        let to = unique(draft.to)
        let cc = unique(draft.cc)
        let domain =
            OutgoingMail.address(in: from).flatMap { $0.split(separator: "@").last.map(String.init) } ?? "localhost"
        let id =
            "trib.\(draft.kind.rawValue).\(draft.fingerprint.prefix(16)).\(ObjectID(hashing: draft.key).hex.prefix(8))@\(domain)"
        return OutgoingMail(
            from: from, to: to.isEmpty ? cc : to, cc: to.isEmpty ? [] : cc,
            subject: (update ? "[update] " : "") + draft.subject, messageID: id, inReplyTo: draft.replyTo,
            references: draft.replyTo.map { [$0] } ?? [], date: report.asOf, body: draft.body)
    }
}
