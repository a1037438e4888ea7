/// One ticket event: what the help desk sent, or what the engine did.
///
/// `payload` is the whole event object as received, unknown fields included,
/// so nothing a sender adds is lost; the typed properties are read from it
/// once, when the event is decoded.
public struct Event: Sendable, Hashable {
    /// The idempotency key: the same id delivered twice is one event.
    public var id: String
    public var type: String
    public var occurredAt: Timestamp
    public var ticketID: String
    public var payload: Value

    public init(id: String, type: String, occurredAt: Timestamp, ticketID: String, payload: Value) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.ticketID = ticketID
        self.payload = payload
    }

    /// The ticket as carried by this event (possibly only some of its fields).
    public var ticket: Value { payload["ticket"] ?? .null }
}
