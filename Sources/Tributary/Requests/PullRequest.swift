import Foundation
public import Git

/// A pull request as `git request-pull` writes it — changes since (the merge base), where to
/// fetch them, up to which tip, the shortlog and the diffstat — with what Tributary adds: the
/// posted series the commits carry, and whether the tree is ready (tag findings, conflicts with
/// the integration tip). JSON schema `tributary.request-pull/1`.
public struct PullRequest: Sendable, Codable {
    public var schema = "tributary.request-pull/1"
    public var base: Point
    public var url: String
    public var branch: String
    public var tip: Point
    /// `git shortlog`'s text.
    public var shortlog: String
    /// `git diff -M --stat --summary`'s text.
    public var diffstat: String
    public var commits: Int
    /// Series (from the Link: trailers of the commits): message-id stems and the commits.
    public var series: [SeriesLink]
    public var readiness: Readiness

    /// A commit with its subject and committer date, as the request shows it.
    public struct Point: Sendable, Codable {
        public var commit: ObjectID
        public var subject: String
        /// `%ci`: `2026-11-27 10:44:11 +0000`.
        public var date: String
    }

    public struct TreeConflict: Sendable, Codable {
        public var tree: String
        public var paths: [String]
        /// Whether that tree is merged before this one in the integration tree: then this tree's
        /// merge is where the conflict appears, and the request notes it.
        public var mergedBefore: Bool?
        /// The recorded resolutions of those paths for the two trees, each as a diff from the
        /// conflict to the resolution (`trib resolve`), for the note.
        public var resolutions: [String]?
    }

    public struct SeriesLink: Sendable, Codable {
        public var posting: String
        public var links: [String]
        public var commits: [ObjectID]
    }

    public struct Readiness: Sendable, Codable {
        public var tagErrors: Int
        public var tagWarnings: Int
        /// `rule: commit subject` per error-severity finding.
        public var problems: [String]
        /// The integration branch it was merged onto, when known.
        public var integration: String?
        /// Paths that conflict with the integration tip.
        public var conflicts: [String]
        /// Other sub-trees it conflicts with (merged with each other where their changes
        /// overlap), and the paths.
        public var treeConflicts: [TreeConflict]
        /// The tree's own commits the readiness is about: those of the request the integration
        /// branch does not have (all of them without an integration branch).
        public var ownCommits: Int = 0
        /// Own commits whose change the integration branch already carries as another commit
        /// (the same patch-id since the merge base): landed, as a cherry-pick or an applied copy.
        public var alreadyLanded: [ObjectID] = []
        public var ready: Bool
    }

