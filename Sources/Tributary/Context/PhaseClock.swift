import Foundation

/// Time spent per phase of a piece of work (the plan, the pull, the report, the index update),
/// reported as `Context.Event.phase` events, slowest first, by `report()`. Measures nothing when
/// the context does not time phases. `@unchecked Sendable`: the times are read and written only
/// while `lock` is held, so the plan's merge thread may add to its clock.
final class PhaseClock: @unchecked Sendable {
    private let work: String
    private let context: Context
    private let lock = NSLock()
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
        defer {
            let elapsed = Date().timeIntervalSince(start)
            lock.withLock { seconds[phase, default: 0] += elapsed }
        }
        return try body()
    }

    /// Adds the time since the previous mark (or since the clock was made) to `phase`.
    func mark(_ phase: String) {
        guard context.timesPhases else { return }
        let now = Date()
        lock.withLock {
            seconds[phase, default: 0] += now.timeIntervalSince(lastMark)
            lastMark = now
        }
    }

    /// Reports every phase's time, slowest first.
    func report() {
        guard context.timesPhases else { return }
        for (phase, time) in lock.withLock({ seconds }).sorted(by: { $0.value > $1.value }) {
            context.events(.phase(work: work, phase: phase, seconds: time))
        }
    }
}
