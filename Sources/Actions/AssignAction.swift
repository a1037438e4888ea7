import Core
import Engine
import Workflows

/// Assigns the ticket to an agent, and optionally to a group.
public struct AssignAction: Action {
    public init() {}

    public let spec = ActionSpec(
        name: "assign", summary: "Assign the ticket to an agent (and optionally a group).",
        parameters: [
            ParameterSpec("to", .string, required: true, summary: "The agent, by id or email."),
            ParameterSpec("group", .string, summary: "The group the ticket moves to."),
        ],
        shorthand: "to", emits: "ticket.assigned")

    public func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
        let agent = parameters["to"]?.stringValue?.trimmingWhitespace ?? ""
        guard !agent.isEmpty else { return .failed(message: "`to` rendered empty", retryable: false) }
        let group = parameters["group"]?.stringValue?.trimmingWhitespace
        let sameAgent = ticket["assignee"]?.stringValue == agent
        let sameGroup = group == nil || group == "" || ticket["group"]?.stringValue == group
        guard !(sameAgent && sameGroup) else { return .unchanged(reason: "already assigned to \(agent)") }
        ticket.setField("assignee", .string(agent))
        if let group, !group.isEmpty { ticket.setField("group", .string(group)) }
        return .applied
    }
}