    /// The request for `target` as `trib request-pull` makes it: a tree of `manifest` (its fetched
    /// tip, URL and branch, under the tree's policy) or a branch or revision (the current branch
    /// when nil; then `url` must be given), against `base` (else the integration branch, so that
    /// the request starts at the tree's merge base with it, as `git request-pull` users pass it;
    /// without one, the manifest's base, else the upstream), with its readiness against the
    /// integration branch and the other fetched trees.
    public static func build(
        target: String?, repository: Repository, manifest: Manifest?, base: String?, url: String?
    ) throws -> PullRequest {
        var tip: ObjectID
        var location = url
        var branch: String
        var policy = manifest?.policy ?? TagPolicy()
        var method = PullMethod()
        if let target, let manifest, let tree = manifest.trees.first(where: { $0.name == target }) {
            method = tree.method
            guard let fetched = try repository.referenceTarget(tree.reference) else {
                throw TributaryError.badInput("tree \(target) is not fetched (run `trib fetch \(target)`)")
            }
            tip = fetched
            location = location ?? tree.url
            branch = tree.branch
            policy = try manifest.policy(for: tree)
        } else {
            let revision =
                try target ?? (repository.headBranch().map { String($0.dropFirst("refs/heads/".count)) } ?? "HEAD")
            do { tip = try repository.resolveCommit(revision) } catch {
                // Neither a tree nor a revision: name the trees there are.
                if let target, let manifest {
                    do { _ = try manifest.tree(named: target) } catch {
                        throw TributaryError.badInput("\(error.message), and no revision of that name")
                    }
                }
                throw error
            }
            branch = revision.hasPrefix("refs/heads/") ? String(revision.dropFirst("refs/heads/".count)) : revision
        }
        guard let location else { throw TributaryError.badInput("give --url: where the changes can be fetched from") }
        if let problem = TreeSource.problem(withURL: location) { throw TributaryError.badInput(problem) }
        var integration: (name: String, tip: ObjectID)?
        var others: [(name: String, tip: ObjectID)] = []
        let before = manifest?.trees.prefix { $0.name != target }.map(\.name) ?? []
        if let manifest, let integrationTip = try repository.referenceTarget(manifest.integration.reference) {
            integration = (manifest.integration.branch, integrationTip)
            for tree in manifest.trees where tree.name != target {
                if let other = try repository.referenceTarget(tree.reference) { others.append((tree.name, other)) }
            }
        }
        let baseCommit: ObjectID
        if let base {
            do { baseCommit = try repository.resolveCommit(base) } catch {
                throw TributaryError.badInput("no base: \(base) is not a commit")
            }
        } else if let integration {
            baseCommit = integration.tip
        } else {
            let baseRevision = manifest?.integration.base ?? "@{upstream}"
            do { baseCommit = try repository.resolveCommit(baseRevision) } catch {
                throw TributaryError.badInput("no base: give --base (\(baseRevision) is not a commit)")
            }
        }
        var request = try build(
            repository: repository, base: baseCommit, tip: tip, url: location, branch: branch, policy: policy,
            integration: integration, otherTrees: others, method: method)
        if let target, manifest?.trees.contains(where: { $0.name == target }) == true {
            try request.noteResolutions(tree: target, mergedAfter: before, in: repository)
        }
        return request
    }

    /// For each conflict with a tree merged before `tree`, the recorded resolutions of its paths
    /// recorded for either tree: the note integration maintainers ask for in a pull request.
    mutating func noteResolutions(tree: String, mergedAfter before: [String], in repository: Repository) throws {
        guard !readiness.treeConflicts.isEmpty else { return }
        let recorded = try ResolutionStore(repository: repository).resolutions().values.sorted { $0.id < $1.id }
        for index in readiness.treeConflicts.indices {
            let other = readiness.treeConflicts[index].tree
            let earlier = before.contains(other)
            readiness.treeConflicts[index].mergedBefore = earlier
            guard earlier else { continue }
            let paths = Set(readiness.treeConflicts[index].paths)
            readiness.treeConflicts[index].resolutions = try recorded.filter { resolution in
                paths.contains(resolution.path) && (resolution.tree == tree || resolution.tree == other)
            }.map { try $0.diff(in: repository) }
        }
    }

