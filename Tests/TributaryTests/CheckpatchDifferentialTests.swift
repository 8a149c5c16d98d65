import Foundation
import Git
import GitFixtures
import Testing
import Tributary

/// The Signed-off-by, Co-developed-by and Fixes: verdicts against the kernel's checkpatch.pl on
/// the same commits (mailed with `git format-patch`).
///
/// Deliberate differences, not generated here and covered by TagRuleTests instead:
/// - an address that differs only by `+extension` or one leading domain label is the same person
///   for Tributary (b4's rule, SEMANTICS §3); checkpatch warns (FROM_SIGN_OFF_MISMATCH);
/// - a Fixes: hash longer than 12 digits is accepted (linux-next's verify_fixes accepts it);
///   checkpatch asks for exactly 12;
/// - Tributary also reports Fixes: targets that do not exist or are not ancestors, which
///   checkpatch does not check.
@Suite(.enabled(if: SharedData.isAvailable, "../shared/data is absent: no kernel scripts to compare with"))
struct CheckpatchDifferentialTests {
    struct Case {
        var name: String
        var trailers: [(String, String)]
        var author = Signature(name: "Ada Author", email: "ada@example.org", time: 0)
    }

    static func cases(target: ObjectID, subject: String) -> [Case] {
        let short = target.abbreviated(12)
        let ada = "Ada Author <ada@example.org>"
        let carl = "Carl Committer <carl@example.org>"
        return [
            Case(name: "complete", trailers: [("Signed-off-by", ada), ("Signed-off-by", carl)]),
            Case(name: "no sign-off", trailers: [("Reviewed-by", carl)]),
            Case(name: "sign-off by someone else", trailers: [("Signed-off-by", carl)]),
            Case(
                name: "author name differs",
                trailers: [("Signed-off-by", "A. Author <ada@example.org>"), ("Signed-off-by", carl)]),
            Case(
                name: "author address differs",
                trailers: [("Signed-off-by", "Ada Author <ada@other.org>"), ("Signed-off-by", carl)]),
            Case(
                name: "co-developed, proper",
                trailers: [
                    ("Co-developed-by", "Co Dev <co@example.org>"), ("Signed-off-by", "Co Dev <co@example.org>"),
                    ("Signed-off-by", ada),
                ]),
            Case(
                name: "co-developed, no sign-off after",
                trailers: [("Co-developed-by", "Co Dev <co@example.org>"), ("Signed-off-by", ada)]),
            Case(
                name: "co-developed, last line",
                trailers: [("Signed-off-by", ada), ("Co-developed-by", "Co Dev <co@example.org>")]),
            Case(name: "co-developed names the author", trailers: [("Co-developed-by", ada), ("Signed-off-by", ada)]),
            Case(
                name: "co-developed, other sign-off",
                trailers: [
                    ("Co-developed-by", "Co Dev <co@example.org>"), ("Signed-off-by", "Other <other@example.org>"),
                    ("Signed-off-by", ada),
                ]),
            Case(name: "fixes, proper", trailers: [("Fixes", "\(short) (\"\(subject)\")"), ("Signed-off-by", ada)]),
            Case(
                name: "fixes, 8 digits",
                trailers: [("Fixes", "\(target.abbreviated(8)) (\"\(subject)\")"), ("Signed-off-by", ada)]),
            Case(name: "fixes, no quotes", trailers: [("Fixes", "\(short) (\(subject))"), ("Signed-off-by", ada)]),
            Case(
                name: "fixes, no parentheses", trailers: [("Fixes", "\(short) \"\(subject)\""), ("Signed-off-by", ada)]),
            Case(
                name: "fixes, wrong subject",
                trailers: [("Fixes", "\(short) (\"mm: something else\")"), ("Signed-off-by", ada)]),
            Case(
                name: "fixes, upper case",
                trailers: [("Fixes", "\(short.uppercased()) (\"\(subject)\")"), ("Signed-off-by", ada)]),
            Case(
                name: "fixes, lower-case key",
                trailers: [("fixes", "\(short) (\"\(subject)\")"), ("Signed-off-by", ada)]),
        ]
    }

