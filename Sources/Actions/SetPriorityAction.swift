import Core
import Engine
import Workflows

/// Sets the ticket's priority.
public struct SetPriorityAction: Action {
    public init() {}

    public let spec = ActionSpec(
        name: "set_priority", summary: "Set the ticket's priority.",
        parameters: [
            ParameterSpec("priority", .oneOf(EventSchema.priorities), required: true, summary: "The new priority.")
        ],
        shorthand: "priority", emits: "ticket.priority_changed")

    public func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
        guard let priority = parameters["priority"]?.stringValue?.trimmingWhitespace,
            EventSchema.priorities.contains(priority)
        else {
            let given = parameters["priority"].map { JSONWriter.string($0) } ?? "nothing"
            return .failed(
                message: "priority must be one of \(EventSchema.priorities.joined(separator: ", ")), got \(given)",
                retryable: false)
        }
        guard ticket["priority"]?.stringValue != priority else { return .unchanged(reason: "already \(priority)") }
        ticket.setField("priority", .string(priority))
        return .applied
    }
}
