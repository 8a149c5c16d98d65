import Foundation

/// The text of `trib resolve list` and `trib resolve show`.
public enum ResolutionRenderer {
    public static func list(_ listing: ResolutionListing) -> String {
        var out = ""
        for entry in listing.resolutions {
            let resolution = entry.resolution
            out +=
                "\(resolution.id.prefix(12))  \(resolution.path)  \(resolution.tree ?? "-")  \(resolution.source.prefix(19))\(entry.isStale ? "  STALE (unused in the last \(listing.staleAfter) pulls)" : "")\n"
        }
        for entry in listing.fixups {
            out += "fixup \(entry.fixup.tree)/\(entry.fixup.name)\(entry.isStale ? "  STALE (did not apply)" : "")\n"
        }
        for entry in listing.mergeFixups {
            let fixup = entry.fixup
            let status =
                fixup.retired.map { "retired: \($0)" }
                ?? (entry.isStale ? "STALE (did not apply in the last pull)" : "active")
            out += "fixup \(fixup.id)  \(status)  \(fixup.files.joined(separator: ", "))"
            out += "  last applied \(entry.lastApplied.map(day) ?? "never")\n"
            for (name, side) in zip(["ours", "theirs"], fixup.sides) {
                let commits = side.commits.map { "\($0.id.abbreviated()) \($0.subject)" }.joined(separator: "; ")
                out += "      \(name)\(side.tree.map { " (\($0))" } ?? ""): \(commits.isEmpty ? "-" : commits)\n"
            }
        }
        if listing.resolutions.isEmpty && listing.fixups.isEmpty && listing.mergeFixups.isEmpty {
            out += "no recorded resolutions or fix-ups\n"
        }
        return out
    }

    private static func day(_ time: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }

    /// `trib resolve show` of a merge fix-up: where it came from, what it needs, its patch.
    public static func show(_ fixup: MergeFixup) -> String {
        var out = fixupSummary(fixup)
        out += "source: \(fixup.source)\nrecorded: \(Date(timeIntervalSince1970: TimeInterval(fixup.recorded)))\n"
        if let retired = fixup.retired { out += "retired: \(retired)\n" }
        return out + "--- patch\n" + String(decoding: fixup.patch, as: UTF8.self)
    }

    /// What `trib resolve record` learned from a merge.
    public static func learned(_ learned: ResolutionRecorder.Learned) -> String {
        var out = "learned from \(learned.merge.abbreviated()): \(learned.resolutions.count) resolution"
        out += learned.resolutions.count == 1 ? "" : "s"
        if let fixup = learned.fixup {
            out += ", a fix-up touching \(fixup.files.count) file\(fixup.files.count == 1 ? "" : "s")"
        }
        if let subtree = learned.subtree { out += ", a subtree merge into \(subtree)/" }
        out += "\n"
        for resolution in learned.resolutions { out += "recorded \(resolution.id.prefix(12)) for \(resolution.path)\n" }
        if let fixup = learned.fixup { out += fixupSummary(fixup) }
        return out
    }

    /// A merge fix-up: its id, files, and the commits of each side that need it.
    static func fixupSummary(_ fixup: MergeFixup) -> String {
        var out = "fix-up \(fixup.id): \(fixup.files.joined(separator: ", "))\n"
        if !fixup.conflicts.isEmpty { out += "  settles the conflicts at \(fixup.conflicts.joined(separator: ", "))\n" }
        for (name, side) in zip(["ours", "theirs"], fixup.sides) {
            out += "  needs \(name)\(side.tree.map { " (\($0))" } ?? ""):"
            out += side.commits.isEmpty ? " nothing\n" : "\n"
            for commit in side.commits { out += "    \(commit.id.abbreviated()) \(commit.subject)\n" }
        }
        return out
    }

    public static func show(_ resolution: ResolutionStore.Resolution) -> String {
        var out = "resolution \(resolution.id)\npath: \(resolution.path)\ntree: \(resolution.tree ?? "-")\n"
        out +=
            "source: \(resolution.source)\nrecorded: \(Date(timeIntervalSince1970: TimeInterval(resolution.recorded)))\n"
        out += "--- conflict (normalised)\n" + String(decoding: resolution.preimage, as: UTF8.self)
        out += "--- resolution\n" + String(decoding: resolution.postimage, as: UTF8.self)
        return out
    }
}
