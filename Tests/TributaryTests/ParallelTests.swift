import Foundation
import Testing
import Tributary

#if canImport(Glibc)
    import Glibc
#endif

/// `Parallel.map`, the library's one way to work on several threads.
@Suite struct ParallelTests {
    struct Failure: Error, Equatable {
        var item: Int
    }

    /// Counts calls from any thread.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        private var running = 0
        private(set) var mostAtOnce = 0

        func started() {
            lock.withLock {
                value += 1
                running += 1
                mostAtOnce = max(mostAtOnce, running)
            }
        }

        func ended() { lock.withLock { running -= 1 } }

        var count: Int { lock.withLock { value } }
    }

    @Test("results come back in the items' order, each handed once to the calling thread", arguments: [1, 2, 4, 16])
    func order(width: Int) {
        let items = Array(0..<200)
        let calls = Counter()
        var received: [Int] = []
        let caller = pthread_self()
        let results = Parallel.map(items, width: width) { item -> Int in
            calls.started()
            defer { calls.ended() }
            // Later items finish first now and then.
            if item % 7 == 0 { usleep(200) }
            return item * item
        } received: { index, result in
            #expect(pthread_equal(pthread_self(), caller) != 0)
            #expect(result == index * index)
            received.append(index)
        }
        #expect(results == items.map { $0 * $0 })
        #expect(received.sorted() == items)
        #expect(calls.count == items.count)
        #expect(calls.mostAtOnce <= width)
        if width > 1 { #expect(calls.mostAtOnce > 1, "the work ran on several threads at once") }
    }

    @Test("the error of the lowest failing item is thrown, and nothing starts after a failure")
    func errors() throws {
        let calls = Counter()
        #expect(throws: Failure(item: 3)) {
            try Parallel.map(Array(0..<1_000), width: 4) { item -> Int in
                calls.started()
                defer { calls.ended() }
                if item == 3 || item == 5 {
                    usleep(item == 3 ? 20_000 : 0)
                    throw Failure(item: item)
                }
                usleep(1_000)
                return item
            }
        }
        // The items running when 5 failed (at most the width) end; the rest never start.
        #expect(calls.count < 100, "\(calls.count) calls")
        #expect(throws: Failure(item: 0)) {
            try Parallel.map([0], width: 4) { item -> Int in throw Failure(item: item) }
        }
    }

    @Test("an error thrown while receiving a result stops the map and is thrown")
    func receivingFails() throws {
        let calls = Counter()
        #expect(throws: Failure(item: -1)) {
            try Parallel.map(Array(0..<1_000), width: 2) { item -> Int in
                calls.started()
                defer { calls.ended() }
                usleep(500)
                return item
            } received: { index, _ in
                if index >= 0 { throw Failure(item: -1) }
            }
        }
        #expect(calls.count < 100, "\(calls.count) calls")
    }

    @Test("with width 1, or one item, everything runs on the calling thread, in order")
    func inline() {
        let caller = pthread_self()
        let elsewhere = Counter()
        var seen: [Int] = []
        let results = Parallel.map(Array(0..<10), width: 1) { item -> Int in
            if pthread_equal(pthread_self(), caller) == 0 { elsewhere.started() }
            return item + 1
        } received: { index, _ in
            seen.append(index)
        }
        #expect(results == Array(1...10))
        #expect(seen == Array(0..<10))
        #expect(elsewhere.count == 0)
        let none: [Int] = Parallel.map([Int](), width: 8) { item -> Int in item }
        #expect(none.isEmpty)
    }
}
