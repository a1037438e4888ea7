import Core

/// One built-in function of the condition language. Adding a function is
/// adding an entry to `all`; the checker and the docs read the same table.
struct ConditionFunction: Sendable {
    /// What an argument must be at load time.
    enum Parameter: Sendable {
        /// A string (plain, enumeration or timestamp) or `any`.
        case text
        /// A string or a list.
        case textOrList
        /// A timestamp, or a string that will be parsed as one.
        case time
        case anything
        /// A field path under `ticket`, such as `ticket.priority`.
        case ticketField
    }

    enum Implementation: Sendable {
        case unary(@Sendable (Value?, EvaluationContext) -> Value?)
        case binary(@Sendable (Value?, Value?) -> Value?)
        /// `changed(path)` compares the ticket with the previous ticket.
        case changed
    }

    var name: String
    var parameters: [Parameter]
    var result: ExpressionType
    var implementation: Implementation

    static func named(_ name: String) -> ConditionFunction? {
        all.first { $0.name == name }
    }

    static let all: [ConditionFunction] = [
        ConditionFunction(name: "len", parameters: [.textOrList], result: .number, implementation: .unary { value, _ in
            switch value {
            case .string(let text)?: return .int(text.count)
            case .array(let items)?: return .int(items.count)
            default: return nil
            }
        }),
        ConditionFunction(name: "lower", parameters: [.text], result: .string, implementation: .unary { value, _ in
            value?.stringValue.map { .string($0.lowercased()) }
        }),
        ConditionFunction(name: "upper", parameters: [.text], result: .string, implementation: .unary { value, _ in
            value?.stringValue.map { .string($0.uppercased()) }
        }),
        ConditionFunction(name: "trim", parameters: [.text], result: .string, implementation: .unary { value, _ in
            value?.stringValue.map { .string(trimmed($0)) }
        }),
        ConditionFunction(name: "starts_with", parameters: [.text, .text], result: .bool,
                          implementation: .binary { text, prefix in
            guard let text = text?.stringValue, let prefix = prefix?.stringValue else { return .bool(false) }
            return .bool(text.hasPrefix(prefix))
        }),
        ConditionFunction(name: "ends_with", parameters: [.text, .text], result: .bool,
                          implementation: .binary { text, suffix in
            guard let text = text?.stringValue, let suffix = suffix?.stringValue else { return .bool(false) }
            return .bool(text.hasSuffix(suffix))
        }),
        ConditionFunction(name: "minutes_since", parameters: [.time], result: .number, implementation: .unary {
            elapsed($0, since: $1.now, unit: 60_000)
        }),
        ConditionFunction(name: "hours_since", parameters: [.time], result: .number, implementation: .unary {
            elapsed($0, since: $1.now, unit: 3_600_000)
        }),
        ConditionFunction(name: "days_since", parameters: [.time], result: .number, implementation: .unary {
            elapsed($0, since: $1.now, unit: 86_400_000)
        }),
        // Business time, from the calendar in `ticketflow.yaml` (`business_hours:`).
        ConditionFunction(name: "business_hours_since", parameters: [.time], result: .number, implementation: .unary {
            businessElapsed($0, since: $1, unit: 3_600_000)
        }),
        ConditionFunction(name: "business_minutes_since", parameters: [.time], result: .number, implementation: .unary {
            businessElapsed($0, since: $1, unit: 60_000)
        }),
        ConditionFunction(name: "exists", parameters: [.anything], result: .bool, implementation: .unary { value, _ in
            .bool(value.map { !$0.isNull } ?? false)
        }),
        ConditionFunction(name: "changed", parameters: [.ticketField], result: .bool, implementation: .changed),
    ]

    static var names: [String] { all.map(\.name) }

    /// Time from `value` to `now` in `unit` milliseconds; `nil` when `value` is not a timestamp.
    private static func elapsed(_ value: Value?, since now: Timestamp, unit: Double) -> Value? {
        guard let text = value?.stringValue, let time = Timestamp.parse(text) else { return nil }
        return .double(Double(now.millisecondsSinceEpoch - time.millisecondsSinceEpoch) / unit)
    }

    /// Business time from `value` to the context's `now`; `nil` without a
    /// calendar (the loader refuses such workflows) or a timestamp.
    private static func businessElapsed(_ value: Value?, since context: EvaluationContext, unit: Double) -> Value? {
        guard let calendar = context.calendar, let text = value?.stringValue, let time = Timestamp.parse(text) else {
            return nil
        }
        return .double(Double(calendar.businessDuration(from: time, to: context.now).milliseconds) / unit)
    }

    /// Functions that need a business-hours calendar.
    static let businessHoursFunctions = ["business_hours_since", "business_minutes_since"]

    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

extension Condition {
    /// Whether the condition calls a business-hours function, and so needs a
    /// calendar configured (`business_hours:` in `ticketflow.yaml`).
    public var needsBusinessCalendar: Bool {
        ConditionFunction.businessHoursFunctions.contains { source.contains($0 + "(") }
    }
}