    @Test(
        "sign-off, co-developed and Fixes: verdicts agree with checkpatch.pl",
        .enabled(
            if: SharedData.kernelScriptsAvailable, "checkpatch.pl could not be fetched (../shared/tools/kernel-scripts)"
        )
    )
    func verdicts() throws {
        let fixture = try FixtureRepository()
        let base = try fixture.commit("mm: add the base", files: ["mm/base.c": "int base;\n"])
        let subject = "mm: add the base"
        let committer = Signature(name: "Carl Committer", email: "carl@example.org", time: 0)
        var commits: [(Case, ObjectID)] = []
        for (number, testCase) in Self.cases(target: base, subject: subject).enumerated() {
            let id = try fixture.commit(
                "mm: change \(number)\n\nChange number \(number) (\(testCase.name)).",
                files: ["mm/base.c": .text("int base = \(number);\n")],
                author: testCase.author, committer: committer, trailers: testCase.trailers)
            commits.append((testCase, id))
        }
        try fixture.git("checkout", "-q", "-f", "main")
        let patchDirectory = fixture.path + "/.patches"
        try FileManager.default.createDirectory(atPath: patchDirectory, withIntermediateDirectories: true)
        var patchFiles: [String] = []
        for (index, (_, id)) in commits.enumerated() {
            let patch = try fixture.git("format-patch", "-1", "--stdout", id.hex)
            let path = "\(patchDirectory)/\(index).patch"
            try patch.write(toFile: path, atomically: true, encoding: .utf8)
            patchFiles.append(path)
        }
        let types = "MISSING_SIGN_OFF,NO_AUTHOR_SIGN_OFF,FROM_SIGN_OFF_MISMATCH,BAD_SIGN_OFF,BAD_FIXES_TAG"
        let run = try Subprocess.run(
            "perl",
            [
                SharedData.kernelScripts!.appendingPathComponent("checkpatch.pl").path, "--no-tree", "--terse",
                "--show-types", "--types", types, "--no-summary",
            ] + patchFiles,
            in: fixture.path, timeout: 600)
        var theirs: [Int: Set<String>] = [:]
        for line in run.text.split(separator: "\n") {
            // "<file>:<line>: ERROR:TYPE: message"
            guard let file = patchFiles.firstIndex(where: { line.hasPrefix($0 + ":") }) else { continue }
            let message = String(line)
            var verdict: String?
            if message.contains("MISSING_SIGN_OFF") || message.contains("NO_AUTHOR_SIGN_OFF") {
                verdict = "signoff-author:error"
            }
            if message.contains("FROM_SIGN_OFF_MISMATCH") && !message.contains(": CHECK:") {
                verdict = "signoff-author:warning"
            }
            if message.contains("BAD_SIGN_OFF") && message.contains("Co-developed-by") { verdict = "codevelop" }
            if message.contains("BAD_FIXES_TAG") { verdict = "fixes" }
            if let verdict { theirs[file, default: []].insert(verdict) }
        }
        let repository = fixture.repository
        let check = try TagCheck(repository: repository, policy: TagPolicy())
        var differences: [String] = []
        for (index, (testCase, id)) in commits.enumerated() {
            let result = try check.check(repository.commit(id))
            var ours = Set<String>()
            for finding in result.findings {
                switch finding.rule {
                case .signoffAuthor: ours.insert("signoff-author:\(finding.severity.rawValue)")
                case .codevelop: ours.insert("codevelop")
                case .fixes: ours.insert("fixes")
                default: break
                }
            }
            if ours != theirs[index, default: []] {
                differences.append(
                    "\(testCase.name): ours \(ours.sorted()), checkpatch \(theirs[index, default: []].sorted())")
            }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))\n\(run.text)")
        #expect(
            theirs.values.reduce(0) { $0 + $1.count } >= 10,
            "checkpatch reported too little to compare: \(run.text) \(run.errorOutput)")
    }
}
