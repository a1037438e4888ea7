import Core

/// One parameter of an action: its name, type, whether it is required and
/// its default. The same spec checks a step when a workflow is loaded,
/// documents the action and feeds `ticketflow schema`.
public struct ParameterSpec: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// Text, rendered as a template when the step runs.
        case string
        /// One of a fixed set of words; may also be a template, checked after rendering.
        case oneOf([String])
        case bool
        case int
        case number
        case duration
        case list(Kind)
        case object([ParameterSpec])

        public var description: String {
            switch self {
            case .string: "string"
            case .oneOf(let values): "one of " + values.joined(separator: ", ")
            case .bool: "boolean (true or false)"
            case .int: "integer"
            case .number: "number"
            case .duration: "duration (e.g. 30m, 4h, 7d)"
            case .list(let element): "list of \(element)"
            case .object: "mapping"
            }
        }
    }

    public var name: String
    public var kind: Kind
    public var required: Bool
    public var defaultValue: Value?
    public var summary: String

    public init(_ name: String, _ kind: Kind, required: Bool = false, default defaultValue: Value? = nil, summary: String) {
        self.name = name
        self.kind = kind
        self.required = required
        self.defaultValue = defaultValue
        self.summary = summary
    }
}
