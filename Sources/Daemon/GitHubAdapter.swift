import Core
import Crypto

/// GitHub Issues webhooks (`X-GitHub-Event: issues` and `issue_comment`)
/// as ticket events: an issue is a ticket (`github:OWNER/REPO#NUMBER`), its
/// labels are tags, its comments are `ticket.commented`, closing solves it.
/// GitHub signs the body only (its headers, the delivery id among them, are
/// not covered, and there is no timestamp), so the event id comes from what
/// is signed: a digest of the event kind and the body. A redelivery (same
/// body) is stored once, and a captured delivery replayed under a new
/// delivery id is a duplicate too, instead of firing the workflows again.
enum GitHubAdapter {
    /// Roles GitHub gives to people who work on the repository: their comments are the agent's.
    static let agentAssociations: Set<String> = ["OWNER", "MEMBER", "COLLABORATOR"]

    static func translate(kind: String, body: [UInt8], payload: Value) throws(WebhookPayloadError) -> WebhookTranslation {
        switch kind {
        case "ping": return .ignored("ping")
        case "issues", "issue_comment": break
        default: return .ignored("GitHub event `\(kind)` is not about issues")
        }
        let action = try string(payload, "action")
        guard let issue = payload["issue"], case .object = issue else { throw WebhookPayloadError(path: "issue", message: "missing issue object") }
        if kind == "issue_comment", issue["pull_request"] != nil { return .ignored("comment on a pull request") }
        let repository = try string(payload, "repository.full_name")
        let number: Int
        switch issue["number"] {
        case .int(let value)?: number = value
        default: throw WebhookPayloadError(path: "issue.number", message: "must be an integer")
        }
        var ticket = Value.Object()
        ticket["id"] = .string("github:\(repository)#\(number)")
        ticket["subject"] = .string(try string(payload, "issue.title"))
        ticket["description"] = .string(issue["body"]?.stringValue ?? "")
        ticket["status"] = .string(issue["state"]?.stringValue == "closed" ? "solved" : "open")
        ticket["channel"] = .string("github")
        if case .array(let labels)? = issue["labels"] {
            ticket["tags"] = .array(labels.compactMap { $0["name"]?.stringValue }.map(Value.string))
        }
        if let login = issue["user"]?["login"]?.stringValue {
            var requester = Value.Object()
            requester["id"] = .string(login)
            requester["name"] = .string(login)
            ticket["requester"] = .object(requester)
        }
        ticket["assignee"] = issue["assignee"]?["login"]?.stringValue.map(Value.string) ?? .null
        if let created = issue["created_at"]?.stringValue { ticket["created_at"] = .string(created) }
        if let updated = issue["updated_at"]?.stringValue { ticket["updated_at"] = .string(updated) }
        if let url = issue["html_url"]?.stringValue {
            var custom = Value.Object()
            custom["url"] = .string(url)
            ticket["custom"] = .object(custom)
        }

        var event = Value.Object()
        event["id"] = .string(eventID(kind: kind, body: body))
        event["source"] = .string("github")
        if kind == "issue_comment" {
            guard action == "created" else { return .ignored("comment \(action)") }
            guard let comment = payload["comment"], case .object = comment else {
                throw WebhookPayloadError(path: "comment", message: "missing comment object")
            }
            event["type"] = .string("ticket.commented")
            event["occurred_at"] = .string(try string(payload, "comment.created_at"))
            var body = Value.Object()
            let association = comment["author_association"]?.stringValue ?? ""
            body["author_role"] = .string(agentAssociations.contains(association) ? "agent" : "end_user")
            body["body"] = .string(comment["body"]?.stringValue ?? "")
            body["public"] = .bool(true)
            event["comment"] = .object(body)
        } else {
            let type: String
            switch action {
            case "opened": type = "ticket.created"
            case "closed": type = "ticket.solved"
            case "reopened": type = "ticket.reopened"
            case "edited", "labeled", "unlabeled", "assigned", "unassigned", "milestoned", "demilestoned": type = "ticket.updated"
            default: return .ignored("issue \(action)")
            }
            event["type"] = .string(type)
            // When it happened: the issue's own time for this change, its last update otherwise.
            let specific = action == "opened" ? issue["created_at"] : action == "closed" ? issue["closed_at"] : nil
            guard let occurred = specific?.stringValue ?? issue["updated_at"]?.stringValue else {
                throw WebhookPayloadError(path: "issue.updated_at", message: "missing time")
            }
            event["occurred_at"] = .string(occurred)
        }
        event["ticket"] = .object(ticket)
        return .events([.object(event)])
    }

    /// `github-` and the first 32 hex digits of SHA-256 over the kind, a newline and the body.
    static func eventID(kind: String, body: [UInt8]) -> String {
        "github-" + Signatures.hex(SHA256.hash(data: Array(kind.utf8) + [0x0A] + body).prefix(16))
    }

    private static func string(_ payload: Value, _ path: String) throws(WebhookPayloadError) -> String {
        var value: Value? = payload
        for key in path.split(separator: ".") { value = value?[String(key)] }
        guard let text = value?.stringValue else { throw WebhookPayloadError(path: path, message: "must be a string") }
        return text
    }
}