    /// Builds the request for `tip` against `base` (their merge base is the starting point).
    public static func build(
        repository: Repository, base: ObjectID, tip: ObjectID, url: String, branch: String, policy: TagPolicy,
        integration: (name: String, tip: ObjectID)?, otherTrees: [(name: String, tip: ObjectID)] = [],
        method: PullMethod = PullMethod()
    ) throws -> PullRequest {
        guard let start = try repository.mergeBase(base, tip) else {
            throw TributaryError.badInput("\(tip.abbreviated()) shares no history with the base \(base.abbreviated())")
        }
        let ids = try repository.commits(in: RevisionRange(terms: [.include(tip.hex), .exclude(base.hex)]))
        let mailmap = try repository.mailmap()
        let shortlog = try Self.shortlog(ids.map { try repository.commit($0) }, mailmap: mailmap)
        let diff = try repository.diff(from: repository.treeOfCommit(start), to: repository.treeOfCommit(tip))
        let diffstat = try diff.gitStatText(width: 80)

        var series: [String: SeriesLink] = [:]
        var order: [String] = []
        for id in ids.reversed() {
            let commit = try repository.commit(id)
            for trailer in TrailerParser.trailers(in: commit.message, from: .commit)
            where trailer.key.lowercased() == "link" {
                guard let messageID = MessageID.inLink(trailer.value) else { continue }
                let posting = MessageID.postingStem(messageID)
                if series[posting] == nil {
                    series[posting] = SeriesLink(posting: posting, links: [], commits: [])
                    order.append(posting)
                }
                series[posting]!.links.append(trailer.value)
                series[posting]!.commits.append(id)
            }
        }

        // The tree's own commits: what the integration branch has is not the request's to answer for.
        var ownRange = RevisionRange(terms: [.include(tip.hex), .exclude(base.hex)])
        if let integration { ownRange.terms.append(.exclude(integration.tip.hex)) }
        let own = integration == nil ? ids : try repository.commits(in: ownRange)
        let landed = try integration.map { try alreadyLanded(own, of: tip, in: $0.tip, repository: repository) } ?? []
        let report = own.isEmpty ? nil : try TagCheck(repository: repository, policy: policy).run(ownRange)
        let errors = report?.errorCount ?? 0
        let problems =
            report?.commits.flatMap { commit in
                commit.findings.filter { $0.severity == .error }.map { "\($0.rule.rawValue): \(commit.subject)" }
            } ?? []
        var conflicts: [String] = []
        var treeConflicts: [TreeConflict] = []
        if let integration {
            let step = try TrialMerge(repository: repository, describesConflicts: false).merge(
                name: branch, tip: tip, onto: integration.tip, method: method)
            conflicts = step.conflicts.map(\.path)
            if step.outcome == .notFastForward { conflicts = ["(pull = ff-only: not a fast-forward)"] }
            if !otherTrees.isEmpty {
                let name = "\u{1}this"
                let matrix = try ConflictMatrix.build(
                    repository: repository, trees: [(name, tip)] + otherTrees.map { ($0.name, Optional($0.tip)) },
                    integrationTip: integration.tip, index: try? IndexDatabase(repository: repository))
                for pair in matrix.pairs where pair.outcome == .conflict && (pair.first == name || pair.second == name)
                {
                    treeConflicts.append(
                        TreeConflict(
                            tree: pair.first == name ? pair.second : pair.first,
                            paths: pair.conflicts.map(\.path)))
                }
            }
        }
        return PullRequest(
            base: try point(start, repository), url: url, branch: branch, tip: try point(tip, repository),
            shortlog: shortlog, diffstat: diffstat, commits: ids.count, series: order.map { series[$0]! },
            readiness: Readiness(
                tagErrors: errors, tagWarnings: report?.warningCount ?? 0, problems: problems,
                integration: integration?.name, conflicts: conflicts, treeConflicts: treeConflicts,
                ownCommits: own.count, alreadyLanded: landed, ready: errors == 0 && conflicts.isEmpty))
    }

    /// Which of `commits` (of the branch at `tip`) the integration branch at `integrationTip`
    /// carries as other commits: the same patch-id among its commits since its merge base with
    /// `tip`, oldest of `commits` first.
    static func alreadyLanded(
        _ commits: [ObjectID], of tip: ObjectID, in integrationTip: ObjectID, repository: Repository
    ) throws -> [ObjectID] {
        guard !commits.isEmpty, let fork = try repository.mergeBase(tip, integrationTip) else { return [] }
        let index = try? IndexDatabase(repository: repository)
        let integrationCommits = try repository.commits(
            in: RevisionRange(terms: [.include(integrationTip.hex), .exclude(fork.hex)]))
        let carried = Set(try PatchIDLookup.patchIDs(of: integrationCommits, in: repository, index: index).values)
        guard !carried.isEmpty else { return [] }
        let own = try PatchIDLookup.patchIDs(of: commits, in: repository, index: index)
        return commits.reversed().filter { own[$0].map(carried.contains) ?? false }
    }

