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
        output.write(json ? try JSONText.encode(entries) : PullRenderer.text(entries))
        output.flush()
    }
}
