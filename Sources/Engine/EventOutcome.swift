import Core

/// Everything the engine decided for one event, and for the events its
/// effects caused in turn.
public struct EventOutcome: Sendable {
    public var event: Event
    /// 0 for an incoming event, 1 for an effect of it, and so on.
    public var depth: Int
    /// One entry per workflow that listens to this event type, in run order.
    public var evaluations: [WorkflowEvaluation]
    /// Outcomes of the events this event's effects appended.
    public var cascade: [EventOutcome]
    /// Set when follow-up events were not processed because the cascade was too deep.
    public var cascadeStopped: Bool
    /// The follow-up events that were recorded but not processed, when the cascade stopped.
    public var unprocessedFollowUps: [Event] = []

    /// Every effect of this event and its cascade, depth first.
    public var allEffects: [Effect] {
        evaluations.flatMap(\.effects) + cascade.flatMap(\.allEffects)
    }

    public var firedWorkflows: [WorkflowEvaluation] { evaluations.filter { $0.result == .fired } }
}
