import Core

/// A JSON Schema of the workflow format, derived from the action catalog, so
/// editors using yaml-language-server complete and check workflow files.
public enum WorkflowJSONSchema {
    public static func make(catalog: ActionCatalog) -> Value {
        let eventTypes = (EventSchema.knownTypes + catalog.emittedTypes).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        let families = Set(eventTypes.compactMap { $0.split(separator: ".").first.map { "\($0).*" } }).sorted()
        let eventType: Value = .object(Value.Object([
            ("type", "string"), ("enum", .array((eventTypes + families).map(Value.string))),
        ]))
        var actionSchemas: [Value] = []
        for name in catalog.names {
            guard let spec = catalog[name] else { continue }
            var properties = Value.Object([
                (name, parametersSchema(spec)),
                ("if", .object(Value.Object([("type", "string"), ("description", "Run this step only when the condition holds.")]))),
                ("id", .object(Value.Object([("type", "string"), ("pattern", "^[a-z0-9][a-z0-9_-]*$")]))),
            ])
            properties[name] = parametersSchema(spec)
            actionSchemas.append(.object(Value.Object([
                ("type", "object"), ("description", .string(spec.summary)),
                ("properties", .object(properties)), ("required", [.string(name)]), ("additionalProperties", false),
            ])))
        }
        let properties = Value.Object([
            ("workflow", .object(Value.Object([
                ("type", "string"), ("pattern", "^[a-z0-9][a-z0-9_-]*$"), ("description", "The workflow's unique name."),
            ]))),
            ("description", .object(Value.Object([("type", "string")]))),
            ("on", .object(Value.Object([
                ("description", "Event types that trigger the workflow."),
                ("oneOf", [eventType, .object(Value.Object([("type", "array"), ("items", eventType), ("minItems", 1)]))]),
            ]))),
            ("if", .object(Value.Object([("type", "string"), ("description", "A condition; see docs/expressions.md.")]))),
            ("steps", .object(Value.Object([("type", "array"), ("minItems", 1), ("items", .object(Value.Object([("oneOf", .array(actionSchemas))])))]))),
            ("order", .object(Value.Object([("type", "integer"), ("description", "Position in the run order (lower first).")]))),
            ("stop", .object(Value.Object([("type", "boolean"), ("description", "When this workflow fires, later workflows do not run for the event.")]))),
            ("enabled", .object(Value.Object([("type", "boolean")]))),
        ])
        return .object(Value.Object([
            ("$schema", "http://json-schema.org/draft-07/schema#"),
            ("title", "Ticketflow workflow"),
            ("type", "object"),
            ("properties", .object(properties)),
            ("required", ["workflow", "on", "steps"]),
            ("additionalProperties", false),
        ]))
    }

    private static func parametersSchema(_ spec: ActionSpec) -> Value {
        var object = Value.Object([
            ("type", "object"),
            ("properties", .object(Value.Object(spec.parameters.map { ($0.name, schema(for: $0)) }))),
            ("additionalProperties", false),
        ])
        let required = spec.parameters.filter(\.required).map { Value.string($0.name) }
        if !required.isEmpty { object["required"] = .array(required) }
        guard let shorthand = spec.shorthand, let parameter = spec.parameter(named: shorthand) else { return .object(object) }
        return .object(Value.Object([("anyOf", [.object(object), kindSchema(parameter.kind)])]))
    }

    private static func schema(for parameter: ParameterSpec) -> Value {
        guard case .object(var object) = kindSchema(parameter.kind) else { return kindSchema(parameter.kind) }
        object["description"] = .string(parameter.summary)
        if let defaultValue = parameter.defaultValue { object["default"] = defaultValue }
        return .object(object)
    }

    private static func kindSchema(_ kind: ParameterSpec.Kind) -> Value {
        switch kind {
        case .string: .object(Value.Object([("type", "string")]))
        case .oneOf(let values): .object(Value.Object([("type", "string"), ("examples", .array(values.map(Value.string)))]))
        case .bool: .object(Value.Object([("type", "boolean")]))
        case .int: .object(Value.Object([("type", "integer")]))
        case .number: .object(Value.Object([("type", "number")]))
        case .duration: .object(Value.Object([("type", "string"), ("pattern", "^([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$")]))
        case .list(let element): .object(Value.Object([("anyOf", [kindSchema(element), .object(Value.Object([("type", "array"), ("items", kindSchema(element))]))])]))
        case .object(let fields):
            .object(Value.Object([
                ("type", "object"), ("properties", .object(Value.Object(fields.map { ($0.name, schema(for: $0)) }))),
                ("additionalProperties", false),
            ]))
        }
    }
}
