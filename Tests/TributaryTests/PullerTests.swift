import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// The pull engine, in process.
@Suite struct PullerTests {
    /// A non-bare integration repository with two trees whose tips are set where `trib fetch`
    /// puts them.
    static func forest(bare: Bool = false) throws -> (FixtureRepository, Manifest) {
        let fixture = try FixtureRepository(bare: bare, initialBranch: "next")
        let base = try fixture.commit("base", files: ["a.c": "a\n", "b.c": "b\n"], on: "next")
        _ = try fixture.git("config", "user.name", "Integration Maintainer")
        _ = try fixture.git("config", "user.email", "integration@example.org")
        if !bare { _ = try fixture.git("reset", "-q", "--hard", "next") }
        let path = Manifest.defaultPath(for: fixture.repository)
        try Manifest.create(at: path, integration: .init(branch: "next"))
        var manifest = try Manifest.load(from: path)
        try manifest.add([
            .init(name: "a", url: "https://example.org/a.git", branch: "for-next"),
            .init(name: "b", url: "https://example.org/b.git", branch: "for-next"),
        ])
        for name in ["a", "b"] {
            let tip = try fixture.commit(
                "\(name): change", files: ["\(name).c": .text("\(name) 2\n")], on: "tree-\(name)", from: base)
            try fixture.repository.updateReference(
                "refs/tributary/trees/\(name)", to: tip, expecting: nil, message: "test: fetched")
        }
        return (fixture, manifest)
    }

    @Test(
        "a branch moved by someone else during the pull is detected and nothing is written",
        arguments: [false, true])
    func branchMovedMeanwhile(bare: Bool) throws {
        let (fixture, manifest) = try Self.forest(bare: bare)
        let repository = fixture.repository
        // The pull planned while holding the lock, as `run` does; someone commits on the
        // integration branch (without trib) before the plan is executed.
        let session = try BranchMoveSession(repository: repository, command: "trib pull")
        let plan = try Puller(repository: repository, manifest: manifest).plan()
        let move = try #require(plan.move)
        #expect(move.references.map(\.name) == ["refs/tributary/pulled/a", "refs/tributary/pulled/b"])
        let intruder = try fixture.commit("meanwhile", files: ["c.c": "c\n"], on: "next")
        #expect {
            try session.execute(move)
        } throws: { error in
            guard case .concurrentWriter(let message) = error as? TributaryError else { return false }
            return message.hasPrefix("next moved while trib pull ran")
        }
        session.release()
        #expect(try repository.referenceTarget("refs/heads/next") == intruder)
        #expect(try repository.references(matching: "refs/tributary/pulled/*").isEmpty)
        #expect(try repository.referenceTarget(PullLog.reference) == nil)
        #expect(!FileManager.default.fileExists(atPath: repository.gitDirectory + "tributary/lock"))
        // Without interference the same pull goes through and the work tree follows.
        if !bare { _ = try fixture.git("reset", "-q", "--hard", "next") }
        let report = try Puller(repository: repository, manifest: manifest).run()
        #expect(report.moved)
        let tip = try #require(try repository.referenceTarget("refs/heads/next"))
        #expect(try repository.fileContents(at: "b.c", in: repository.treeOfCommit(tip)) == Array("b 2\n".utf8))
        if !bare {
            #expect(try String(contentsOfFile: fixture.path + "/b.c", encoding: .utf8) == "b 2\n")
            #expect(try repository.workTreeStatus()?.isClean == true)
        }

