import Core
import Engine
import Workflows

/// A plugin's action as the engine sees it. The engine's `apply` is
/// synchronous and deterministic, so it never calls the plugin: it records
/// the request as a `plugin.requested` event (the outbox), and the
/// `PluginDispatcher` sends it later. Dry-run and test stop there.
public struct PluginAction: Action {
    public let spec: ActionSpec
    public let plugin: String
    public let action: String

    public init(plugin: PluginManifest, action: PluginManifest.Action) {
        self.spec = action.spec
        self.plugin = plugin.name
        self.action = action.name
    }

    public func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
        // A templated `enum` value is only known now.
        for parameter in spec.parameters {
            guard case .oneOf(let allowed) = parameter.kind, let text = parameters[parameter.name]?.stringValue else { continue }
            if !allowed.contains(text) {
                return .failed(
                    message: "`\(spec.name).\(parameter.name)` rendered as \"\(text)\", not one of \(allowed.joined(separator: ", "))",
                    retryable: false)
            }
        }
        context.details = Value.Object([("plugin", .string(plugin)), ("plugin_action", .string(action))])
        return .applied
    }
}
