import Core
import Engine
import Workflows

/// The actions that ship with Ticketflow.
public enum BuiltinActions {
    public static let all: [any Action] = [
        TagAction(), UntagAction(), SetPriorityAction(), AssignAction(), EscalateAction(), AddNoteAction(),
    ]

    /// A registry holding every built-in action.
    public static var registry: ActionRegistry { ActionRegistry(all) }
}

extension Value {
    /// The ticket's tags as strings (missing or malformed tags read as none).
    var tagList: [String] {
        (self["tags"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    mutating func setField(_ name: String, _ value: Value) {
        guard case .object(var object) = self else { return }
        object[name] = value
        self = .object(object)
    }

    /// The rendered strings of a list parameter, trimmed, empty ones dropped.
    static func strings(_ value: Value?) -> [String] {
        switch value {
        case .string(let text)?: [text.trimmingWhitespace].filter { !$0.isEmpty }
        case .array(let items)?: items.compactMap { $0.stringValue?.trimmingWhitespace }.filter { !$0.isEmpty }
        default: []
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
