import Foundation
public import Git

/// What the verify commands last said of each tree, for the plan, the report and the pull:
/// `GIT_DIR/tributary/verify/verdicts.json`, updated by every `trib verify` and `trib pull
/// --verify`. A tree that keeps breaking the same way keeps the date it first did (`since`).
public struct BuildVerdicts: Sendable, Codable {
    public struct Verdict: Sendable, Codable, Hashable {
        public enum State: String, Sendable, Codable, Hashable {
            case passed
            case broken
        }

        public var state: State
        /// The tree's tip when it was judged.
        public var tip: ObjectID?
        /// The first commit that fails, and its subject.
        public var commit: ObjectID?
        public var subject: String?
        /// The earlier tree it breaks with (nil: it breaks alone).
        public var partner: String?
        /// When it first broke this way, and when it was last judged (seconds since 1970).
        public var since: Int64
        public var checked: Int64
        /// The end of the failing run's output.
        public var excerpt: String?
        /// The failing run's whole log.
        public var log: String?

        /// "passed", "broke at COMMIT", "breaks with TREE since DATE".
        public var summary: String {
            switch state {
            case .passed: return "passed"
            case .broken:
                let date = Self.day(since)
                if let partner { return "breaks with \(partner) since \(date)" }
                return "broke at \(commit.map { String($0.hex.prefix(12)) } ?? "its merge") since \(date)"
            }
        }

        static func day(_ seconds: Int64) -> String {
            UTCDates.day(Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
    }

    public var schema = "tributary.verify-verdicts/1"
    /// Command name → tree name → verdict.
    public var commands: [String: [String: Verdict]] = [:]

    public init() {}

    static func path(for repository: Repository) -> String {
        ScratchWorkTree.root(for: repository) + "/verdicts.json"
    }

    /// The verdicts kept (none yet: empty).
    public static func read(from repository: Repository) throws -> BuildVerdicts {
        let path = path(for: repository)
        guard let data = FileManager.default.contents(atPath: path) else { return BuildVerdicts() }
        do {
            return try JSONDecoder().decode(BuildVerdicts.self, from: data)
        } catch {
            throw TributaryError.environment("\(path): unreadable (\(error)); remove it to start afresh")
        }
    }

    /// The most telling verdict on `tree` among the commands: a break before a pass.
    public func verdict(of tree: String) -> (command: String, verdict: Verdict)? {
        let found = commands.sorted { $0.key < $1.key }.compactMap { name, trees in trees[tree].map { (name, $0) } }
        return found.first { $0.1.state == .broken } ?? found.first
    }

    /// Takes in what `report` found: the trees before the culprit (every tree, when it passed)
    /// passed; the culprit broke. Flaky results and a failing base judge no tree.
    public mutating func record(_ report: VerifyReport, tips: [String: ObjectID], now: Int64) {
        for command in report.commands {
            guard command.verdict == .passed || command.verdict == .broken else { continue }
            var trees = commands[command.name] ?? [:]
            let culprit = command.culprit?.tree
            for name in report.trees {
                if name == culprit { break }
                trees[name] = Verdict(state: .passed, tip: tips[name], since: now, checked: now)
            }
            if let found = command.culprit {
                let earlier = trees[found.tree]
                let same = earlier?.state == .broken && earlier?.partner == found.partner
                trees[found.tree] = Verdict(
                    state: .broken, tip: tips[found.tree], commit: found.commit, subject: found.subject,
                    partner: found.partner, since: same ? earlier!.since : now, checked: now,
                    excerpt: command.failure?.excerpt, log: command.failure?.log)
            }
            commands[command.name] = trees
        }
    }

    public func write(to repository: Repository) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let path = Self.path(for: repository)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try DurableFile.write(try encoder.encode(self), to: path)
    }
}
