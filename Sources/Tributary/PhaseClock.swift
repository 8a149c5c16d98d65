import Foundation

/// Time spent per phase of a piece of work, printed on standard error by `report()` when the
/// environment has `TRIB_PROFILE` set (`LABEL: PHASE SECONDS`, slowest first). Costs nothing
/// otherwise. Used by the plan, the pull, the report and the index update.
final class PhaseClock {
    static let isEnabled = ProcessInfo.processInfo.environment["TRIB_PROFILE"] != nil

    private let label: String
    private var seconds: [String: Double] = [:]
    private var lastMark = Date()

    init(_ label: String) { self.label = label }

    /// Runs `body`, adding its time to `phase`.
    func measure<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
        guard Self.isEnabled else { return try body() }
        let start = Date()
        defer { seconds[phase, default: 0] += Date().timeIntervalSince(start) }
        return try body()
    }

    /// Adds the time since the previous mark (or since the clock was made) to `phase`.
    func mark(_ phase: String) {
        guard Self.isEnabled else { return }
        let now = Date()
        seconds[phase, default: 0] += now.timeIntervalSince(lastMark)
        lastMark = now
    }

    /// Prints every phase's time, slowest first.
    func report() {
        guard Self.isEnabled else { return }
        for (phase, time) in seconds.sorted(by: { $0.value > $1.value }) {
            FileHandle.standardError.write(Data("\(label): \(phase) \(String(format: "%.3f", time)) s\n".utf8))
        }
    }
}
