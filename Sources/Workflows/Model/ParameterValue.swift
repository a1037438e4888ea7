import Core

/// A parameter's value before rendering.
public indirect enum ParameterValue: Sendable, Hashable {
    case template(Template)
    case constant(Value)
    case list([ParameterValue])
    case object([ParameterBinding])

    /// Renders templates against the scope; constants pass through.
    public func render(_ scope: TemplateScope) -> Value {
        switch self {
        case .template(let template): .string(template.render(scope))
        case .constant(let value): value
        case .list(let items): .array(items.map { $0.render(scope) })
        case .object(let bindings):
            .object(Value.Object(bindings.map { ($0.name, $0.value.render(scope)) }))
        }
    }
}
