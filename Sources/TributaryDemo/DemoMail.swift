import Foundation
import Git
public import Tributary

/// The mailing list behind the demo forest: every series as it was posted, as an mbox, with
/// three things the ledger should notice planted in it — VM_SEALED's first patch was posted with
/// another value and changed when applied (it landed modified, found by its Link:); memblock's
/// series was posted with a third patch that was never applied (it landed partially); and THP
/// Maintainer acked the vma patch that touches THP code on the list, but the ack is not in the
/// commit (lost on the way). A last patch, posted later, has had no review yet (it waits).
public enum DemoMail {
    /// Writes the mbox to `path`.
    public static func write(_ forest: DemoForest, to path: String) throws {
        let repository = try Repository(at: forest.integrationPath)
        var mbox = ""
        var posted = Set<String>()
        var date = 1_772_352_000
        for (tree, spec) in zip(forest.trees, DemoContent.trees) {
            var commits = tree.commits[...]
            for series in spec.series {
                let ids = Array(commits.prefix(series.patches.count))
                commits = commits.dropFirst(series.patches.count)
                guard posted.insert(series.messageIDStem).inserted else { continue }
                let subject = PatchSubject(series.title)
                let sender = series.patches[0].author
                let prefix = "PATCH" + (subject.hasVersion ? " v\(subject.version)" : "")
                var extra: [(subject: String, diff: String)] = []
                if series.messageIDStem == "20260301120000" {
                    extra.append(("memblock: drop the memblock_free_late() wrapper", Self.unappliedDiff))
                }
                let total = series.patches.count + extra.count
                let cover = messageID(series.messageIDStem, 0, sender)
                if subject.isCover {
                    date += 60
                    mbox += mail(
                        from: sender, subject: "[\(prefix) 0/\(total)] \(subject.text)", id: cover, replyTo: nil,
                        date: date, body: "This series \(subject.text.lowercased()).\n")
                }
                for (number, patch) in series.patches.enumerated() {
                    var diff = try repository.diff(of: repository.commit(ids[number])).patch()
                    if series.messageIDStem == "20260302140000" && number == 0 {
                        // Posted with another bit; the maintainer fixed it up when applying.
                        diff = diff.replacingOccurrences(
                            of: "+#define VM_SEALED\t0x00000010", with: "+#define VM_SEALED\t0x00000040")
                    }
                    date += 60
                    let counter = total > 1 ? " \(number + 1)/\(total)" : ""
                    mbox += mail(
                        from: patch.author, subject: "[\(prefix)\(counter)] \(patch.subject)",
                        id: messageID(series.messageIDStem, number + 1, sender), replyTo: subject.isCover ? cover : nil,
                        date: date,
                        body: "\(patch.body)\n\nSigned-off-by: \(patch.author.identity)\n---\n\(diff)")
                }
                for (offset, unapplied) in extra.enumerated() {
                    date += 60
                    let number = series.patches.count + offset + 1
                    mbox += mail(
                        from: sender, subject: "[\(prefix) \(number)/\(total)] \(unapplied.subject)",
                        id: messageID(series.messageIDStem, number, sender), replyTo: cover, date: date,
                        body: "Nothing calls it any more.\n\nSigned-off-by: \(sender.identity)\n---\n\(unapplied.diff)")
                }
                if series.messageIDStem == "20260304080000" {
                    date += 3600
                    mbox += mail(
                        from: .thpMaintainer, subject: "Re: [PATCH] mm/vma: let THP check sealed VMAs",
                        id: "ack.\(series.messageIDStem)-thp-maintainer@example.org",
                        replyTo: messageID(series.messageIDStem, 1, sender), date: date,
                        body:
                            "> Let the THP code check for sealed VMAs.\n\nAcked-by: \(DemoPerson.thpMaintainer.identity)\n"
                    )
                }
            }
        }
        // Posted later and not reviewed by anyone yet: it waits.
        mbox += mail(
            from: .slabContributor, subject: "[PATCH] mm/slub: warn once when a sheaf overflows",
            id: "20260312090000.1-slab-contributor@example.org", replyTo: nil, date: 1_773_306_000,
            body: """
                An overflowing sheaf means the capacity was computed wrong; say so once.

                Signed-off-by: \(DemoPerson.slabContributor.identity)
                ---
                \(waitingDiff)
                """)
        guard FileManager.default.createFile(atPath: path, contents: Data(mbox.utf8)) else {
            throw TributaryError.environment("cannot write \(path)")
        }
    }

    /// The Message-ID the demo's Link: trailers name: `<stem>.<k>-<sender>@example.org`.
    static func messageID(_ stem: String, _ number: Int, _ sender: DemoPerson) -> String {
        String(DemoContent.link(stem, number, sender).split(separator: "/").last!)
    }

    static func mail(from person: DemoPerson, subject: String, id: String, replyTo: String?, date: Int, body: String)
        -> String
    {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        var text = "From \(person.email) \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(date))))\n"
        text += "From: \(person.identity)\nSubject: \(subject)\n"
        text += "Date: \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(date))))\n"
        text += "Message-ID: <\(id)>\n"
        if let replyTo { text += "In-Reply-To: <\(replyTo)>\nReferences: <\(replyTo)>\n" }
        text += "To: linux-mm@example.org\n\n"
        // mboxrd: quote body lines that would read as a message start.
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            var quoted = Substring(line)
            while quoted.hasPrefix(">") { quoted = quoted.dropFirst() }
            text += (quoted.hasPrefix("From ") ? ">" : "") + line + "\n"
        }
        return text + "\n"
    }

    static let waitingDiff = """
        diff --git a/mm/slub.c b/mm/slub.c
        --- a/mm/slub.c
        +++ b/mm/slub.c
        @@ -1 +1 @@
        -// SPDX-License-Identifier: GPL-2.0
        +// SPDX-License-Identifier: GPL-2.0 (warns on overflow)

        """

    static let unappliedDiff = """
        diff --git a/mm/memblock.c b/mm/memblock.c
        --- a/mm/memblock.c
        +++ b/mm/memblock.c
        @@ -1 +1 @@
        -// SPDX-License-Identifier: GPL-2.0-or-later
        +// SPDX-License-Identifier: GPL-2.0-or-later (wrapper dropped)

        """
}

extension DemoMail {
    /// Writes the list's mbox next to the forest, imports it, and builds the ledger against
    /// mm-next and the trees (their commits since the mainline tag).
    public static func ledger(_ forest: DemoForest) throws -> (mbox: String, ledger: SeriesLedger) {
        let path = forest.directory + "/list.mbox"
        try write(forest, to: path)
        let repository = try Repository(at: forest.integrationPath)
        _ = try MailArchive(repository: repository).importFile(path)
        let base = try repository.resolveCommit("refs/tags/\(DemoContent.mainlineTag)")
        var places: [LedgerPlaces.Place] = []
        for name in [forest.integrationBranch] + forest.trees.map(\.name) {
            let reference = name == forest.integrationBranch ? "refs/heads/\(name)" : TreeReferences.tip(name)
            guard let tip = try repository.referenceTarget(reference) else { continue }
            places.append(
                LedgerPlaces.Place(
                    name: name, branch: name == forest.integrationBranch ? name : "for-next", tip: tip,
                    range: RevisionRange(terms: [.include(tip.hex), .exclude(base.hex)])))
        }
        let ledger = try SeriesLedger.build(
            messages: try MailArchive(repository: repository).messages(), repository: repository, places: places,
            index: try IndexDatabase(repository: repository))
        return (path, ledger)
    }
}
