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

    /// Called before a batch of events is processed, with the ticket each
    /// event will find (its fields merged in), so that costly work that
    /// `apply` would do one ticket at a time (reading the meaning of a
    /// ticket's text) is done for all of them at once, on every core. It
    /// must not change what `apply` decides: `apply` works the same whether
    /// it was called or not.
    func prepare(tickets: [Value])
}

extension Action {
    public func prepare(tickets: [Value]) {}
}
