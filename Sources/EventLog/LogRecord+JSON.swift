import Core

extension LogRecord {
    /// The record as JSON, for `log --format json` and the daemon's read API.
    public var json: Value {
        var object = Value.Object([("position", .int(Int(position))), ("recorded_at", .string(recordedAt.description))])
        if let causation {
            object["caused_by"] = .object(Value.Object([
                ("event", .string(causation.eventID)), ("workflow", .string(causation.workflow)),
                ("version", .string(causation.workflowVersion)), ("step", .string(causation.step)),
            ]))
        }
        object["event"] = event.payload
        return .object(object)
    }
}

extension EffectRecord {
    public var json: Value {
        var object = Value.Object([
            ("event", .string(eventID)), ("workflow", .string(workflow)), ("version", .string(workflowVersion)),
            ("step", .string(step)), ("ticket", .string(ticketID)), ("action", .string(action)),
            ("params", parameters), ("outcome", .string(outcome)),
        ])
        if let detail { object["detail"] = .string(detail) }
        if let followUpEventID { object["follow_up"] = .string(followUpEventID) }
        object["recorded_at"] = .string(recordedAt.description)
        return .object(object)
    }
}

extension EvaluationRecord {
    public var json: Value {
        .object(Value.Object([
            ("event", .string(eventID)), ("recorded_at", .string(recordedAt.description)),
            ("workflows", .array(entries.map { entry in
                var object = Value.Object([
                    ("workflow", .string(entry.workflow)), ("version", .string(entry.version)), ("result", .string(entry.result)),
                ])
                if let reason = entry.reason { object["reason"] = .string(reason) }
                return .object(object)
            })),
        ]))
    }
}
