import Core

/// One entry of the event log: an event as stored, with its place in the
/// log and, for events the engine appended, what caused it.
public struct LogRecord: Sendable, Hashable {
    /// Global position, contiguous from 1, in the order records were appended.
    public var position: Int64
    public var event: Event
    /// When the log stored it (the event's own time is `event.occurredAt`).
    public var recordedAt: Timestamp
    /// Set for events the engine appended as the effect of a workflow step.
    public var causation: Causation?

    public init(position: Int64, event: Event, recordedAt: Timestamp, causation: Causation?) {
        self.position = position
        self.event = event
        self.recordedAt = recordedAt
        self.causation = causation
    }

    public var isIncoming: Bool { causation == nil }
}
