import Core
import Engine
import Workflows

/// The actions that ship with Ticketflow.
public enum BuiltinActions {
    /// Every built-in action; those that read guides use `knowledgeBases`,
    /// keyed by the folder they were loaded from.
    public static func all(knowledgeBases: [String: KnowledgeBase] = [:]) -> [any Action] {
        [
            TagAction(), UntagAction(), SetPriorityAction(), AssignAction(), EscalateAction(), AddNoteAction(),
            SuggestGuideAction(knowledgeBases: knowledgeBases),
            FileProductRecommendationAction(knowledgeBase: knowledgeBases[SuggestGuideAction.defaultFolder]),
        ]
    }

    /// A registry holding every built-in action, without guides: enough to
    /// validate workflows, and to run those that do not suggest guides.
    public static var registry: ActionRegistry { ActionRegistry(all()) }

    /// A registry whose guide actions use these knowledge bases.
    public static func registry(knowledgeBases: [String: KnowledgeBase]) -> ActionRegistry {
        ActionRegistry(all(knowledgeBases: knowledgeBases))
    }

    /// The guide folders a workflow set reads: every `from` of a
    /// `suggest_guide` step, and the default folder.
    public static func guideFolders(in workflows: WorkflowSet) -> [String] {
        var folders: Set<String> = []
        for workflow in workflows.workflows {
            for step in workflow.steps where step.action == "suggest_guide" {
                if case .constant(.string(let from))? = step.parameters.first(where: { $0.name == "from" })?.value {
                    folders.insert(SuggestGuideAction.folderKey(from))
                }
            }
        }
        return folders.sorted()
    }
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
