import Foundation

/// The sections each path matched, per MAINTAINERS version, shared by the threads of one check:
/// the same files are touched again and again, and each path is matched once per version
/// whichever thread meets it first. `@unchecked Sendable`: the table is read and written only
/// while `lock` is held.
final class PathSections: @unchecked Sendable {
    private let lock = NSLock()
    private var tables: [String: [String: [SectionMatch]]] = [:]
    /// Paths kept at most per version; a table that grows past it starts over.
    private let limit = 200_000

    /// The sections of `path` under the version `key` of `index`: remembered, or matched now.
    func sections(of path: String, version key: String, in index: OwnershipIndex) -> [SectionMatch] {
        lock.lock()
        if let known = tables[key]?[path] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let matches = index.sections(for: path)
        lock.lock()
        if tables[key, default: [:]].count >= limit { tables[key]?.removeAll(keepingCapacity: true) }
        tables[key, default: [:]][path] = matches
        lock.unlock()
        return matches
    }
}
