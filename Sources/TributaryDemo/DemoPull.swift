import Foundation
import Git
public import Tributary

/// The pull part of the demo: a pull that stops on the planted conflict, the conflict resolved
/// once (as a maintainer would: keep both flags, give THP's a bit of its own) and recorded, and a
/// rebuild of the integration branch that then goes through on its own.
public enum DemoPull {
    public struct Outcome {
        public var stopped: Puller.Report
        public var recorded: [ResolutionStore.Resolution]
        public var rebuilt: Puller.Report
    }

    /// When the demo's pulls happen: 2026-03-19 08:00 UTC.
    public static let pullTime: Int64 = 1_773_907_200

    public static func run(_ forest: DemoForest) throws -> Outcome {
        let repository = try Repository(at: forest.integrationPath)
        let manifest = try Manifest.load(from: Manifest.defaultPath(for: repository))
        // The integrator's merges carry a fixed date, so the demo's commit ids are the same everywhere.
        let signature = Signature(
            name: DemoPerson.mmIntegrator.rawValue, email: DemoPerson.mmIntegrator.email, time: pullTime)
        let puller = Puller(repository: repository, manifest: manifest)
        puller.signature = signature
        let stopped = try puller.run()
        guard let conflicted = stopped.trees.last, stopped.stoppedAt != nil, let onto = conflicted.onto,
            let tip = conflicted.tip
        else {
            throw TributaryError.environment("the demo pull did not stop on the planted conflict")
        }
        let recorder = ResolutionRecorder(repository: repository)
        let session = try recorder.start(tree: conflicted.name, ours: onto, theirs: tip)
        for path in session.paths {
            let file = session.directory + "/" + path
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            var resolved = keepingBothSides(String(decoding: data, as: UTF8.self))
            resolved = resolved.replacingOccurrences(
                of: "#define VM_HUGEPAGE\t0x00000010", with: "#define VM_HUGEPAGE\t0x00000020")
            try resolved.write(toFile: file, atomically: true, encoding: .utf8)
        }
        let recorded = try recorder.save(session)
        let rebuilder = Puller(repository: repository, manifest: manifest)
        rebuilder.rebuild = true
        rebuilder.signature = signature
        let rebuilt = try rebuilder.run()
        return Outcome(stopped: stopped, recorded: recorded, rebuilt: rebuilt)
    }

    /// Each conflict replaced by our side followed by theirs.
    static func keepingBothSides(_ text: String) -> String {
        var result = ""
        var part = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("<<<<<<< ") {
                part = 1
            } else if line.hasPrefix("=======") && part == 1 {
                part = 2
            } else if line.hasPrefix(">>>>>>> ") && part == 2 {
                part = 0
            } else {
                result += line + "\n"
            }
        }
        return result
    }
}
