/// Messages linked into threads by Message-ID, In-Reply-To and References: a message's parent
/// is the message it replies to (In-Reply-To), else the last of its References that is known.
/// Messages whose parent is unknown are roots. Duplicate Message-IDs keep the first message.
public struct MailThreads: Sendable {
    public let messages: [MailMessage]
    /// Index of each message's parent in `messages`.
    public let parents: [Int?]
    private let positions: [String: Int]

    public init(_ messages: [MailMessage]) {
        var positions: [String: Int] = [:]
        for (index, message) in messages.enumerated() {
            if let id = message.messageID, positions[id] == nil { positions[id] = index }
        }
        var parents: [Int?] = []
        for (index, message) in messages.enumerated() {
            var parent: Int?
            if let reply = message.inReplyTo, let known = positions[reply], known != index {
                parent = known
            } else {
                parent = message.references.reversed().lazy.compactMap { positions[$0] }.first { $0 != index }
            }
            parents.append(parent)
        }
        // Break cycles that bad headers could make.
        for start in parents.indices {
            var seen: Set<Int> = [start]
            var current = parents[start]
            while let next = current {
                if !seen.insert(next).inserted {
                    parents[start] = nil
                    break
                }
                current = parents[next]
            }
        }
        self.messages = messages
        self.parents = parents
        self.positions = positions
    }

    /// The position of the message with this Message-ID.
    public func position(of messageID: String) -> Int? { positions[messageID] }

    /// The chain of ancestors of message `index`, nearest first.
    public func ancestors(of index: Int) -> [Int] {
        var chain: [Int] = []
        var current = parents[index]
        while let next = current {
            chain.append(next)
            current = parents[next]
        }
        return chain
    }

    /// The root of message `index`'s thread.
    public func root(of index: Int) -> Int { ancestors(of: index).last ?? index }
}
