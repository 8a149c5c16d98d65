import Foundation

/// Time spent per phase of a piece of work (the plan, the pull, the report, the index update),
/// reported as `Context.Event.phase` events, slowest first, by `report()`. Measures nothing when
/// the context does not time phases.
final class PhaseClock {
    private let work: String
    private let context: Context
    private var seconds: [String: Double] = [:]
    private var lastMark = Date()

    init(_ work: String, context: Context) {
        self.work = work
        self.context = context
    }

    /// Runs `body`, adding its time to `phase`.
    func measure<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
        guard context.timesPhases else { return try body() }
        let start = Date()
        defer { seconds[phase, default: 0] += Date().timeIntervalSince(start) }
        return try body()
    }

    /// Adds the time since the previous mark (or since the clock was made) to `phase`.
    func mark(_ phase: String) {
        guard context.timesPhases else { return }
        let now = Date()
        seconds[phase, default: 0] += now.timeIntervalSince(lastMark)
        lastMark = now
    }

    /// Reports every phase's time, slowest first.
    func report() {
        guard context.timesPhases else { return }
        for (phase, time) in seconds.sorted(by: { $0.value > $1.value }) {
            context.events(.phase(work: work, phase: phase, seconds: time))
        }
    }
}
