import Core

/// The current state of every ticket, as the events so far describe it.
///
/// Incoming events may carry only some of a ticket's fields; they are merged
/// into what is known, so a comment event without a subject does not erase it.
public struct TicketProjection: Sendable {
    public private(set) var tickets: [String: Value] = [:]
    /// Ids changed since the last `takeChanged()`: what a commit must store.
    public private(set) var changed: Set<String> = []

    public init() {}

    public subscript(id: String) -> Value? {
        get { tickets[id] }
        set {
            tickets[id] = newValue
            changed.insert(id)
        }
    }

    /// Puts state read from the log, without marking it changed.
    public mutating func load(_ id: String, _ state: Value) {
        tickets[id] = state
    }

    /// Removes what is known of `id`, without marking it changed: the log
    /// has no state for it.
    public mutating func forget(_ id: String) {
        tickets[id] = nil
    }

    /// The ids changed since the last call, and forgets them.
    public mutating func takeChanged() -> Set<String> {
        defer { changed = [] }
        return changed
    }

    /// Forgets every ticket but keeps shared state (ids starting with `~`):
    /// bounds memory, since the log holds every ticket.
    public mutating func dropTickets() {
        tickets = tickets.filter { $0.key.hasPrefix("~") }
    }

    /// Merges the event's ticket into the known state and returns (before, after).
    public mutating func merge(_ event: Event) -> (previous: Value?, current: Value) {
        let previous = tickets[event.ticketID]
        guard case .object = event.ticket else { return (previous, previous ?? .null) }
        let current = Self.merged(event, into: previous)
        tickets[event.ticketID] = current
        changed.insert(event.ticketID)
        return (previous, current)
    }

    /// The ticket `previous` with the fields `event` carries merged in.
    static func merged(_ event: Event, into previous: Value?) -> Value {
        guard case .object(let incoming) = event.ticket else { return previous ?? .null }
        var merged = previous?.objectValue ?? Value.Object()
        for (key, value) in incoming.pairs { merged[key] = value }
        return .object(merged)
    }
}
