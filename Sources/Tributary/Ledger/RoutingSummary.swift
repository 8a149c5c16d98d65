/// A series' routing in one line: the place that should take it, whether it applies there, the
/// acks it still needs, and the places it will conflict with.
public struct RoutingSummary: Sendable, Codable, Hashable {
    public var place: String?
    public var applies: Bool
    public var acksNeeded: Int
    public var conflicts: [String]

    /// `vma (applies; 1 ack needed; conflicts with thp)`.
    public var text: String {
        guard let place else { return "no place" }
        var notes = [applies ? "applies" : "does not apply"]
        if acksNeeded > 0 { notes.append("\(acksNeeded) ack\(acksNeeded == 1 ? "" : "s") needed") }
        if !conflicts.isEmpty { notes.append("conflicts with \(conflicts.joined(separator: ", "))") }
        return "\(place) (\(notes.joined(separator: "; ")))"
    }
}
