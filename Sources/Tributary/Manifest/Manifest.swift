import Foundation
public import Git

/// The integration manifest: which branch is the integration tree, which mainline ref it is
/// based on, and the sub-trees it pulls, in merge order, with what each owns and its policy.
///
/// Written in git-config syntax (default `.tributary` at the top of the work tree, or
/// `tributary/manifest` in the git directory of a bare repository):
///
///     [integration]
///         branch = mm-everything        ; the integration branch
///         base = refs/heads/master      ; the mainline ref the trees are based on
///         maintainers = MAINTAINERS     ; path of the MAINTAINERS file in the tree
///     [tree "mm-hotfixes"]
///         url = https://git.example.org/mm.git
///         branch = mm-hotfixes-unstable
///         order = 10                    ; optional: merge order (default: position in the file)
///         owns = MEMORY MANAGEMENT      ; repeatable: MAINTAINERS sections the tree owns
///         owner-ack = warning           ; per-tree policy: any [policy] key or rule id
///     [policy]
///         …                             ; see TagPolicy
///     [ownership]
///         dialect = linux               ; whose get_maintainer.pl to answer like (default: detected)
public struct Manifest: Sendable {
    /// The `[integration]` section.
    public struct Integration: Sendable, Hashable {
        /// The integration branch's name (without `refs/heads/`).
        public var branch: String
        /// The mainline ref the trees are based on, as given (a ref or revision); nil when unset.
        public var base: String?
        /// The path of the MAINTAINERS file in the tree.
        public var maintainersPath: String
        /// `history`: how far below the base `trib where` looks in the mainline; nil for the
        /// default (two years before the base's commit).
        public var history: History?
        /// `fixups`: where a pull puts the fix-ups that apply after a tree's merge.
        public var fixupPlacement = FixupPlacement.merge

        /// Where the pull puts a tree's fix-ups.
        public enum FixupPlacement: String, Sendable, Hashable, CaseIterable {
            /// In the tree's merge commit, as a maintainer who fixes the merge by hand does
            /// (`fixups = merge`, the default).
            case merge
            /// As a commit of their own right after the merge (`fixups = commit`).
            case commit
        }

        /// How far back the mainline's history is looked in.
        public enum History: Sendable, Hashable {
            /// Down to this revision (a tag such as `v6.0`), not included.
            case revision(String)
            /// Back to the first-parent commit older than this time (seconds since the epoch).
            case date(Int64)
            /// This many first-parent commits below the base.
            case commits(Int)
            /// Not at all (`history = none`).
            case none

            /// `history = v6.0 | 2024-01-31 | 5000 | none`.
            public init?(_ text: String) {
                if text == "none" || text == "off" {
                    self = .none
                } else if !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let count = Int(text) {
                    self = .commits(count)
                } else if let date = Self.date(text) {
                    self = .date(date)
                } else if text.isEmpty || text.hasPrefix("-") {
                    return nil
                } else {
                    self = .revision(text)
                }
            }

            /// `YYYY-MM-DD` as midnight UTC.
            private static func date(_ text: String) -> Int64? {
                let parts = text.split(separator: "-")
                guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
                    let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day)
                else { return nil }
                var components = DateComponents()
                (components.year, components.month, components.day) = (year, month, day)
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC")!
                return calendar.date(from: components).map { Int64($0.timeIntervalSince1970) }
            }
        }

        public init(
            branch: String, base: String? = nil, maintainersPath: String = "MAINTAINERS", history: History? = nil
        ) {
            self.branch = branch
            self.base = base
            self.maintainersPath = maintainersPath
            self.history = history
        }

