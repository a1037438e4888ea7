import Core
import Foundation

/// Reads a `*.test.yaml` file into test cases, with every problem reported
/// as `file:line:col` like workflow files.
public enum WorkflowTestFile {
    static let fileKeys = ["workflows", "tests"]
    static let caseKeys = ["name", "ticket", "events", "expect", "start", "workflows"]
    static let expectationKeys = ["workflow", "result"]

    public static func load(_ path: String, catalog: ActionCatalog) -> ([WorkflowTestCase], [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return ([], [Diagnostic(.unreadableFile, "cannot read \(path)", at: nil)])
        }
        let root: YAMLNode
        do {
            root = try YAMLReader.read([UInt8](data), file: path)
        } catch {
            return ([], error.diagnostics)
        }
        var diagnostics: [Diagnostic] = []
        guard let pairs = root.pairs else {
            return ([], [Diagnostic(.testShape, "a test file must be a mapping with `tests:`", at: root.location)])
        }
        for pair in pairs where !fileKeys.contains(pair.key.scalarText ?? "") {
            diagnostics.append(Diagnostic(
                .unknownKey, "unknown key `\(pair.key.scalarText ?? "")` in test file", at: pair.key.location,
                hint: Suggestion.hint(for: pair.key.scalarText ?? "", in: fileKeys)))
        }
        guard let tests = root.value(forKey: "tests") else {
            return ([], diagnostics + [Diagnostic(.missingKey, "test file is missing required key `tests`", at: root.location)])
        }
        guard let items = tests.items else {
            return ([], diagnostics + [Diagnostic(.testShape, "`tests` must be a list of test cases", at: tests.location)])
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let fileWorkflowsNode = root.value(forKey: "workflows")
        let fileWorkflows = fileWorkflowsNode.flatMap { names($0, diagnostics: &diagnostics) }
        if fileWorkflowsNode != nil, fileWorkflows == nil { return ([], diagnostics) }
        var cases: [WorkflowTestCase] = []
        for (index, item) in items.enumerated() {
            if var testCase = decodeCase(item, number: index + 1, stem: stem, catalog: catalog, diagnostics: &diagnostics) {
                if let own = item.value(forKey: "workflows") {
                    guard let named = names(own, diagnostics: &diagnostics) else { continue }
                    testCase.workflows = named
                } else {
                    testCase.workflows = fileWorkflows
                }
                cases.append(testCase)
            }
        }
        return (cases, diagnostics)
    }

    /// A list of workflow names (or one name).
    private static func names(_ node: YAMLNode, diagnostics: inout [Diagnostic]) -> [String]? {
        let items = node.items ?? [node]
        let names = items.compactMap(\.scalarText)
        guard names.count == items.count, !names.isEmpty else {
            diagnostics.append(Diagnostic(.testShape, "`workflows` must be a workflow name or a list of them", at: node.location))
            return nil
        }
        return names
    }

    private static func decodeCase(
        _ node: YAMLNode, number: Int, stem: String, catalog: ActionCatalog, diagnostics: inout [Diagnostic]
    ) -> WorkflowTestCase? {
        guard let pairs = node.pairs else {
            diagnostics.append(Diagnostic(.testShape, "a test case must be a mapping", at: node.location))
            return nil
        }
        let before = diagnostics.count
        for pair in pairs where !caseKeys.contains(pair.key.scalarText ?? "") {
            diagnostics.append(Diagnostic(
                .unknownKey, "unknown key `\(pair.key.scalarText ?? "")` in test case", at: pair.key.location,
                hint: Suggestion.hint(for: pair.key.scalarText ?? "", in: caseKeys)))
        }
        let name = node.value(forKey: "name")?.scalarText ?? "test \(number)"
        var start = Timestamp.parse("2026-01-05T09:00:00Z")!
        if let startNode = node.value(forKey: "start") {
            if let text = startNode.scalarText, let parsed = Timestamp.parse(text) {
                start = parsed
            } else {
                diagnostics.append(Diagnostic(.wrongType, "`start` must be a time such as 2026-11-22T10:00:00Z", at: startNode.location))
            }
        }
        let baseTicket = node.value(forKey: "ticket")?.jsonValue() ?? .object(Value.Object([("id", "T-1")]))
        if baseTicket.objectValue == nil, let ticketNode = node.value(forKey: "ticket") {
            diagnostics.append(Diagnostic(.testShape, "`ticket` must be a mapping of ticket fields", at: ticketNode.location))
        }
        var steps: [WorkflowTestCase.Step] = []
        if let eventsNode = node.value(forKey: "events") {
            if let eventItems = eventsNode.items, !eventItems.isEmpty {
                // Events without `at:` come a minute after the one before; `advance:` moves the clock on.
                var clock = start.adding(.minutes(-1))
                for (offset, eventNode) in eventItems.enumerated() {
                    if let advance = eventNode.value(forKey: "advance"), eventNode.pairs?.count == 1 {
                        guard let text = advance.scalarText, let span = TimeSpan.parse(text) else {
                            diagnostics.append(Diagnostic(
                                .invalidDuration, "`advance` must be a duration such as 30m or 5h", at: advance.location))
                            continue
                        }
                        clock = clock.adding(span)
                        steps.append(.advance(to: clock))
                        continue
                    }
                    if let event = decodeEvent(
                        eventNode, id: "\(stem)-\(number)-\(offset + 1)", time: clock.adding(.minutes(1)),
                        baseTicket: baseTicket, diagnostics: &diagnostics)
                    {
                        clock = max(clock, event.occurredAt)
                        steps.append(.event(event))
                    }
                }
            } else {
                diagnostics.append(Diagnostic(.testShape, "`events` must be a non-empty list of events", at: eventsNode.location))
            }
        } else {
            diagnostics.append(Diagnostic(.missingKey, "test case is missing required key `events`", at: node.location))
        }
        var expectations: [WorkflowTestCase.Expectation] = []
        if let expectNode = node.value(forKey: "expect") {
            if let expectItems = expectNode.items {
                for item in expectItems {
                    if let expectation = decodeExpectation(item, catalog: catalog, diagnostics: &diagnostics) {
                        expectations.append(expectation)
                    }
                }
            } else {
                diagnostics.append(Diagnostic(.testShape, "`expect` must be a list of expected effects ([] for none)", at: expectNode.location))
            }
        } else {
            diagnostics.append(Diagnostic(.missingKey, "test case is missing required key `expect` (use [] for none)", at: node.location))
        }
        var bodies: [String: Value] = [:]
        for case .event(let event) in steps {
            if let earlier = bodies[event.id], earlier != event.payload {
                diagnostics.append(Diagnostic(
                    .duplicateEvent, "event id \"\(event.id)\" is used twice with different bodies in this test case",
                    at: node.location))
            }
            bodies[event.id] = event.payload
        }
        guard diagnostics.count == before else { return nil }
        return WorkflowTestCase(name: name, location: node.location, steps: steps, expectations: expectations, workflows: nil)
    }

    /// Fills in what tests need not spell out: id, time, and the shared ticket.
    private static func decodeEvent(
        _ node: YAMLNode, id: String, time: Timestamp, baseTicket: Value, diagnostics: inout [Diagnostic]
    ) -> Event? {
        guard case .object(var object) = node.jsonValue() else {
            diagnostics.append(Diagnostic(.testShape, "an event must be a mapping", at: node.location))
            return nil
        }
        if object["id"] == nil { object["id"] = .string(id) }
        if let at = object["at"] {
            object["at"] = nil
            object["occurred_at"] = at
        }
        if object["occurred_at"] == nil { object["occurred_at"] = .string(time.description) }
        var ticket = baseTicket.objectValue ?? Value.Object()
        if let own = object["ticket"]?.objectValue {
            for (key, value) in own.pairs { ticket[key] = value }
        }
        object["ticket"] = .object(ticket)
        switch EventDecoder.decode(.object(object)) {
        case .success(let event):
            return event
        case .failure(let problem):
            diagnostics.append(Diagnostic(.eventField, "invalid event: \(problem.path.isEmpty ? "" : "\(problem.path): ")\(problem.message)",
                at: node.location, hint: problem.hint))
            return nil
        }
    }

    private static func decodeExpectation(
        _ node: YAMLNode, catalog: ActionCatalog, diagnostics: inout [Diagnostic]
    ) -> WorkflowTestCase.Expectation? {
        guard let pairs = node.pairs else {
            diagnostics.append(Diagnostic(.testShape, "an expected effect is written like a step, e.g. `- tag: urgent`", at: node.location))
            return nil
        }
        var workflow: String?
        var result: Value.Object?
        var actionPair: YAMLNode.Pair?
        for pair in pairs {
            if pair.key.scalarText == "workflow" {
                workflow = pair.value.scalarText
            } else if pair.key.scalarText == "result" {
                guard case .object(let object) = pair.value.jsonValue() else {
                    diagnostics.append(Diagnostic(
                        .testShape, "`result` must be a mapping of what the step reported, e.g. `result: { count: 4 }`",
                        at: pair.value.location))
                    return nil
                }
                result = object
            } else if actionPair == nil {
                actionPair = pair
            } else {
                // Of the two, one that is no action is likely a misspelt `workflow:` or `result:`.
                let first = actionPair!
                guard let stray = [pair, first].first(where: { catalog[$0.key.scalarText ?? ""] == nil }) else {
                    diagnostics.append(Diagnostic(
                        .testShape, "an expected effect names one action; list `\(first.key.scalarText ?? "")` and "
                            + "`\(pair.key.scalarText ?? "")` as two items", at: pair.key.location))
                    return nil
                }
                let name = stray.key.scalarText ?? ""
                diagnostics.append(Diagnostic(
                    .testShape, "`\(name)` is neither an action nor `workflow` or `result`", at: stray.key.location,
                    hint: Suggestion.hint(for: name, in: expectationKeys)))
                return nil
            }
        }
        guard let actionPair, let action = actionPair.key.scalarText else {
            diagnostics.append(Diagnostic(.testShape, "an expected effect names one action", at: node.location))
            return nil
        }
        guard let spec = catalog[action] else {
            diagnostics.append(Diagnostic(
                .unknownAction, "unknown action `\(action)`", at: actionPair.key.location,
                hint: Suggestion.hint(for: action, in: catalog.names)))
            return nil
        }
        var parameters = Value.Object()
        let value = actionPair.value.jsonValue()
        if case .object(let given) = value {
            for (name, item) in given.pairs {
                guard let parameter = spec.parameter(named: name) else {
                    diagnostics.append(Diagnostic(
                        .unknownParameter, "`\(action)` has no parameter `\(name)`", at: actionPair.value.location,
                        hint: Suggestion.hint(for: name, in: spec.parameters.map(\.name))))
                    return nil
                }
                parameters[name] = normalize(item, for: parameter.kind)
            }
        } else if let shorthand = spec.shorthand, let parameter = spec.parameter(named: shorthand), !value.isNull {
            parameters[shorthand] = normalize(value, for: parameter.kind)
        }
        return WorkflowTestCase.Expectation(
            action: action, parameters: parameters, workflow: workflow, result: result, location: actionPair.key.location)
    }

    /// Brings an expected value to the shape the action's rendered parameter has.
    private static func normalize(_ value: Value, for kind: ParameterSpec.Kind) -> Value {
        switch (kind, value) {
        case (.list(let element), .array(let items)): return .array(items.map { normalize($0, for: element) })
        case (.list(let element), _): return .array([normalize(value, for: element)])
        case (.string, .int(let number)): return .string(String(number))
        case (.string, .bool(let flag)): return .string(flag ? "true" : "false")
        case (.string, .double(let number)): return .string(String(number))
        case (.string, .null): return .string("")
        case (.number, .int(let number)): return .double(Double(number))
        default: return value
        }
    }
}
