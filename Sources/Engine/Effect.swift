import Core

/// What one step of one workflow did (or would do) for one event: data that
/// an executor records or applies.
public struct Effect: Sendable, Hashable {
    /// Unique per (trigger event, workflow, step): applying an effect twice is impossible by key.
    public var key: EffectKey
    public var workflowVersion: String
    public var action: String
    /// Parameters after template rendering.
    public var parameters: Value.Object
    public var ticketID: String
    public var outcome: ActionOutcome
    /// The event the engine appended for it, if any.
    public var followUpEventID: String?
    /// Facts the action added (the guide suggested, a recommendation's evidence).
    public var details: Value.Object = Value.Object()
}
