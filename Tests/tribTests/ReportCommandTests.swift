import Foundation
import Git
import GitFixtures
import SnapshotTesting
import Testing

/// `trib report`: the digest against reviewed golden files (`__Snapshots__/ReportCommandTests/`),
/// the site in a real headless browser.
@Suite struct ReportCommandTests {
    static func temporaryDirectory(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trib-\(name)-\(UUID().uuidString)").path
    }

    @Test("the demo's two digests (before and after the pull) match the reviewed golden files")
    func demoDigests() throws {
        let directory = Self.temporaryDirectory("report-demo")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let demo = try TribCommand.run(["demo", directory])
        #expect(demo.status == 0, "\(demo.errorOutput)")
        #expect(demo.output.contains("The site: open file://\(directory)/report/index.html"))
        let before = try String(contentsOfFile: directory + "/report/digest-before.md", encoding: .utf8)
        assertSnapshot(of: before, as: .lines, named: "demo-digest-before")
        // The merge commits name the trees' URLs, which are paths under the demo's directory: the
        // integration tip is the one line that differs from machine to machine.
        let tip = try Repository(at: directory + "/mm").referenceTarget("refs/heads/mm-next")!.abbreviated()
        let after = try String(contentsOfFile: directory + "/report/digest.md", encoding: .utf8)
        assertSnapshot(
            of: after.replacingOccurrences(of: "at \(tip),", with: "at MM-NEXT-TIP,"), as: .lines, named: "demo-digest")
        // The demo recorded that report: a new one finds nothing changed since.
        let again = try TribCommand.run(["report", "--markdown", "--as-of", "2026-03-21"], in: directory + "/mm")
        #expect(again.status == 0, "\(again.errorOutput)")
        #expect(again.output.contains("Changes are since the previous report, of 2026-03-20."))
        #expect(!again.output.contains("\n### "))
        #expect(again.output.contains("waiting for review, 8 days"))
        let json = try TribCommand.run(["report", "--json", "--as-of", "2026-03-21"], in: directory + "/mm")
        try SchemaValidation.validate(json.output, schema: "report")
    }

    @Test("per tree: series new, landed in the integration branch, dropped")
    func changesSincePrevious() throws {
        let directory = Self.temporaryDirectory("report-changes")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let forest = try PlanCommandTests.Forest()
        let slab = try forest.addTree("slab", owns: "SLAB")
        let vma = try forest.addTree("vma", owns: "VMA")
        func posting(_ stem: String, _ count: Int) -> [(String, String)] {
            PlanCommandTests.signed + [("Link", "https://patch.msgid.link/\(stem).\(count)-ada@example.org")]
        }
        for number in 1...2 {
            _ = try slab.commit(
                "slab: step \(number)", files: ["mm/slab.c": .text("slab \(number)\n")], on: "for-next",
                trailers: posting("20260301", number))
        }
        let vmaStart = try vma.repository.referenceTarget("refs/heads/for-next")!
        for number in 1...2 {
            _ = try vma.commit(
                "vma: step \(number)", files: ["mm/vma.c": .text("vma \(number)\n")], on: "for-next",
                trailers: posting("20260302", number))
        }
        _ = try forest.trib(["fetch"])
        let first = try forest.trib(["report", "--markdown", "--record", "--as-of", "2026-03-01"])
        #expect(first.contains("This is the first report"))
        #expect(first.contains("### slab\n- new: \"slab: step 1\""))
        // slab is pulled; vma rewinds to its start (its series is dropped); a new series in vma.
        _ = try forest.integration.git("reset", "-q", "--hard", "next")
        _ = try forest.trib(["pull", "slab"])
        _ = try vma.git("update-ref", "refs/heads/for-next", vmaStart.hex)
        for number in 1...2 {
            _ = try vma.commit(
                "vma: other \(number)", files: ["mm/vma.c": .text("other \(number)\n")], on: "for-next",
                trailers: posting("20260303", number))
        }
        _ = try forest.trib(["fetch"])
        let second = try forest.trib(["report", "--markdown", "--as-of", "2026-03-02"])
        #expect(second.contains("Changes are since the previous report, of 2026-03-01."))
        #expect(second.contains("### slab (ready → up-to-date)\n- landed in next: \"slab: step 1\""), "\(second)")
        #expect(second.contains("### vma\n- new: \"vma: other 1\"\n- dropped: \"vma: step 1\""), "\(second)")
    }

