import Core
import Engine
import Workflows

/// Moves the ticket to a higher-tier queue (a group), with a reason the
/// receiving team sees.
public struct EscalateAction: Action {
    public init() {}

    public let spec = ActionSpec(
        name: "escalate", summary: "Escalate the ticket to another queue, with a reason.",
        parameters: [
            ParameterSpec("to", .string, required: true, summary: "The queue (group) that takes the ticket."),
            ParameterSpec("reason", .string, summary: "Why, in words the receiving team reads."),
        ],
        shorthand: "to", emits: "ticket.escalated")

    public func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
        let queue = parameters["to"]?.stringValue?.trimmingWhitespace ?? ""
        guard !queue.isEmpty else { return .failed(message: "`to` rendered empty", retryable: false) }
        guard ticket["group"]?.stringValue != queue else { return .unchanged(reason: "already in \(queue)") }
        ticket.setField("group", .string(queue))
        return .applied
    }
}
