public import Foundation

/// The one way the library works on several threads: a map whose calls run on worker threads
/// while the calling thread receives each result as it is ready. libgit2 handles must not be
/// shared between threads, so a call that reads the repository opens its own `Repository`.
public enum Parallel {
    /// `transform` applied to every element of `items`, on up to `width` threads at once; the
    /// results in the order of `items`.
    ///
    /// `received` is called on the calling thread with each result (its index and value) as soon
    /// as it is ready, in the order they finish, while the other calls go on — to store or report
    /// results without waiting for the slowest one.
    ///
    /// Errors: once a call (or `received`) throws, no call is started any more; the calls
    /// running are waited for, and the error of the lowest index (or `received`'s) is thrown.
    /// With `width` 1, or a single item, everything runs on the calling thread.
    public static func map<Item: Sendable, Result: Sendable, Failure: Error>(
        _ items: [Item], width: Int = ProcessInfo.processInfo.activeProcessorCount,
        _ transform: @escaping @Sendable (Item) throws(Failure) -> Result,
        received: (Int, Result) throws(Failure) -> Void
    ) throws(Failure) -> [Result] {
        let threads = max(1, min(width, items.count))
        if threads == 1 {
            var results: [Result] = []
            results.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                let result = try transform(item)
                try received(index, result)
                results.append(result)
            }
            return results
        }
        let work = ParallelWork<Result, Failure>(count: items.count)
        for _ in 0..<threads {
            let thread = Thread {
                while let index = work.take() {
                    work.finish(index, Swift.Result { () throws(Failure) -> Result in try transform(items[index]) })
                }
                work.threadEnded()
            }
            // As deep as the calling thread may go (the MAINTAINERS trie, libgit2's merges).
            thread.stackSize = 8 << 20
            thread.start()
        }
        var results = [Result?](repeating: nil, count: items.count)
        var itemFailure: (index: Int, error: Failure)?
        var receiveFailure: Failure?
        while let (index, outcome) = work.next(threads: threads) {
            switch outcome {
            case .success(let result):
                results[index] = result
                guard itemFailure == nil, receiveFailure == nil else { continue }
                do { try received(index, result) } catch {
                    receiveFailure = error
                    work.stop()
                }
            case .failure(let error):
                if itemFailure.map({ index < $0.index }) ?? true { itemFailure = (index, error) }
                work.stop()
            }
        }
        if let itemFailure { throw itemFailure.error }
        if let receiveFailure { throw receiveFailure }
        return results.map { $0! }
    }
}

extension Parallel {
    /// `transform` applied to every element of `items`, on up to `width` threads at once; the
    /// results in the order of `items` (see `map(_:width:_:received:)`).
    public static func map<Item: Sendable, Result: Sendable, Failure: Error>(
        _ items: [Item], width: Int = ProcessInfo.processInfo.activeProcessorCount,
        _ transform: @escaping @Sendable (Item) throws(Failure) -> Result
    ) throws(Failure) -> [Result] {
        try map(items, width: width, transform, received: Self.ignore)
    }

    private static func ignore<Result, Failure: Error>(_ index: Int, _ result: Result) throws(Failure) {}
}

/// The state a parallel map's threads share: the next item to start, the results not yet
/// received, how many threads still run. `@unchecked Sendable`: every property is read and
/// written only while `condition` is locked.
private final class ParallelWork<Result: Sendable, Failure: Error>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private var nextIndex = 0
    private var stopped = false
    private var ready: [(Int, Swift.Result<Result, Failure>)] = []
    private var endedThreads = 0

    init(count: Int) { self.count = count }

    /// The next item to work on; nil when all are started or the work stopped.
    func take() -> Int? {
        condition.withLock {
            guard !stopped, nextIndex < count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func finish(_ index: Int, _ outcome: Swift.Result<Result, Failure>) {
        condition.withLock {
            ready.append((index, outcome))
            condition.broadcast()
        }
    }

    func threadEnded() {
        condition.withLock {
            endedThreads += 1
            condition.broadcast()
        }
    }

    func stop() { condition.withLock { stopped = true } }

    /// The next result ready, waiting for one; nil once every thread has ended and every result
    /// was handed out.
    func next(threads: Int) -> (Int, Swift.Result<Result, Failure>)? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && endedThreads < threads { condition.wait() }
        return ready.isEmpty ? nil : ready.removeFirst()
    }
}
