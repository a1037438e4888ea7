import Core

/// An action's effect as recorded in the log. Its key (trigger event,
/// workflow, step) is unique: a store never records the same effect twice.
public struct EffectRecord: Sendable, Hashable {
    public var eventID: String
    public var workflow: String
    public var step: String
    public var workflowVersion: String
    public var ticketID: String
    public var action: String
    /// Rendered parameters.
    public var parameters: Value
    /// `applied`, `unchanged` or `failed`.
    public var outcome: String
    /// Why it was unchanged, or the error.
    public var detail: String?
    public var followUpEventID: String?
    public var recordedAt: Timestamp

    public init(
        eventID: String, workflow: String, step: String, workflowVersion: String, ticketID: String, action: String,
        parameters: Value, outcome: String, detail: String?, followUpEventID: String?, recordedAt: Timestamp
    ) {
        self.eventID = eventID
        self.workflow = workflow
        self.step = step
        self.workflowVersion = workflowVersion
        self.ticketID = ticketID
        self.action = action
        self.parameters = parameters
        self.outcome = outcome
        self.detail = detail
        self.followUpEventID = followUpEventID
        self.recordedAt = recordedAt
    }
}
