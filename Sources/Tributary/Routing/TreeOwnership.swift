/// Which of the manifest's trees own which MAINTAINERS sections — named in the tree's (or the
/// shared policy's) `owns`, or whose `T:` line names the tree's repository (`RepositoryURL`) —
/// and which own each file, worked out once for all the trees (linux-next has about 425).
struct TreeOwnership {
    /// Owners by section title (or group heading).
    private let byTitle: [String: [String]]
    /// Owners by repository (`RepositoryURL.key`).
    private let byRepository: [String: [String]]
    /// Merge order.
    let order: [String: Int]

    init(manifest: Manifest) throws {
        var byTitle: [String: [String]] = [:]
        var byRepository: [String: [String]] = [:]
        for tree in manifest.trees {
            let policy = try manifest.policy(for: tree)
            for title in policy.ownedSections { byTitle[title, default: []].append(tree.name) }
            for url in Set(policy.treeURLs.map { RepositoryURL($0).key }) {
                byRepository[url, default: []].append(tree.name)
            }
        }
        self.byTitle = byTitle
        self.byRepository = byRepository
        order = Dictionary(manifest.trees.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { one, _ in one })
    }

    /// The trees that own `section`, in merge order.
    func trees(owning section: MaintainersSection) -> [String] {
        var found = Set(byTitle[section.title] ?? [])
        if let heading = section.heading { found.formUnion(byTitle[heading] ?? []) }
        for scm in section.values("T") {
            for word in scm.split(separator: " ") where word.contains("/") {
                found.formUnion(byRepository[RepositoryURL(String(word)).key] ?? [])
            }
        }
        return found.sorted { (order[$0] ?? 0) < (order[$1] ?? 0) }
    }

    /// The trees that own `path` among `matches` (its sections, deepest first): those owning its
    /// most specific owned section. A section that claims the file through a pattern naming its
    /// directory (`drivers/watchdog/`, `arch/arm64/boot/dts/exynos/`) is more specific than one
    /// that claims it through a wildcard directory or a regex (`drivers/*/*s3c24*`, `N: exynos`,
    /// `arch/*/boot/dts/`): a platform's claim on a subsystem's driver, which the subsystem's
    /// tree takes with the platform maintainer's ack. Then the deeper match wins.
    func owners(of path: String, matches: [SectionMatch]) -> (trees: [String], sections: [String]) {
        var best: (rank: (Int, Int), trees: [String], sections: [String])?
        for match in matches {
            let trees = trees(owning: match.section)
            guard !trees.isEmpty else { continue }
            let rank = (Self.namesDirectory(match.section, of: path) ? 1 : 0, match.depth)
            if best == nil || rank > best!.rank {
                best = (rank, trees, [match.section.title])
            } else if rank == best!.rank {
                best!.trees += trees.filter { !best!.trees.contains($0) }
                if !best!.sections.contains(match.section.title) { best!.sections.append(match.section.title) }
            }
        }
        guard let best else { return ([], []) }
        return (best.trees.sorted { (order[$0] ?? 0) < (order[$1] ?? 0) }, best.sections)
    }

    /// Whether one of `section`'s F: patterns that match `path` has no wildcard before its last `/`.
    static func namesDirectory(_ section: MaintainersSection, of path: String) -> Bool {
        section.values("F").contains { pattern in
            let directory = pattern.lastIndex(of: "/").map { pattern[..<$0] } ?? ""
            guard !directory.contains(where: { "*?[".contains($0) }) else { return false }
            return ParseMemo.shared.pattern(pattern, isTreeDirectory: false).matches(path)
        }
    }
}
