import Core

/// The static type of a sub-expression, derived from the event schema.
indirect enum ExpressionType: Sendable, Equatable, CustomStringConvertible {
    case bool
    case number
    case string
    case timestamp
    /// A string restricted to ordered values (`ticket.priority`).
    case enumeration([String])
    case list(ExpressionType)
    case object
    case null
    /// Unknown until evaluation (`ticket.custom.*`, or after an error).
    case any

    init(_ field: FieldType) {
        switch field {
        case .string: self = .string
        case .int, .number: self = .number
        case .bool: self = .bool
        case .timestamp: self = .timestamp
        case .oneOf(let values): self = .enumeration(values)
        case .list(let element): self = .list(ExpressionType(element))
        case .object: self = .object
        case .any: self = .any
        }
    }

    init(literal value: Value) {
        switch value {
        case .null: self = .null
        case .bool: self = .bool
        case .int, .double: self = .number
        case .string: self = .string
        case .array: self = .list(.any)
        case .object: self = .object
        }
    }

    /// Strings at run time: plain strings, enumerations and timestamps.
    var isStringLike: Bool {
        switch self {
        case .string, .enumeration, .timestamp: return true
        default: return false
        }
    }

    var description: String {
        switch self {
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .timestamp: return "timestamp"
        case .enumeration: return "string"
        case .list(let element): return element == .any ? "list" : "list of \(element)"
        case .object: return "object"
        case .null: return "null"
        case .any: return "any"
        }
    }
}
