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

/// What produced an engine event: the triggering event, the workflow (and
/// the version of its file) and the step.
public struct Causation: Sendable, Hashable {
    public var eventID: String
    public var workflow: String
    public var workflowVersion: String
    public var step: String

    public init(eventID: String, workflow: String, workflowVersion: String, step: String) {
        self.eventID = eventID
        self.workflow = workflow
        self.workflowVersion = workflowVersion
        self.step = step
    }
}

/// What happened to one event offered to `EventStore.append`.
public enum AppendOutcome: Sendable, Hashable {
    case appended(position: Int64)
    /// The same event (same id, same body) is already stored at `position`.
    case duplicate(position: Int64)
    /// Another event with the same id but a different body is stored at `position`.
    case conflict(position: Int64)
}
