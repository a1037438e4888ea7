import Core
import Workflows

/// Something a workflow step can do to a ticket. Built-in actions are Swift
/// values conforming to this; the engine calls `apply` with the step's
/// rendered parameters and the ticket as the log currently sees it.
public protocol Action: Sendable {
    var spec: ActionSpec { get }
    /// Changes `ticket` (the projection) and says what happened. Must be
    /// deterministic: a dry-run and a real run of the same events agree.
    /// `context` gives the triggering event (and so the time) and the state
    /// shared across tickets, for actions that look beyond one ticket.
    func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome
}
