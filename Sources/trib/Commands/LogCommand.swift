import ArgumentParser
import Foundation
import Git
import Tributary

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "The pull history: trees, tips, resolutions and fix-ups used, who and when.",
        discussion: "Read from refs/tributary/log, newest first; it travels with push and fetch.")

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: ArgumentHelp("Show at most this many pulls.", valueName: "n"))
    var limit: Int = 20

    @Flag(name: .long, help: "Print JSON (an array of entries).")
    var json = false

    func run() throws {
        let entries = try reportingFailures {
            try PullLog(repository: try self.repository.open()).entries(limit: limit)
        }
        var output = StandardOutput()
        if json {
            output.write(try JSONText.encode(entries))
        } else {
            for entry in entries {
                let date = Date(timeIntervalSince1970: TimeInterval(entry.when))
                output.line(
                    "\(date) \(entry.who): \(entry.branch) \(entry.previousTip?.abbreviated() ?? "(new)")..\(entry.newTip.abbreviated())\(entry.rebuild ? " (rebuild)" : "")"
                )
                for tree in entry.trees where tree.outcome != "up-to-date" {
                    var line = "    \(tree.name) \(tree.outcome) \(tree.tip.abbreviated())"
                    if !tree.resolutions.isEmpty {
                        line +=
                            " resolutions: \(tree.resolutions.map { String($0.prefix(12)) }.joined(separator: ", "))"
                    }
                    if !tree.fixups.isEmpty { line += " fix-ups: \(tree.fixups.joined(separator: ", "))" }
                    if !tree.staleFixups.isEmpty {
                        line += " stale fix-ups: \(tree.staleFixups.joined(separator: ", "))"
                    }
                    output.line(line)
                }
            }
            if entries.isEmpty { output.line("no pulls yet") }
        }
        output.flush()
    }
}
