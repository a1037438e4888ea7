import Core

/// The current state of every ticket, as the events so far describe it.
///
/// Incoming events may carry only some of a ticket's fields; they are merged
/// into what is known, so a comment event without a subject does not erase it.
public struct TicketProjection: Sendable {
    public private(set) var tickets: [String: Value] = [:]

    public init() {}

    public subscript(id: String) -> Value? {
        get { tickets[id] }
        set { tickets[id] = newValue }
    }

    /// Merges the event's ticket into the known state and returns (before, after).
    public mutating func merge(_ event: Event) -> (previous: Value?, current: Value) {
        let previous = tickets[event.ticketID]
        guard case .object(let incoming) = event.ticket else { return (previous, previous ?? .null) }
        var merged = previous?.objectValue ?? Value.Object()
        for (key, value) in incoming.pairs { merged[key] = value }
        let current = Value.object(merged)
        tickets[event.ticketID] = current
        return (previous, current)
    }
}
