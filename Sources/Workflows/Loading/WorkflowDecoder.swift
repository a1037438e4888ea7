import Core
import Foundation

/// Turns one file's YAML tree into a `Workflow`, checking its structure, its
/// conditions and templates, and its steps against the action catalog.
/// Every problem is collected; the workflow is returned only if there are none.
public struct WorkflowDecoder {
    public static let keys = ["workflow", "description", "on", "if", "steps", "order", "stop", "enabled"]
    static let stepKeys = ["if", "id"]

    let catalog: ActionCatalog
    let file: String
    let lines: [Substring]
    let version: String
    var diagnostics: [Diagnostic] = []

    /// - Parameters:
    ///   - text: the file's text, used to point into block scalars.
    ///   - version: a short hash of the file, recorded with every effect.
    public init(catalog: ActionCatalog, file: String, text: String, version: String) {
        self.catalog = catalog
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.version = version
    }

    public mutating func decode(_ root: YAMLNode) -> (Workflow?, [Diagnostic]) {
        guard let mapping = MappingReader(root, context: "workflow", allowed: Self.keys, diagnostics: &diagnostics) else {
            return (nil, diagnostics)
        }
        var name = ""
        if let node = mapping.require("workflow", diagnostics: &diagnostics), let text = string(node, "workflow") {
            if Self.isValidName(text) {
                name = text
            } else {
                diagnostics.append(Diagnostic(
                    .invalidName,
                    "workflow name `\(text)` must start with a lowercase letter or digit and use only a-z, 0-9, - and _",
                    at: node.location))
            }
        }
        let description = mapping["description"].flatMap { string($0, "description") }
        var triggers: [Trigger] = []
        if let node = mapping.require("on", diagnostics: &diagnostics) { triggers = decodeTriggers(node) }
        let condition = mapping["if"].flatMap { compileCondition($0) }
        var steps: [Step] = []
        if let node = mapping.require("steps", diagnostics: &diagnostics) { steps = decodeSteps(node) }
        let order = mapping["order"].flatMap { integer($0, "order") }
        let stop = mapping["stop"].flatMap { boolean($0, "stop") } ?? false
        let enabled = mapping["enabled"].flatMap { boolean($0, "enabled") } ?? true
        if !enabled, let node = mapping["enabled"] {
            diagnostics.append(Diagnostic(
                .workflowDisabled, "workflow `\(name)` is disabled and will not run", at: node.location, severity: .warning))
        }
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        let workflow = Workflow(
            name: name, description: description, file: file, location: root.location, version: version,
            triggers: triggers, condition: condition, steps: steps, order: order, stopsLaterWorkflows: stop,
            enabled: enabled)
        return (workflow, diagnostics)
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (97...122).contains(first) || (48...57).contains(first) else { return false }
        return name.utf8.count <= 100
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 95 }
    }

    // MARK: Triggers

    private mutating func decodeTriggers(_ node: YAMLNode) -> [Trigger] {
        switch node.kind {
        case .scalar:
            return decodeEventTrigger(node).map { [$0] } ?? []
        case .sequence(let items):
            if items.isEmpty {
                diagnostics.append(Diagnostic(.wrongType, "`on` needs at least one event type", at: node.location))
            }
            return items.compactMap { item in
                guard item.scalarText != nil else {
                    diagnostics.append(Diagnostic(
                        .wrongType, "each entry of `on` must be an event type, got a \(item.kindName)", at: item.location))
                    return nil
                }
                return decodeEventTrigger(item)
            }
        case .mapping(let pairs):
            var triggers: [Trigger] = []
            for pair in pairs {
                let key = pair.key.scalarText ?? ""
                if key == "idle" {
                    if let text = pair.value.scalarText, let span = TimeSpan.parse(text), span.milliseconds > 0 {
                        triggers.append(.idle(span))
                    } else {
                        diagnostics.append(Diagnostic(
                            .invalidDuration, "`idle` must be a duration such as 30m, 4h or 2d, got \(Self.describe(pair.value))",
                            at: pair.value.location))
                    }
                } else if key == "schedule" {
                    guard let text = pair.value.scalarText else {
                        diagnostics.append(Diagnostic(
                            .wrongType, "`schedule` must be text such as \"every 15m\" or \"0 9 * * mon-fri\"",
                            at: pair.value.location))
                        continue
                    }
                    let zoneName = pairs.first { $0.key.scalarText == "time_zone" }?.value.scalarText ?? "UTC"
                    guard let zone = TimeZone(identifier: zoneName) else { continue }
                    switch Schedule.parse(text, timeZone: zone) {
                    case .success(let schedule): triggers.append(.schedule(schedule))
                    case .failure(let error):
                        let start = ScalarLocator(node: pair.value, lines: lines).location(ofOffset: 0)
                        diagnostics.append(Diagnostic(
                            .invalidSchedule, error.message, at: error.location(inTextAt: start), hint: error.hint))
                    }
                } else if key == "time_zone" {
                    let name = pair.value.scalarText ?? ""
                    if TimeZone(identifier: name) == nil {
                        diagnostics.append(Diagnostic(
                            .invalidSchedule, "unknown time zone `\(name)` (use an IANA name such as Europe/Berlin)",
                            at: pair.value.location))
                    } else if !pairs.contains(where: { $0.key.scalarText == "schedule" }) {
                        diagnostics.append(Diagnostic(.wrongType, "`time_zone` goes with `schedule`", at: pair.key.location))
                    }
                } else {
                    diagnostics.append(Diagnostic(
                        .unknownKey, "unknown trigger `\(key)`", at: pair.key.location,
                        hint: Suggestion.hint(for: key, in: ["idle", "schedule", "time_zone"])))
                }
            }
            return triggers
        }
    }

    private mutating func decodeEventTrigger(_ node: YAMLNode) -> Trigger? {
        guard let type = node.scalarText else { return nil }
        let known = EventSchema.knownTypes + catalog.emittedTypes
        if type.hasSuffix(".*") {
            let family = type.dropLast(2)
            if known.contains(where: { $0.hasPrefix(family + ".") }) { return .event(type) }
        } else if known.contains(type) {
            return .event(type)
        }
        diagnostics.append(Diagnostic(
            .unknownEventType, "unknown event type `\(type)`", at: node.location,
            hint: Suggestion.hint(for: type, in: Set(known))))
        return nil
    }

    // MARK: Steps

    private mutating func decodeSteps(_ node: YAMLNode) -> [Step] {
        guard let items = node.items else {
            diagnostics.append(Diagnostic(.wrongType, "`steps` must be a list of steps, got a \(node.kindName)", at: node.location))
            return []
        }
        if items.isEmpty {
            diagnostics.append(Diagnostic(.wrongType, "`steps` needs at least one step", at: node.location))
        }
        var seenIDs: [String: SourceLocation] = [:]
        var steps: [Step] = []
        for (index, item) in items.enumerated() {
            guard let step = decodeStep(item, position: index + 1) else { continue }
            if let first = seenIDs[step.id] {
                diagnostics.append(Diagnostic(
                    .duplicateStepID, "step id `\(step.id)` is already used by the step at line \(first.line)",
                    at: step.location))
            }
            seenIDs[step.id] = step.location
            steps.append(step)
        }
        return steps
    }

    private mutating func decodeStep(_ node: YAMLNode, position: Int) -> Step? {
        guard let pairs = node.pairs else {
            diagnostics.append(Diagnostic(
                .stepShape, "a step must be a mapping such as `- tag: urgent`, got a \(node.kindName)", at: node.location))
            return nil
        }
        var actionPairs: [YAMLNode.Pair] = []
        var condition: Condition?
        var id = String(position)
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            switch key {
            case "if":
                condition = compileCondition(pair.value)
            case "id":
                if let text = string(pair.value, "id") {
                    if Self.isValidName(text) {
                        id = text
                    } else {
                        diagnostics.append(Diagnostic(
                            .invalidName, "step id `\(text)` must use only a-z, 0-9, - and _", at: pair.value.location))
                    }
                }
            default:
                // A misspelled `if`/`id` next to the action is a typo, not a second action.
                if catalog[key] == nil, let near = Suggestion.closest(to: key, in: Self.stepKeys),
                    Suggestion.closest(to: key, in: catalog.names) == nil
                {
                    diagnostics.append(Diagnostic(
                        .unknownKey, "unknown key `\(key)` in step", at: pair.key.location, hint: "did you mean `\(near)`?"))
                } else {
                    actionPairs.append(pair)
                }
            }
        }
        guard actionPairs.count == 1, let actionPair = actionPairs.first else {
            if actionPairs.isEmpty, diagnostics.last?.code == .unknownKey, diagnostics.last?.location?.line ?? 0 >= node.location.line {
                return nil
            }
            if actionPairs.isEmpty {
                diagnostics.append(Diagnostic(
                    .stepShape, "step has no action; expected one of \(catalog.names.map { "`\($0)`" }.joined(separator: ", "))",
                    at: node.location))
            } else {
                let names = actionPairs.map { "`\($0.key.scalarText ?? "")`" }.joined(separator: ", ")
                diagnostics.append(Diagnostic(
                    .stepShape, "step has more than one action (\(names)); give each its own step",
                    at: actionPairs[1].key.location))
            }
            return nil
        }
        let action = actionPair.key.scalarText ?? ""
        guard let spec = catalog[action] else {
            let candidates = catalog.names + Self.stepKeys
            let message = action.contains(".")
                ? "unknown plugin action `\(action)`" : "unknown action `\(action)`"
            diagnostics.append(Diagnostic(
                .unknownAction, message, at: actionPair.key.location,
                hint: Suggestion.hint(for: action, in: candidates)))
            return nil
        }
        let parameters = ParameterDecoder.decode(
            actionPair.value, spec: spec, lines: lines, diagnostics: &diagnostics)
        for check in spec.checks {
            diagnostics += check.problems(in: parameters, action: spec.name)
        }
        return Step(id: id, action: action, parameters: parameters, condition: condition, location: actionPair.key.location)
    }

    // MARK: Scalars

    private mutating func compileCondition(_ node: YAMLNode) -> Condition? {
        guard let text = node.scalarText else {
            diagnostics.append(Diagnostic(.wrongType, "`if` must be an expression, got a \(node.kindName)", at: node.location))
            return nil
        }
        let locator = ScalarLocator(node: node, lines: lines)
        switch Condition.compile(text, locate: locator.location(ofOffset:)) {
        case .success(let condition): return condition
        case .failure(let error):
            diagnostics.append(contentsOf: error.diagnostics)
            return nil
        }
    }

    private mutating func string(_ node: YAMLNode, _ key: String) -> String? {
        if let text = node.scalarText { return text }
        diagnostics.append(Diagnostic(.wrongType, "`\(key)` must be text, got a \(node.kindName)", at: node.location))
        return nil
    }

    private mutating func boolean(_ node: YAMLNode, _ key: String) -> Bool? {
        if node.isPlainScalar, let text = node.scalarText {
            if text == "true" { return true }
            if text == "false" { return false }
        }
        diagnostics.append(Diagnostic(
            .wrongType, "`\(key)` must be true or false, got \(Self.describe(node))", at: node.location))
        return nil
    }

    private mutating func integer(_ node: YAMLNode, _ key: String) -> Int? {
        if node.isPlainScalar, let text = node.scalarText, let number = Int(text) { return number }
        diagnostics.append(Diagnostic(
            .wrongType, "`\(key)` must be a whole number, got \(Self.describe(node))", at: node.location))
        return nil
    }

    static func describe(_ node: YAMLNode) -> String {
        if let text = node.scalarText { return "\"\(text)\"" }
        return "a \(node.kindName)"
    }
}
