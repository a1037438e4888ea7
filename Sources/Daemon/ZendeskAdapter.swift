import Core

/// Zendesk's ticket event webhooks (`zen:event-type:ticket.*`) as ticket
/// events. The `detail` object is the ticket as Zendesk sees it after the
/// change; `event` says what changed. Zendesk's event id becomes the event
/// id, so a retried delivery is stored once. Ticket ids are `zendesk:ID`.
enum ZendeskAdapter {
    static let typePrefix = "zen:event-type:ticket."

    static func translate(payload: Value) throws(WebhookPayloadError) -> WebhookTranslation {
        guard case .object = payload else { throw WebhookPayloadError(path: "", message: "must be a JSON object") }
        guard let zendeskType = payload["type"]?.stringValue else { throw WebhookPayloadError(path: "type", message: "must be a string") }
        guard zendeskType.hasPrefix(typePrefix) else { return .ignored("Zendesk event `\(zendeskType)` is not about tickets") }
        let change = String(zendeskType.dropFirst(typePrefix.count))
        guard let id = payload["id"]?.stringValue, !id.isEmpty else { throw WebhookPayloadError(path: "id", message: "must be a string") }
        guard let time = payload["time"]?.stringValue else { throw WebhookPayloadError(path: "time", message: "must be a string") }
        guard let detail = payload["detail"], case .object = detail else { throw WebhookPayloadError(path: "detail", message: "missing ticket object") }
        guard let ticketID = detail["id"].flatMap(identifier) else { throw WebhookPayloadError(path: "detail.id", message: "missing ticket id") }
        let what = payload["event"] ?? .null

        var ticket = Value.Object()
        ticket["id"] = .string("zendesk:\(ticketID)")
        for field in ["subject", "description"] {
            if let text = detail[field]?.stringValue { ticket[field] = .string(text) }
        }
        if let status = detail["status"]?.stringValue?.lowercased(), EventSchema.statuses.contains(status) {
            ticket["status"] = .string(status)
        }
        if let priority = detail["priority"]?.stringValue?.lowercased(), EventSchema.priorities.contains(priority) {
            ticket["priority"] = .string(priority)
        }
        if case .array(let tags)? = detail["tags"] { ticket["tags"] = .array(tags.compactMap(\.stringValue).map(Value.string)) }
        if let channel = detail["via"]?["channel"]?.stringValue { ticket["channel"] = .string(channel) }
        if let requester = detail["requester_id"].flatMap(identifier) {
            var object = Value.Object()
            object["id"] = .string(requester)
            ticket["requester"] = .object(object)
        }
        if let assignee = detail["assignee_id"].flatMap(identifier) { ticket["assignee"] = .string(assignee) }
        if let group = detail["group_id"].flatMap(identifier) { ticket["group"] = .string(group) }
        for field in ["created_at", "updated_at"] {
            if let text = detail[field]?.stringValue, Timestamp.parse(text) != nil { ticket[field] = .string(text) }
        }

        var event = Value.Object()
        event["id"] = .string("zendesk-\(id)")
        event["occurred_at"] = .string(time)
        event["source"] = .string("zendesk")
        switch change {
        case "created":
            event["type"] = .string("ticket.created")
        case "comment_added":
            guard let comment = what["comment"], case .object = comment else {
                throw WebhookPayloadError(path: "event.comment", message: "missing comment object")
            }
            var body = Value.Object()
            let staff = comment["author"]?["is_staff"] == .bool(true)
            body["author_role"] = .string(staff ? "agent" : "end_user")
            body["body"] = .string(comment["body"]?.stringValue ?? "")
            body["public"] = .bool(comment["is_public"] != .bool(false))
            event["type"] = .string("ticket.commented")
            event["comment"] = .object(body)
        case "status_changed":
            let current = what["current"]?.stringValue?.lowercased()
            let previous = what["previous"]?.stringValue?.lowercased()
            if current == "solved" {
                event["type"] = .string("ticket.solved")
            } else if previous == "solved" || previous == "closed" {
                event["type"] = .string("ticket.reopened")
            } else {
                event["type"] = .string("ticket.updated")
            }
            if let current, EventSchema.statuses.contains(current) { ticket["status"] = .string(current) }
        default:
            event["type"] = .string("ticket.updated")
        }
        event["ticket"] = .object(ticket)
        return .events([.object(event)])
    }

    /// Zendesk sends ids as strings in event webhooks and as numbers elsewhere; both are accepted.
    private static func identifier(_ value: Value) -> String? {
        switch value {
        case .string(let text) where !text.isEmpty && text != "0": text
        case .int(let number) where number != 0: String(number)
        default: nil
        }
    }
}
