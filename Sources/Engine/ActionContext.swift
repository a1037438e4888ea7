import Core

/// What an action may see and change besides its ticket: the event that
/// triggered it, and state shared across tickets (recurrence counts,
/// recommendations), kept in the ticket projection under keys that start
/// with `~` so it is stored, loaded and committed with the tickets.
public struct ActionContext {
    /// The event the workflow fired on; its time is the action's "now".
    public let event: Event
    /// The workflow and step running the action.
    public let workflow: String
    public let step: String
    var projection: TicketProjection
    /// Set by the action to append a different event type than its spec's `emits`.
    public var emittedType: String?
    /// Set by the action to add facts to the follow-up event's `effect.details`
    /// (the guide suggested and its score, a recommendation's evidence).
    public var details: Value.Object = Value.Object()

    init(event: Event, workflow: String, step: String, projection: TicketProjection) {
        self.event = event
        self.workflow = workflow
        self.step = step
        self.projection = projection
    }

    public var now: Timestamp { event.occurredAt }

    /// Shared state under `key` (which must start with `~`).
    public func state(_ key: String) -> Value? {
        precondition(key.hasPrefix("~"), "shared state keys start with ~")
        return projection[key]
    }

    public mutating func setState(_ key: String, _ value: Value) {
        precondition(key.hasPrefix("~"), "shared state keys start with ~")
        projection[key] = value
    }
}
