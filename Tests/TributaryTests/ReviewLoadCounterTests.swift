import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// The report's review load: one person per identity as SEMANTICS §3 defines it, bots apart.
@Suite struct ReviewLoadCounterTests {
    @Test(
        "one person through the mailmap, case, +extension and a leading domain label; bots and self-reviews do not count"
    )
    func identities() throws {
        let fixture = try FixtureRepository()
        let author = Signature(name: "Ada Author", email: "ada@example.org", time: 1_700_000_000)
        var commits: [ObjectID] = []
        func commit(_ subject: String, _ trailers: [(String, String)]) throws {
            commits.append(
                try fixture.commit(
                    subject, files: ["f\(commits.count)": .text("\(subject)\n")], author: author, committer: author,
                    trailers: trailers))
        }
        try commit("one", [("Reviewed-by", "Rita Reviewer <rita@example.org>")])
        try commit("two", [("Reviewed-by", "rita r <RITA+lkml@Example.org>"), ("Acked-by", "Bob <bob@example.com>")])
        try commit("three", [("Acked-by", "Rita Reviewer <rita@lists.example.org>")])
        // The mailmap says this old address is Rita's.
        try commit("four", [("Reviewed-by", "R. Reviewer <rita@old-employer.example>")])
        // Only a bot and the author herself: nobody reviewed it.
        try commit(
            "five",
            [("Reviewed-by", "CI Robot <ci@robots.example.net>"), ("Reviewed-by", "Ada Author <ADA@example.org>")])
        // The same person twice in one commit counts once.
        try commit(
            "six",
            [
                ("Reviewed-by", "Rita Reviewer <rita@example.org>"),
                ("Reviewed-by", "Rita Reviewer <rita+x@example.org>"),
            ])

        let mailmap = Mailmap(contents: "Rita Reviewer <rita@example.org> <rita@old-employer.example>\n")
        var policy = TagPolicy()
        policy.bots = [Identity(name: "", email: "ci@robots.example.net")]
        var counter = ReviewLoadCounter(identities: IdentityMatcher(mailmap: mailmap), policy: policy)
        for id in commits { counter.add(try fixture.repository.commit(id), id: id, place: "next") }
        let load = counter.load()

        #expect(load.commits == 6)
        #expect(
            load.reviewers == [
                .init(person: "Rita Reviewer <rita@example.org>", reviewed: 4, acked: 1),
                .init(person: "Bob <bob@example.com>", reviewed: 0, acked: 1),
            ])
        #expect(load.bots == [.init(person: "CI Robot <ci@robots.example.net>", reviewed: 1, acked: 0)])
        #expect(load.unreviewed.map(\.subject) == ["five"])
        #expect(load.topFifthShare == 5.0 / 6.0)
    }
}
