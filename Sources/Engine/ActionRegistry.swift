import Core
import Workflows

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
