import Core

extension Effect {
    /// `tag tags=["needs-tier2"]`: the action and its rendered parameters, one line.
    public var summary: String {
        var text = action
        for (name, value) in parameters.pairs {
            text += " \(name)=" + JSONWriter.string(value)
        }
        return text
    }

    public var outcomeName: String {
        switch outcome {
        case .applied: "applied"
        case .unchanged: "unchanged"
        case .failed: "failed"
        }
    }

    public var json: Value {
        var object = Value.Object([
            ("step", .string(key.step)), ("action", .string(action)), ("params", .object(parameters)),
            ("outcome", .string(outcomeName)),
        ])
        switch outcome {
        case .applied: break
        case .unchanged(let reason): object["reason"] = .string(reason)
        case .failed(let message, let retryable):
            object["error"] = .string(message)
            object["retryable"] = .bool(retryable)
        }
        if !details.isEmpty { object["details"] = .object(details) }
        if let followUpEventID { object["follow_up"] = .string(followUpEventID) }
        return .object(object)
    }
}

extension EventOutcome {
    /// Whether any workflow fired on this event or on anything it caused.
    public var anythingFired: Bool {
        evaluations.contains { $0.result == .fired } || cascade.contains { $0.anythingFired }
    }

    /// A stable JSON description for `--format json`: the event, each
    /// workflow considered (fired ones always, the others when `includeAll`),
    /// and the cascade.
    public func json(includeAll: Bool) -> Value {
        var object = Value.Object([
            ("event", .string(event.id)), ("type", .string(event.type)), ("ticket", .string(event.ticketID)),
            ("occurred_at", event.payload["occurred_at"] ?? .string(event.occurredAt.description)), ("depth", .int(depth)),
        ])
        var workflows: [Value] = []
        for evaluation in evaluations where includeAll || evaluation.result == .fired {
            var entry = Value.Object([
                ("workflow", .string(evaluation.workflow)), ("version", .string(evaluation.version)),
                ("result", .string(evaluation.result.rawValue)),
            ])
            if let reason = evaluation.reason { entry["reason"] = .string(reason) }
            if evaluation.result == .fired { entry["effects"] = .array(evaluation.effects.map(\.json)) }
            if let failure = evaluation.failure { entry["failure"] = .string(failure) }
            workflows.append(.object(entry))
        }
        object["workflows"] = .array(workflows)
        if !cascade.isEmpty {
            object["cascade"] = .array(cascade.map { $0.json(includeAll: includeAll) })
        }
        if cascadeStopped { object["cascade_stopped"] = .bool(true) }
        return .object(object)
    }

    /// Indented text for people: the event, what fired and what each step did.
    public func text(includeAll: Bool, indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        var lines: [String] = []
        let arrow = depth == 0 ? "" : "→ "
        lines.append("\(pad)\(arrow)\(event.id)  \(event.type)  \(event.ticketID)  \(event.occurredAt)")
        for evaluation in evaluations {
            switch evaluation.result {
            case .fired:
                lines.append("\(pad)  ✓ \(evaluation.workflow)")
                for effect in evaluation.effects {
                    var line = "\(pad)      \(effect.summary)"
                    switch effect.outcome {
                    case .applied:
                        // What it did, when the action says so in a line (the guide suggested, the recommendation filed).
                        if let summary = effect.details["summary"]?.stringValue { line += "  → \(summary)" }
                    case .unchanged(let reason): line += "  (no change: \(reason))"
                    case .failed(let message, _): line += "  ✗ failed: \(message)"
                    }
                    lines.append(line)
                }
            case .notMatched where includeAll:
                lines.append("\(pad)  · \(evaluation.workflow): not matched" + (evaluation.reason.map { ": \($0)" } ?? ""))
            case .skipped where includeAll:
                lines.append("\(pad)  · \(evaluation.workflow): skipped" + (evaluation.reason.map { ": \($0)" } ?? ""))
            default:
                break
            }
        }
        for child in cascade where includeAll || child.anythingFired {
            lines.append(child.text(includeAll: includeAll, indent: indent + 1))
        }
        if cascadeStopped {
            lines.append("\(pad)  ! cascade stopped: follow-up events deeper than the limit were not processed")
        }
        return lines.joined(separator: "\n")
    }
}
