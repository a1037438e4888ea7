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

/// What one action did.
public enum ActionOutcome: Sendable, Hashable {
    /// The action took effect; the engine appends the spec's `emits` event.
    case applied
    /// Nothing to do (the tag was already there); no follow-up event.
    case unchanged(reason: String)
    case failed(message: String, retryable: Bool)
}

/// The actions the engine may run, by name. Built where the program is put
/// together; tests build small ones.
public struct ActionRegistry: Sendable {
    private var actions: [String: any Action] = [:]

    public init(_ actions: [any Action] = []) {
        for action in actions { self.actions[action.spec.name] = action }
    }

    public subscript(name: String) -> (any Action)? { actions[name] }

    /// The specs, for loading and validating workflows against this registry.
    public var catalog: ActionCatalog { ActionCatalog(actions.values.map(\.spec)) }
}
