import Foundation

/// The text of `trib series route` (its JSON: `JSONText`, schema `tributary.route/1`).
public enum RouteRenderer {
    public static func text(_ route: SeriesRoute) -> String {
        let series = route.series
        var out = "'\(TreeSource.escaped(series.title))' v\(series.version), \(series.patches.count)"
        out += series.patches.count == series.expected ? "" : " of \(series.expected)"
        out += " patch\(series.patches.count == 1 ? "" : "es") from \(series.sender) <\(series.messageID)>\n"
        out += "base: \(base(route.base))\n"
        out += "applies:\n"
        let width = route.trials.map(\.place.count).max() ?? 0
        for trial in route.trials {
            let name = trial.place.padding(toLength: width, withPad: " ", startingAt: 0)
            out += "  \(name)  \(outcome(trial))\n"
        }
        out += "route: \(route.decision.place ?? "none")"
        out += route.decision.applies ? "" : " (does not apply there)"
        if !route.decision.alternatives.isEmpty {
            out += "; also possible: \(route.decision.alternatives.joined(separator: ", "))"
        }
        out += "\n"
        for reason in route.decision.reasons { out += "  - \(reason)\n" }
        if let split = route.decision.split {
            var byPlace: [String: [Int]] = [:]
            for (counter, place) in split { byPlace[place, default: []].append(Int(counter) ?? 0) }
            let parts = byPlace.sorted { ($0.value.min() ?? 0) < ($1.value.min() ?? 0) }.map { place, counters in
                "\(counters.sorted().map(String.init).joined(separator: ", ")) → \(place)"
            }
            out += "  patch by patch: \(parts.joined(separator: "; "))\n"
        }
        if !route.dependencies.isEmpty {
            out += "depends on:\n"
            for dependency in route.dependencies {
                let name = dependency.series.map { "'\(TreeSource.escaped($0))' " } ?? ""
                let value =
                    dependency.kind == .messageID ? "<\(dependency.value)>" : String(dependency.value.prefix(12))
                let places =
                    dependency.places.isEmpty
                    ? "not applied anywhere" : "in \(dependency.places.joined(separator: ", "))"
                out += "  \(dependency.kind.rawValue) \(name)\(value): \(places)\n"
            }
        }
        if !route.acks.isEmpty {
            out += "acks (in \(route.decision.place ?? "-")):\n"
            for ack in route.acks {
                let patches =
                    "patch\(ack.patches.count == 1 ? "" : "es") \(ack.patches.map(String.init).joined(separator: ", "))"
                let owner = ack.tree.map { " (\($0))" } ?? ""
                if let given = ack.givenBy {
                    out += "  given   \(ack.section)\(owner): \(given), \(ack.reason.rawValue) (\(patches))\n"
                } else if ack.reason == .missing {
                    out += "  needed  \(ack.section)\(owner): \(ack.files.joined(separator: ", ")) (\(patches))\n"
                    for maintainer in ack.maintainers { out += "          from \(maintainer)\n" }
                } else {
                    out += "  given   \(ack.section)\(owner): \(ack.reason.rawValue) (\(patches))\n"
                }
            }
        }
        out += meeting(route.meets)
        return out
    }

    static func base(_ base: SeriesBase) -> String {
        var parts: [String] = []
        if let written = base.baseCommit {
            if let commit = base.commit {
                let places = base.places.isEmpty ? "in no place" : "in \(base.places.joined(separator: ", "))"
                parts.append(
                    "base-commit \(commit.abbreviated()) (\(base.inMainline ? "in the mainline" : "not in the mainline; \(places)"))"
                )
            } else {
                parts.append("base-commit \(written.prefix(12)) (not in this repository)")
            }
        }
        for prerequisite in base.prerequisites {
            let places = prerequisite.places.isEmpty ? "not found" : "in \(prerequisite.places.joined(separator: ", "))"
            parts.append("prerequisite-patch-id \(prerequisite.patchID.prefix(12)) (\(places))")
        }
        let atTip = base.matches.filter(\.atTip).map(\.place)
        if !atTip.isEmpty { parts.append("its files are as at the tip of \(atTip.joined(separator: ", "))") }
        var older: [(commit: String, places: [String])] = []
        for match in base.matches where !match.atTip {
            if let at = older.firstIndex(where: { $0.commit == match.commit.abbreviated() }) {
                older[at].places.append(match.place)
            } else {
                older.append((match.commit.abbreviated(), [match.place]))
            }
        }
        for (commit, places) in older {
            parts.append("as at \(commit), below the tip of \(places.joined(separator: ", ")) (an older state)")
        }
        if base.indexedFiles == 0 {
            parts.append("its patches have no index lines")
        } else if base.matches.isEmpty {
            parts.append("no place has its files as its index lines say")
        }
        return parts.joined(separator: "; ")
    }

    static func outcome(_ trial: SeriesTrial) -> String {
        switch trial.result {
        case .clean: return "applies cleanly"
        case .threeWay:
            func patches(_ step: SeriesTrial.Step) -> String {
                trial.steps.enumerated().filter { $0.element == step }.map { "\($0.offset + 1)" }.joined(
                    separator: ", ")
            }
            if trial.steps.allSatisfy({ $0 == .alreadyApplied }) { return "already there (every patch)" }
            var parts: [String] = []
            if trial.steps.contains(.merged) {
                parts.append("applies by a three-way merge (patches \(patches(.merged)))")
            }
            if trial.steps.contains(.alreadyApplied) {
                parts.append("already there: patches \(patches(.alreadyApplied))")
            }
            return parts.joined(separator: "; ")
        case .fails:
            return trial.failure.map { "fails: " + TreeChoice.describe($0) } ?? "fails"
        }
    }

    static func meeting(_ meeting: SeriesRoute.Meeting?) -> String {
        guard let meeting else { return "meets: not checked (it does not apply where it is routed)\n" }
        guard !meeting.conflicts.isEmpty else {
            return "meets: no conflict in its files with the integration branch or the other trees\n"
        }
        var out = "meets (taken as \(meeting.trial)):\n"
        for conflict in meeting.conflicts {
            let commits = conflict.commits.prefix(6).map { $0.abbreviated() }.joined(separator: " ")
            out += "  conflicts with \(conflict.place) in \(conflict.files.joined(separator: ", "))"
            out += commits.isEmpty ? "\n" : " (their commits \(commits))\n"
        }
        return out
    }
}
