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
        if listing.resolutions.isEmpty && listing.fixups.isEmpty { out += "no recorded resolutions or fix-ups\n" }
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
