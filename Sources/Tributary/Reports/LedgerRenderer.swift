/// The text of `trib series list`, `trib series show`, `trib series list --discovered` and
/// `trib where` (their JSON: `JSONText`).
public enum LedgerRenderer {
    /// Each series with its newest version's state in each of `places`.
    public static func list(_ ledger: SeriesLedger, places: [String]) -> String {
        var out = ""
        for series in ledger.series {
            guard let newest = series.versions.last else { continue }
            let states = places.map { "\($0): \(newest.states[$0]?.rawValue ?? "-")" }.joined(separator: ", ")
            out +=
                "\(series.id)  v\(newest.version) \(newest.patches.count)/\(newest.expected)  \(TreeSource.escaped(series.title))\n"
            out += "    \(states)\n"
            if let routing = series.routing { out += "    routing: \(routing.text)\n" }
        }
        if ledger.series.isEmpty { out += "no series (import mail with `trib series import`)\n" }
        return out
    }

    /// One series: per version and patch, where it landed and how, and the trailers given on the
    /// list that the commit lacks.
    public static func show(_ series: SeriesLedger.Series, places: [SeriesLedger.Place]) -> String {
        var out = "\(series.id) \(TreeSource.escaped(series.title)) (\(series.sender))\n"
        for version in series.versions {
            let states = places.map { "\($0.name): \(version.states[$0.name]?.rawValue ?? "-")" }
            out += "  v\(version.version) <\(version.messageID)>  \(states.joined(separator: ", "))\n"
            for patch in version.patches {
                out += "    \(patch.counter)/\(version.expected) \(TreeSource.escaped(patch.subject))\n"
                for landing in patch.landings {
                    out += "        \(landing.place): \(landing.commit.abbreviated()) (\(landing.rule.rawValue))\n"
                }
                if patch.landings.isEmpty { out += "        not landed\n" }
                for trailer in patch.missingInCommit {
                    out += "        given on the list, missing in the commit: \(trailer)\n"
                }
            }
        }
        return out
    }

    /// The series found in the trees, with the mailed series each is.
    public static func discovered(_ found: [DiscoveredSeries]) -> String {
        var out = ""
        for series in found {
            out +=
                "\(series.place)  \(series.kind.rawValue)  \(series.commits.count) commits  \(TreeSource.escaped(series.title))\(series.mailed.isEmpty ? "" : "  mailed as \(series.mailed.joined(separator: ", "))")\n"
        }
        if found.isEmpty { out += "no series found in the trees\n" }
        return out
    }

    /// `trib where` about several changes: each change's answer under its query, then per place
    /// how many it carries.
    public static func text(_ list: WhereListAnswer) -> String {
        var out = ""
        for answer in list.answers {
            out += "== \(TreeSource.escaped(answer.query))\n" + text(answer)
        }
        for place in list.places {
            out += "\(place.place): \(place.state) (\(place.found) of \(place.of))\n"
        }
        if list.isNowhere { out += "nowhere\n" }
        return out
    }

    /// `trib where`: the patch-id, each commit carrying the change (place, commit, subject, rule),
    /// each posting, or `nowhere`.
    public static func text(_ answer: WhereAnswer) -> String {
        var out = ""
        if let patchID = answer.patchID { out += "patch-id \(patchID.hex)\n" }
        for place in answer.commits {
            var how = place.rule.rawValue
            if let score = place.score, let evidence = place.evidence {
                how += " \(String(format: "%.2f", score)): \(evidence)"
            }
            if place.candidate == true { how = "candidate, " + how }
            out += "\(place.place): \(place.commit.abbreviated()) \"\(TreeSource.escaped(place.subject))\" (\(how))\n"
        }
        for posting in answer.postings {
            out +=
                "posted: \(posting.series) v\(posting.version) \(posting.counter) \"\(TreeSource.escaped(posting.subject))\" <\(posting.messageID)>\n"
        }
        if answer.isNowhere { out += "nowhere\n" }
        return out
    }
}
