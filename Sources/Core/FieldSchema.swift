/// The type of a field that workflows may read, used to type-check `if:`
/// expressions and template variables when workflows are loaded.
public indirect enum FieldType: Sendable, Hashable, CustomStringConvertible {
    case string
    case int
    case number
    case bool
    /// An RFC 3339 time, carried as a string in JSON.
    case timestamp
    /// A string limited to a fixed set of values; the order is meaningful
    /// (ticket priorities compare as `low < normal < high < urgent`).
    case oneOf([String])
    case list(FieldType)
    case object(ObjectSchema)
    /// Anything: free-form fields such as `ticket.custom.*`.
    case any

    public var description: String {
        switch self {
        case .string: "string"
        case .int: "integer"
        case .number: "number"
        case .bool: "boolean"
        case .timestamp: "timestamp"
        case .oneOf(let values): "one of " + values.map { "\"\($0)\"" }.joined(separator: ", ")
        case .list(let element): "list of \(element)"
        case .object: "object"
        case .any: "any"
        }
    }
}

/// The known fields of an object. An open object also accepts names it does
/// not list (their type is `any`); a closed one rejects them with a suggestion.
public struct ObjectSchema: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var type: FieldType
        /// Whether the field may be missing or `null` in an event.
        public var optional: Bool
        public var required: Bool { !optional }

        public init(_ name: String, _ type: FieldType, optional: Bool = true) {
            self.name = name
            self.type = type
            self.optional = optional
        }
    }

    public var fields: [Field]
    public var isOpen: Bool

    public init(_ fields: [Field], open: Bool = false) {
        self.fields = fields
        self.isOpen = open
    }

    public func field(named name: String) -> Field? {
        fields.first { $0.name == name }
    }

    public var fieldNames: [String] { fields.map(\.name) }
}

/// The schema of everything a workflow can see: `event`, `ticket` and
/// `previous` (the ticket as it was before this event).
public enum EventSchema {
    public static let priorities = ["low", "normal", "high", "urgent"]
    public static let statuses = ["new", "open", "pending", "hold", "solved", "closed"]
    public static let authorRoles = ["end_user", "agent", "system"]

    public static let requester = ObjectSchema([
        .init("id", .string),
        .init("email", .string),
        .init("name", .string),
        .init("plan", .string),
        .init("organization", .string),
        .init("locale", .string),
        .init("phone", .string),
    ])

    public static let ticket = ObjectSchema([
        .init("id", .string, optional: false),
        .init("subject", .string),
        .init("description", .string),
        .init("status", .oneOf(statuses)),
        .init("priority", .oneOf(priorities)),
        .init("channel", .string),
        .init("tags", .list(.string)),
        .init("product_area", .string),
        .init("requester", .object(requester)),
        .init("assignee", .string),
        .init("group", .string),
        .init("created_at", .timestamp),
        .init("updated_at", .timestamp),
        .init("custom", .object(ObjectSchema([], open: true))),
        // Kept by the engine: guides already suggested on this ticket.
        .init("suggested_guides", .list(.string)),
        // Kept by the engine: recommendations this ticket was added to after filing.
        .init("recommendations", .list(.string)),
    ])

    public static let comment = ObjectSchema([
        .init("author_role", .oneOf(authorRoles)),
        .init("body", .string),
        .init("public", .bool),
    ])

    public static let rating = ObjectSchema([
        .init("score", .oneOf(["good", "bad"])),
        .init("comment", .string),
    ])

    /// What the engine records about its own effect on `ticket.tagged` and
    /// the other engine events: the workflow and step, and the action's
    /// rendered parameters.
    public static let effect = ObjectSchema([
        .init("workflow", .string),
        .init("step", .string),
        .init("action", .string),
        .init("params", .object(ObjectSchema([], open: true))),
        .init("details", .object(ObjectSchema([], open: true))),
        .init("error", .string),
    ])

    /// What a `ticket.idle` event says about the timer that fired it.
    public static let timer = ObjectSchema([
        .init("workflow", .string),
        .init("idle_for", .string),
        .init("armed_by", .string),
        .init("due", .timestamp),
    ])

    /// What a `ticket.scheduled` event says about the tick that ran it.
    public static let schedule = ObjectSchema([
        .init("workflow", .string),
        .init("expression", .string),
        .init("tick", .timestamp),
    ])

    public static let event = ObjectSchema([
        .init("id", .string, optional: false),
        .init("type", .string, optional: false),
        .init("occurred_at", .timestamp, optional: false),
        .init("source", .string),
        .init("comment", .object(comment)),
        .init("rating", .object(rating)),
        .init("effect", .object(effect)),
        .init("timer", .object(timer)),
        .init("schedule", .object(schedule)),
        .init("ticket", .object(ticket), optional: false),
    ], open: true)

    /// The roots a condition or template may name.
    public static let root = ObjectSchema([
        .init("event", .object(event), optional: false),
        .init("ticket", .object(ticket), optional: false),
        .init("previous", .object(ObjectSchema([.init("ticket", .object(ticket))]))),
    ])

    /// Event types the help desk sends in.
    public static let incomingTypes = [
        "ticket.created", "ticket.updated", "ticket.commented", "ticket.solved", "ticket.reopened", "ticket.rated",
    ]

    /// Event types the engine appends to record what it did.
    public static let engineTypes = [
        "ticket.tagged", "ticket.untagged", "ticket.priority_changed", "ticket.assigned", "ticket.escalated",
        "ticket.noted", "workflow.failed", "guide.suggested", "recommendation.filed", "recommendation.updated", "ticket.idle", "ticket.scheduled",
    ]

    public static var knownTypes: [String] { incomingTypes + engineTypes }

    /// Looks up the type of a dotted path from the root, e.g.
    /// `["ticket", "requester", "plan"]`. Returns `nil` with the index of the
    /// first unknown segment when the path does not exist.
    public static func type(of path: [String], in schema: ObjectSchema = root) -> Result<FieldType, PathError> {
        var current: FieldType = .object(schema)
        for (index, segment) in path.enumerated() {
            switch current {
            case .object(let object):
                if let field = object.field(named: segment) {
                    current = field.type
                } else if object.isOpen {
                    current = .any
                } else {
                    return .failure(PathError(segmentIndex: index, candidates: object.fieldNames))
                }
            case .list(let element):
                guard Int(segment) != nil else {
                    return .failure(PathError(segmentIndex: index, candidates: []))
                }
                current = element
            case .any:
                return .success(.any)
            default:
                return .failure(PathError(segmentIndex: index, candidates: []))
            }
        }
        return .success(current)
    }

    public struct PathError: Error, Sendable, Hashable {
        /// The first segment that does not exist.
        public var segmentIndex: Int
        /// The names that would have been valid there, for did-you-mean.
        public var candidates: [String]
    }
}
