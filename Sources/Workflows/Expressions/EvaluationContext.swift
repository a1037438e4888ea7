import Core

/// What a condition reads: the event, the ticket after it, the ticket before
/// it, and the time to measure `hours_since` and friends against.
public struct EvaluationContext: Sendable {
    /// The whole event object (it contains `ticket` too); `event.*` reads here.
    public var event: Value
    /// The ticket as it is after the event; `ticket.*` reads here.
    public var ticket: Value
    /// The ticket as it was before the event; `previous.ticket.*` reads here.
    /// `nil` when there was none (a created ticket).
    public var previousTicket: Value?
    /// Injected rather than read from the clock so evaluation is repeatable.
    public var now: Timestamp
    /// The business-hours calendar for `business_hours_since`; `nil` when none is configured.
    public var calendar: BusinessCalendar?

    /// `ticket` defaults to `event.ticket`.
    public init(event: Value, ticket: Value? = nil, previousTicket: Value? = nil, now: Timestamp) {
        self.event = event
        self.ticket = ticket ?? event["ticket"] ?? .null
        self.previousTicket = previousTicket
        self.now = now
    }

    /// The value at a path written from the condition roots, e.g.
    /// `["previous", "ticket", "priority"]`; the lookup `IndexHint` paths use.
    public func value(at path: [String]) -> Value? {
        guard let first = path.first else { return nil }
        switch first {
        case "ticket": return ticket.value(at: path.dropFirst())
        case "event": return event.value(at: path.dropFirst())
        case "previous":
            guard path.count > 1 else { return previousTicket.map { .object(.init([("ticket", $0)])) } }
            guard path[1] == "ticket", let previousTicket else { return nil }
            return previousTicket.value(at: path.dropFirst(2))
        default:
            return event.value(at: path)
        }
    }
}