        // While another command holds the lock, a second pull fails and changes nothing.
        let lock = try IntegrationLock(repository: repository, command: "trib pull")
        #expect {
            try Puller(repository: repository, manifest: manifest).run()
        } throws: { error in
            guard case .concurrentWriter(let message) = error as? TributaryError else { return false }
            return message.hasPrefix("another trib command holds")
        }
        lock.release()
        #expect(try repository.referenceTarget("refs/heads/next") == tip)
    }

    @Test("a journal an earlier trib wrote (before moves were planned) is still finished by the next session")
    func earlierJournal() throws {
        let (fixture, manifest) = try Self.forest(bare: true)
        let repository = fixture.repository
        let old = try #require(try repository.referenceTarget("refs/heads/next"))
        let plan = try Puller(repository: repository, manifest: manifest).plan()
        let move = try #require(plan.move)
        // What trib 0.1 left when killed after moving the branch: its journal, the branch moved.
        try repository.updateReference("refs/heads/next", to: move.newTip, expecting: old, message: "test: moved")
        let tips = try manifest.trees.map { try #require(try repository.referenceTarget($0.reference)) }
        let journal: [String: Any] = [
            "command": "trib pull", "reference": "refs/heads/next", "previousTip": old.hex,
            "newTip": move.newTip.hex, "workTreeFollows": false,
            "pulled": ["a": tips[0].hex, "b": tips[1].hex],
            "entry": [
                "branch": "next", "previousTip": old.hex, "newTip": move.newTip.hex, "rebuild": false,
                "trees": [
                    [
                        "name": "a", "tip": tips[0].hex, "outcome": "merged", "resolutions": [String](),
                        "fixups": [String](), "staleFixups": [String](),
                    ],
                    [
                        "name": "b", "tip": tips[1].hex, "outcome": "merged", "resolutions": [String](),
                        "fixups": [String](), "staleFixups": [String](),
                    ],
                ],
                "who": "Integration Maintainer <integration@example.org>", "when": 1_773_907_200,
            ],
        ]
        let path = repository.gitDirectory + "tributary/move-journal.json"
        try FileManager.default.createDirectory(
            atPath: repository.gitDirectory + "tributary", withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: journal).write(to: URL(fileURLWithPath: path))

        let session = try BranchMoveSession(repository: repository, command: "trib pull")
        session.release()
        #expect(
            session.recovered
                == "finished a killed trib pull of next (\(old.abbreviated())..\(move.newTip.abbreviated())): refs/tributary/pulled/ set for 2 trees; the pull logged"
        )
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try repository.referenceTarget("refs/tributary/pulled/a") == tips[0])
        #expect(try repository.referenceTarget("refs/tributary/pulled/b") == tips[1])
        let logged = try PullLog(repository: repository).entries()
        #expect(logged.count == 1)
        #expect(logged.first?.newTip == move.newTip && logged.first?.trees.map(\.outcome) == [.merged, .merged])
        let summary = try repository.commit(try #require(try repository.referenceTarget(PullLog.reference))).summary
        #expect(summary == "trib pull: next \(old.abbreviated())..\(move.newTip.abbreviated()), merged 2 trees")
    }

    /// Events and crash points a context received, from any thread.
    final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [Context.Event] = []
        private var points: [CrashPoint] = []

        func add(_ event: Context.Event) { lock.withLock { events.append(event) } }
        func add(_ point: CrashPoint) { lock.withLock { points.append(point) } }
        var allEvents: [Context.Event] { lock.withLock { events } }
        var allPoints: [CrashPoint] { lock.withLock { points } }
    }

    @Test("the library tells only its context: progress, phase times and crash points, when asked")
    func context() throws {
        let (fixture, manifest) = try Self.forest(bare: true)
        let received = Received()
        let puller = Puller(repository: fixture.repository, manifest: manifest)
        puller.context = Context(
            timesPhases: true, crashHook: { received.add($0) }, events: { received.add($0) })
        let report = try puller.run()
        #expect(report.moved)
        let events = received.allEvents
        #expect(
            events.filter { if case .progress = $0 { true } else { false } } == [
                .progress("pulling a"), .progress("pulling b"), .progress(nil),
            ])
        let phases = events.compactMap { event -> String? in
            if case .phase(let work, let phase, _) = event { return "\(work): \(phase)" }
            return nil
        }
        #expect(phases.contains("pull: merge") && phases.contains("pull: merge commit"), "\(phases)")
        // A bare repository has no work tree to follow the branch.
        #expect(received.allPoints == [.journalWritten, .branchMoved, .referencesWritten])

        // A context that times nothing gets no phase, only the plan's progress, ended.
        let quiet = Received()
        let planner = Planner(repository: fixture.repository, manifest: manifest)
        planner.context = Context(events: { quiet.add($0) })
        _ = try planner.run()
        #expect(
            quiet.allEvents == [
                .progress("plan: merging a, 1 of 2 trees"), .progress("plan: merging b, 2 of 2 trees"), .progress(nil),
            ])
    }

    @Test("conflict images: labels, base sections and side order do not change the id")
    func conflictImage() throws {
        let merged = Array("x\n<<<<<<< ours\nB\n||||||| base\nO\n=======\nA\n>>>>>>> theirs\ny\n".utf8)
        let swapped = Array("x\n<<<<<<< HEAD\nA\n=======\nB\n>>>>>>> other\ny\n".utf8)
        let one = try #require(ConflictImage.parse(merged))
        let two = try #require(ConflictImage.parse(swapped))
        #expect(one.id == two.id)
        #expect(one.normalized == Array("x\n<<<<<<<\nA\n=======\nB\n>>>>>>>\ny\n".utf8))
        #expect(ConflictImage.parse(Array("no conflict\n=======\n".utf8)) == nil)
    }
}

/// `Syncer` in process: a branch moved while it runs.
@Suite struct SyncerTests {
    @Test("a branch moved during the sync is detected, and nothing is left behind")
    func movedMeanwhile() throws {
        let fixture = try FixtureRepository(bare: true, initialBranch: "mainline")
        _ = try fixture.git("config", "user.name", "Sub Maintainer")
        _ = try fixture.git("config", "user.email", "sub@example.org")
        let base = try fixture.commit("base", files: ["a.c": "a\n"], on: "mainline")
        try fixture.commit("work", files: ["w.c": "w\n"], on: "work", from: base)
        try fixture.commit("upstream", files: ["u.c": "u\n"], on: "mainline")
        let session = try BranchMoveSession(repository: fixture.repository, command: "trib sync")
        let plan = try Syncer(repository: fixture.repository).plan(
            branch: "work", onto: try #require(try fixture.tip("mainline")))
        let move = try #require(plan.move)
        #expect(move.backup?.hasPrefix("refs/tributary/backup/work/") == true)
        let intruder = try fixture.commit("meanwhile", files: ["m.c": "m\n"], on: "work")
        #expect {
            try session.execute(move)
        } throws: { error in
            guard case .concurrentWriter(let message) = error as? TributaryError else { return false }
            return message.hasPrefix("work moved while trib sync ran")
        }
        session.release()
        #expect(try fixture.tip("work") == intruder)
        #expect(try fixture.repository.references(matching: "refs/tributary/backup/*").isEmpty)
    }
}