        /// The branch's full reference name.
        public var reference: String { "refs/heads/\(branch)" }
    }

    /// One `[tree "NAME"]` section.
    public struct Tree: Sendable, Hashable {
        public var name: String
        public var url: String
        public var branch: String
        /// The explicit merge order, when given.
        public var order: Int?
        /// MAINTAINERS sections the tree owns.
        public var owns: [String]
        /// Policy keys given in the tree's section (key, value), in file order.
        public var policyOverrides: [Override]
        /// How the tree is pulled (`pull`, `subtree`).
        public var method = PullMethod()
        /// `contact = ADDRESS` lines: who gets the tree's notices (`trib notices`) besides the
        /// maintainers of the sections it owns.
        public var contacts: [String] = []
        /// 1-based position of the section in the file.
        public var position: Int
        /// The line of the section's header in the file.
        public var line: Int

        /// One `key = value` of a tree section that is not url, branch, order or owns.
        public struct Override: Sendable, Hashable {
            public var key: String
            public var value: String
        }

        public init(
            name: String, url: String, branch: String, order: Int? = nil, owns: [String] = [],
            policyOverrides: [Override] = [], position: Int = 0, line: Int = 0
        ) {
            self.name = name
            self.url = url
            self.branch = branch
            self.order = order
            self.owns = owns
            self.policyOverrides = policyOverrides
            self.position = position
            self.line = line
        }

        /// Where the fetched tip is kept: `refs/tributary/trees/NAME`.
        public var reference: String { TreeReferences.tip(name) }
    }

    /// The file it was read from.
    public var path: String
    public var integration: Integration
    /// The trees in merge order.
    public var trees: [Tree]
    /// The `[policy]` and `[rule "…"]` settings shared by every tree.
    public var policy: TagPolicy
    /// `[ownership] dialect`: whose get_maintainer.pl ownership answers follow; nil to detect it
    /// from the tree.
    public var ownershipDialect: OwnershipDialect?
    /// `[place "NAME"] ref = REF`: long-lived branches (stable branches) the ledger and `trib
    /// where` look in besides the integration branch and the trees.
    public var places: [Place] = []
    /// `[verify]` and `[verify "NAME"]`: the commands `trib verify` and `trib pull --verify` run on
    /// integration results, in file order.
    public var verifyCommands: [VerificationCommand] = []
    /// `[notices]`: who `trib notices` writes as and to.
    public var notices = NoticeSettings()

    /// A long-lived branch that carries copies of changes (a stable branch): its commits since
    /// it forked from the integration branch are looked in.
    public struct Place: Sendable, Hashable {
        public var name: String
        /// A reference or revision of this repository.
        public var ref: String
        public var line: Int

        public init(name: String, ref: String, line: Int = 0) {
            self.name = name
            self.ref = ref
            self.line = line
        }
    }

    public init(path: String, integration: Integration, trees: [Tree] = [], policy: TagPolicy = TagPolicy()) {
        self.path = path
        self.integration = integration
        self.trees = trees
        self.policy = policy
    }

    /// Where the manifest of `repository` lives by default: `.tributary` at the top of the work
    /// tree, or `tributary/manifest` in the git directory of a bare repository.
    public static func defaultPath(for repository: Repository) -> String {
        if let workTree = repository.workTree { return workTree + ".tributary" }
        return StateDirectory.path(for: repository) + "/manifest"
    }

    /// The tree called `name`.
    public func tree(named name: String) throws(TributaryError) -> Tree {
        guard let tree = trees.first(where: { $0.name == name }) else {
            let known = trees.prefix(8).map(\.name).joined(separator: ", ")
            throw .badInput(
                "no tree '\(name)' in \(path)"
                    + (trees.isEmpty ? " (it has no trees)" : " (trees: \(known)\(trees.count > 8 ? ", …" : ""))"))
        }
        return tree
    }

    /// The trees called `names`, in merge order; every tree when `names` is empty.
    public func trees(named names: [String]) throws(TributaryError) -> [Tree] {
        if names.isEmpty { return trees }
        for name in names { _ = try tree(named: name) }
        return trees.filter { names.contains($0.name) }
    }

    /// The policy for commits of `tree`: the shared policy, the tree's overrides, its owned
    /// sections, and its URL (sections whose T: names it are owned too).
    public func policy(for tree: Tree) throws(TributaryError) -> TagPolicy {
        var policy = self.policy
        policy.ownedSections.formUnion(tree.owns)
        policy.treeURLs.append(tree.url)
        let ackTrailers = tree.policyOverrides.filter { $0.key.lowercased() == "acktrailer" }.map(\.value)
        if !ackTrailers.isEmpty { policy.ackTrailers = ackTrailers }
        for override in tree.policyOverrides where override.key.lowercased() != "acktrailer" {
            try policy.apply(key: override.key, value: override.value, source: "\(path):\(tree.line): tree.")
        }
        return policy
    }
}

/// The references Tributary keeps for each tree.
public enum TreeReferences {
    /// The tree's fetched tip.
    public static func tip(_ name: String) -> String { "refs/tributary/trees/\(name)" }
    /// The tip that was last pulled into the integration branch (written by `trib pull`).
    public static func pulled(_ name: String) -> String { "refs/tributary/pulled/\(name)" }

    /// A new name for a backup of `branch` (short name) before `trib pull --rebuild` or
    /// `trib sync` moves it: `refs/tributary/backup/BRANCH/UNIXTIME`, with `-2`, `-3`, … added
    /// when a backup was already taken in the same second.
    public static func newBackup(of branch: String, in repository: Repository) throws -> String {
        let stem = "refs/tributary/backup/\(branch)/\(Int(Date().timeIntervalSince1970))"
        var name = stem
        var number = 1
        while try repository.referenceTarget(name) != nil {
            number += 1
            name = "\(stem)-\(number)"
        }
        return name
    }
}
