import Core
import Engine
import Workflows

/// Adds a note to the ticket: internal for agents by default, or a public
/// reply to the customer.
public struct AddNoteAction: Action {
    public init() {}

    public let spec = ActionSpec(
        name: "add_note", summary: "Add an internal note, or a public reply, to the ticket.",
        parameters: [
            ParameterSpec("body", .string, required: true, summary: "The note's text."),
            ParameterSpec("public", .bool, default: false, summary: "Whether the customer sees it."),
        ],
        shorthand: "body", emits: "ticket.noted")

    public func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
        let body = parameters["body"]?.stringValue ?? ""
        guard !body.trimmingWhitespace.isEmpty else { return .failed(message: "`body` rendered empty", retryable: false) }
        return .applied
    }
}
