import Foundation

/// What `trib series route` is asked about: a series of the imported mail (its id, or a unique
/// prefix of it), an mbox file, or a Message-ID of its cover letter or one of its patches.
public enum RouteTarget {
    /// The posted version `target` names; `version` picks one (default: the newest, or the one
    /// the Message-ID belongs to). `all` are the imported mail's series; a series read from a
    /// file keeps its id when the mail has it too.
    public static func posting(
        _ target: String, version: Int?, series all: [PatchSeries]
    ) throws(TributaryError) -> PostedSeries {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), !isDirectory.boolValue {
            guard let data = FileManager.default.contents(atPath: target) else {
                throw .badInput("cannot read \(target)")
            }
            let read = Mbox.messages(in: Array(data)).map { MailMessage($0.bytes) }
            let found = PatchSeries.find(in: read)
            guard found.count == 1, let series = found.first else {
                throw .badInput(
                    found.isEmpty
                        ? "\(target) holds no patch series"
                        : "\(target) holds \(found.count) series (\(found.map { "'\($0.title)'" }.joined(separator: ", "))): give one per file"
                )
            }
            let known = all.contains { $0.id == series.id }
            return try pick(series, version: version, id: known ? series.id : nil, in: target)
        }
        if target.contains("@") {
            let id = target.hasPrefix("<") && target.hasSuffix(">") ? String(target.dropFirst().dropLast()) : target
            for series in all {
                for posted in series.versions
                where posted.messageID == id || posted.cover?.messageID == id
                    || posted.patches.contains(where: { $0.messageID == id })
                {
                    return try pick(series, version: posted.version, id: series.id, in: target)
                }
            }
            throw .badInput("no posted series has the Message-ID <\(id)> (import its mail with `trib series import`)")
        }
        let matches = all.filter { $0.id.hasPrefix(target.lowercased()) }
        guard matches.count == 1, let series = matches.first else {
            throw .badInput(
                matches.isEmpty
                    ? "no series \(target): give a series id, an mbox file or a Message-ID"
                    : "\(target) is ambiguous (\(matches.count) series)")
        }
        return try pick(series, version: version, id: series.id, in: target)
    }

    private static func pick(
        _ series: PatchSeries, version: Int?, id: String?, in target: String
    ) throws(TributaryError) -> PostedSeries {
        let chosen = version.map { number in series.versions.last { $0.version == number } } ?? series.versions.last
        guard let chosen else {
            throw .badInput(
                "\(target): '\(series.title)' has no v\(version ?? 0) (versions: \(series.versions.map { "v\($0.version)" }.joined(separator: ", ")))"
            )
        }
        guard !chosen.patches.isEmpty else {
            throw .badInput(
                "\(target): v\(chosen.version) of '\(series.title)' has no patch in the mail, only its cover letter")
        }
        return PostedSeries(chosen, of: series, seriesID: id)
    }
}