    /// The request as `git request-pull` prints it, followed by Tributary's sections.
    public var text: String {
        var out = "The following changes since commit \(base.commit.hex):\n\n  \(base.subject) (\(base.date))\n\n"
        out += "are available in the Git repository at:\n\n  \(url) \(branch)\n\n"
        out += "for you to fetch changes up to \(tip.commit.hex):\n\n  \(tip.subject) (\(tip.date))\n\n"
        out += String(repeating: "-", count: 64) + "\n"
        out += shortlog + diffstat
        out += "\n" + String(repeating: "-", count: 64) + "\n"
        if !series.isEmpty {
            out += "Series:\n"
            for link in series {
                out +=
                    "  \(link.posting): \(link.commits.count) commit\(link.commits.count == 1 ? "" : "s"), \(link.links.first ?? "")\n"
            }
        }
        out += "Readiness: \(readiness.ready ? "ready" : "NOT ready")"
        out +=
            " (\(readiness.tagErrors) tag error\(readiness.tagErrors == 1 ? "" : "s"), \(readiness.tagWarnings) warning\(readiness.tagWarnings == 1 ? "" : "s")"
        if let integration = readiness.integration {
            out +=
                readiness.conflicts.isEmpty
                ? "; merges cleanly into \(integration)"
                : "; conflicts with \(integration) in \(readiness.conflicts.joined(separator: ", "))"
        }
        out += ")\n"
        if !readiness.alreadyLanded.isEmpty {
            out +=
                "  \(readiness.alreadyLanded.count) of the tree's \(readiness.ownCommits) own commit\(readiness.ownCommits == 1 ? "" : "s") already landed in \(readiness.integration ?? "the integration branch"): \(readiness.alreadyLanded.map { $0.abbreviated() }.joined(separator: ", "))\n"
        }
        for problem in readiness.problems { out += "  \(problem)\n" }
        for conflict in readiness.treeConflicts {
            out += "  conflicts with tree \(conflict.tree) in \(conflict.paths.joined(separator: ", "))\n"
        }
        for conflict in readiness.treeConflicts where conflict.mergedBefore == true {
            out += "\nNote: merging this after the \(conflict.tree) tree conflicts in "
            out += conflict.paths.joined(separator: ", ")
            guard let resolutions = conflict.resolutions, !resolutions.isEmpty else {
                out += "; no resolution is recorded yet.\n"
                continue
            }
            out += "; the resolution recorded:\n\n"
            out += resolutions.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined(separator: "\n")
        }
        return out
    }

    /// `git shortlog`: per author (after .mailmap), in name order, `Name (N):` and each subject
    /// (its `[PATCH…]` prefix dropped), oldest first, then a blank line.
    static func shortlog(_ commits: [Commit], mailmap: Mailmap) throws -> String {
        var byAuthor: [String: [String]] = [:]
        for commit in commits {
            let author = mailmap.resolve(commit.author)
            let name = author.name.isEmpty ? author.email : author.name
            var subject = Substring(commit.summary)
            if subject.hasPrefix("[PATCH"), let close = subject.firstIndex(of: "]") {
                subject = subject[subject.index(after: close)...]
            }
            byAuthor[name, default: []].append(String(subject.drop { $0 == " " || $0 == "\t" }))
        }
        var out = ""
        for name in byAuthor.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let subjects = byAuthor[name]!
            out += "\(name) (\(subjects.count)):\n"
            for subject in subjects.reversed() { out += "      \(subject)\n" }
            out += "\n"
        }
        return out
    }

    static func point(_ id: ObjectID, _ repository: Repository) throws -> Point {
        let commit = try repository.commit(id)
        return Point(commit: id, subject: commit.summary, date: isoDate(commit.committer))
    }

    /// git's `%ci`.
    static func isoDate(_ signature: Signature) -> String {
        let offset = signature.timeZoneOffset
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: offset * 60)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset)
        let zone = String(format: "%@%02d%02d", sign, minutes / 60, minutes % 60)
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(signature.time))) + " " + zone
    }
}
