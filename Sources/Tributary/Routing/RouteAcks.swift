extension SeriesRouter {
    /// The approvals the tag rules (owner-ack) ask of the series' patches when `place` takes
    /// them: per MAINTAINERS section, given (by whom and how) or still needed, and by which
    /// patches. The patches' own trailers and the review trailers given on the list count.
    func acks(for series: PostedSeries, in place: String, owners: [SeriesRoute.Owner]) throws -> [SeriesRoute.Ack] {
        guard let ownership else { return [] }
        let policy =
            try manifest.trees.first { $0.name == place }.map { try manifest.policy(for: $0) } ?? manifest.policy
        let checker = CommitTagChecker(policy: policy)
        var acks: [SeriesRoute.Ack] = []
        for patch in series.patches {
            let author = patch.author ?? Identity.parse(series.sender) ?? Identity(name: "", email: series.sender)
            let trailers = patch.trailers + patch.replyTrailers
            let files = patch.diff.paths
            var facts = CommitTagFacts(
                id: .zero, subject: patch.subject, author: author, committer: author, trailers: trailers, files: files,
                sections: Dictionary(
                    files.map { ($0, ownership.sections(for: $0)) }, uniquingKeysWith: { one, _ in one }))
            facts.treeEntries = ownership.treeEntries
            let (_, approvals) = checker.ownerAck(facts, people: trailers.map { Identity.parse($0.value) })
            for approval in approvals where approval.reason != .owned {
                if let at = acks.firstIndex(where: {
                    $0.section == approval.section && $0.givenBy == approval.approvedBy
                }) {
                    for file in approval.files where !acks[at].files.contains(file) { acks[at].files.append(file) }
                    acks[at].patches.append(patch.counter)
                    continue
                }
                let section = ownership.maintainers.sections.first { $0.title == approval.section }
                acks.append(
                    SeriesRoute.Ack(
                        section: approval.section, files: approval.files,
                        tree: owners.first { $0.sections.contains(approval.section) }?.tree,
                        maintainers: section?.maintainerLines ?? [], givenBy: approval.approvedBy,
                        reason: approval.reason, patches: [patch.counter]))
            }
        }
        return acks
    }
}
