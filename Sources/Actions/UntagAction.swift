import Core
import Engine
import Workflows

/// Removes tags from the ticket.
public struct UntagAction: Action {
    public init() {}

    public let spec = ActionSpec(
        name: "untag", summary: "Remove one or more tags from the ticket.",
        parameters: [ParameterSpec("tags", .list(.string), required: true, summary: "Tags to remove.")],
        shorthand: "tags", emits: "ticket.untagged")

    public func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
        let unwanted = Set(Value.strings(parameters["tags"]))
        let tags = ticket.tagList
        let kept = tags.filter { !unwanted.contains($0) }
        guard kept.count != tags.count else { return .unchanged(reason: "no such tag") }
        ticket.setField("tags", .array(kept.map(Value.string)))
        return .applied
    }
}
