import Core
import Engine
import Workflows

/// Adds tags to the ticket. Tags already present are left as they are.
public struct TagAction: Action {
    public init() {}

    public let spec = ActionSpec(
        name: "tag", summary: "Add one or more tags to the ticket.",
        parameters: [ParameterSpec("tags", .list(.string), required: true, summary: "Tags to add.")],
        shorthand: "tags", emits: "ticket.tagged")

    public func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
        let wanted = Value.strings(parameters["tags"])
        if let bad = wanted.first(where: { $0.contains(where: \.isWhitespace) }) {
            return .failed(message: "tag \"\(bad)\" contains whitespace", retryable: false)
        }
        var tags = ticket.tagList
        let missing = wanted.filter { !tags.contains($0) }
        guard !missing.isEmpty else { return .unchanged(reason: "already tagged") }
        for tag in missing where !tags.contains(tag) { tags.append(tag) }
        ticket.setField("tags", .array(tags.map(Value.string)))
        return .applied
    }
}