    @Test("without a base in the manifest: trees and their waiting commits only, not the branch's history")
    func withoutBase() throws {
        let forest = try PlanCommandTests.Forest()
        let slab = try forest.addTree("slab", owns: "SLAB")
        _ = try slab.commit("slab: unsigned", files: ["mm/slab.c": "slab 2\n"], on: "for-next")
        _ = try forest.trib(["fetch"])
        _ = try forest.integration.git(
            "config", "-f", forest.integration.path + "/.tributary", "--unset", "integration.base")
        let json = try forest.trib(["report", "--json", "--as-of", "2026-03-20"])
        try SchemaValidation.validate(json, schema: "report")
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let debt = try #require(report["tagDebt"] as? [[String: Any]])
        #expect(debt.map { $0["place"] as? String } == ["slab"])
        #expect((report["series"] as? [Any])?.isEmpty == true)
        #expect((report["reviewLoad"] as? [String: Any])?["commits"] as? Int == 1)
        // Bad input: exit 2, a message, nothing written.
        let file = forest.directory + "/not-a-directory"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let notDirectory = try TribCommand.run(["report", "--html", file], in: forest.integration.path)
        #expect(notDirectory.status == 2 && notDirectory.errorOutput.contains("is a file; give a directory"))
        let notReport = try TribCommand.run(["report", "--markdown", "--since", file], in: forest.integration.path)
        #expect(notReport.status == 2 && notReport.errorOutput.contains("is not a report of schema tributary.report/1"))
        let noOutput = try TribCommand.run(["report"], in: forest.integration.path)
        #expect(noOutput.status == 2 && noOutput.errorOutput.contains("say what to write"))
        #expect(
            !FileManager.default.fileExists(atPath: forest.integration.repository.gitDirectory + "tributary/report"))
    }

    @Test("the site loads in headless Chromium with no errors, and hostile text shows as text")
    func siteInBrowser() throws {
        guard let chromium = HeadlessBrowser.executable() else {
            Issue.record("no headless Chromium: Scripts/bootstrap installs Debian's chromium-headless-shell")
            return
        }
        let hostileSubject = "slab: <script>alert(1)</script> fix"
        let hostileQuote = "vma: \" onmouseover=\"x"
        let forest = try PlanCommandTests.Forest()
        let slab = try forest.addTree("slab", owns: "SLAB")
        let vma = try forest.addTree("vma", owns: "VMA")
        let header = (1...20).map { "#define LINE_\($0)\n" }.joined()
        _ = try slab.commit(
            hostileSubject, files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_3\n", with: "S\n"))],
            on: "for-next",
            author: Signature(name: "Eve\" onmouseover=\"alert(2)", email: "ada@example.org", time: 1_772_352_000),
            trailers: PlanCommandTests.signed)
        _ = try vma.commit(
            hostileQuote, files: ["include/mm.h": .text(header.replacingOccurrences(of: "LINE_3\n", with: "V\n"))],
            on: "for-next", trailers: PlanCommandTests.signed + [("Reviewed-by", "Rita Reviewer <rita@example.org>")])
        _ = try forest.trib(["fetch"])
        let site = forest.directory + "/site"
        _ = try forest.trib(["report", "--html", site, "--as-of", "2026-03-20"])

        let demo = Self.temporaryDirectory("report-browser-demo")
        defer { try? FileManager.default.removeItem(atPath: demo) }
        #expect(try TribCommand.run(["demo", demo]).status == 0)

        // Kept only where TRIB_SCREENSHOTS names a directory.
        let keptScreenshots = ProcessInfo.processInfo.environment["TRIB_SCREENSHOTS"]
        let screenshots = keptScreenshots ?? Self.temporaryDirectory("shots")
        defer { if keptScreenshots == nil { try? FileManager.default.removeItem(atPath: screenshots) } }
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)
        let browser = try HeadlessBrowser(executable: chromium)
        for (name, directory) in [("hostile", site), ("demo", demo + "/report")] {
            for page in ["index", "series", "conflicts", "tags", "reviews", "waiting"] {
                let url = URL(fileURLWithPath: "\(directory)/\(page).html")
                let load = try browser.load(url)
                #expect(load.errors.isEmpty, "\(name)/\(page).html: \(load.errors)")
                #expect(try browser.evaluate("document.title") as? String != "", "\(page)")
                #expect(
                    try browser.evaluate("document.scripts.length") as? Int == 0, "\(name)/\(page).html has a script")
                #expect(
                    try browser.evaluate("document.querySelectorAll('[onmouseover],[onerror],img').length") as? Int
                        == 0,
                    "\(name)/\(page).html: hostile markup became an element or attribute")
                // Nothing is fetched from anywhere but the page itself.
                let resources = try browser.evaluate("performance.getEntriesByType('resource').length") as? Int
                #expect(resources == 0, "\(name)/\(page).html loaded \(resources ?? -1) resources")
                let png = try browser.screenshot()
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 5_000, "\(page) screenshot")
                try png.write(to: URL(fileURLWithPath: "\(screenshots)/\(name)-\(page).png"))
            }
        }
        if let keptScreenshots { print("report screenshots: \(keptScreenshots)") }
        // The hostile subjects and author name are on the pages, as text.
        _ = try browser.load(URL(fileURLWithPath: site + "/reviews.html"))
        let text = try #require(try browser.evaluate("document.body.innerText") as? String)
        #expect(text.contains(hostileSubject))
        #expect(text.contains("Eve\" onmouseover=\"alert(2)"))
        _ = try browser.load(URL(fileURLWithPath: site + "/conflicts.html"))
        let conflicts = try #require(try browser.evaluate("document.body.innerText") as? String)
        #expect(conflicts.contains(hostileSubject) && conflicts.contains(hostileQuote))
        // The heat map: the grey background and the pair's two cells.
        let cells = try browser.evaluate("[...document.querySelectorAll('svg rect')].map(r => r.textContent)")
        #expect(
            cells as? [String] == [
                "no common paths", "slab × vma: 1 conflicted path: include/mm.h",
                "slab × vma: 1 conflicted path: include/mm.h",
            ])
    }
}
