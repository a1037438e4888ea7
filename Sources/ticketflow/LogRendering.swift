import Core
import EventLog

/// How log records are shown by `log` and `explain`.
enum LogRendering {
    /// `    57  2026-11-22T10:00:00Z  ticket.tagged  T-1042  e1/urgent-billing/1  by urgent-billing@d0356… step 1: tags=["x"]`
    static func line(_ record: LogRecord) -> String {
        let event = record.event
        var text = pad(String(record.position), 6) + "  \(event.occurredAt)  \(event.type)  \(event.ticketID)  \(event.id)"
        if let cause = record.causation {
            text += "  by \(cause.workflow)@\(cause.workflowVersion.prefix(8)) step \(cause.step)"
            if let params = event.payload["effect"]?["params"]?.objectValue, !params.isEmpty {
                text += ": " + params.pairs.map { "\($0.0)=\(JSONWriter.string($0.1))" }.joined(separator: " ")
            }
            if let error = event.payload["effect"]?["error"]?.stringValue { text += " — \(error)" }
            if let result = event.payload["effect"]?["result"] { text += " — result: " + String(JSONWriter.string(result).prefix(120)) }
            if let retryAt = event.payload["effect"]?["retry_at"]?.stringValue { text += " (next try at \(retryAt))" }
            // What the step chose or counted, as dry-run shows it: "suggested account-locked (0.74)".
            if let summary = event.payload["effect"]?["details"]?["summary"]?.stringValue { text += "  → \(summary)" }
        } else {
            var details: [String] = []
            if let subject = event.ticket["subject"]?.stringValue { details.append("\"\(subject.prefix(60))\"") }
            for field in ["status", "priority"] {
                if let value = event.ticket[field]?.stringValue { details.append("\(field)=\(value)") }
            }
            if let body = event.payload["comment"]?["body"]?.stringValue { details.append("comment: \"\(body.prefix(60))\"") }
            if let score = event.payload["rating"]?["score"]?.stringValue { details.append("rating=\(score)") }
            if !details.isEmpty { text += "  " + details.joined(separator: " ") }
        }
        return text
    }

    /// Incoming events in log order, each followed by the events its
    /// effects appended (which the log stores later, after the batch).
    static func causalOrder(_ records: [LogRecord]) -> [LogRecord] {
        var children: [String: [LogRecord]] = [:]
        for record in records {
            if let cause = record.causation { children[cause.eventID, default: []].append(record) }
        }
        var ordered: [LogRecord] = []
        var placed = Set<String>()
        func place(_ record: LogRecord) {
            guard placed.insert(record.event.id).inserted else { return }
            ordered.append(record)
            for child in children[record.event.id] ?? [] { place(child) }
        }
        for record in records where record.isIncoming { place(record) }
        for record in records where !placed.contains(record.event.id) { place(record) }
        return ordered
    }

    static func ticketSummary(_ ticket: Value) -> String {
        var parts: [String] = []
        for field in ["status", "priority", "group", "assignee"] {
            if let value = ticket[field], !value.isNull { parts.append("\(field)=\(value.stringValue ?? JSONWriter.string(value))") }
        }
        if let tags = ticket["tags"] { parts.append("tags=\(JSONWriter.string(tags))") }
        return parts.joined(separator: " ")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
