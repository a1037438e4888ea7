import Core

/// One plugin call waiting in the outbox, as kept in the log's shared
/// state: which plugin, how many tries so far, when the next is due, and
/// whether it is parked (out of tries, waiting for `ticketflow retry`).
struct PluginCall: Sendable, Hashable {
    enum Status: String, Sendable {
        case waiting
        case parked
    }

    /// The effect key, which is also the `plugin.requested` event's id.
    var key: String
    var plugin: String
    var ticketID: String
    var status: Status
    /// Tries made so far, across manual retries.
    var attempts: Int
    /// `attempts` when the current budget of tries started (0, or when retried by hand).
    var budgetFrom: Int
    var due: Timestamp
    var lastError: String?

    var json: Value {
        var object = Value.Object([
            ("plugin", .string(plugin)), ("ticket", .string(ticketID)), ("status", .string(status.rawValue)),
            ("attempts", .int(attempts)), ("budget_from", .int(budgetFrom)), ("due_ms", .int(Int(due.millisecondsSinceEpoch))),
        ])
        if let lastError { object["last_error"] = .string(lastError) }
        return .object(object)
    }

    init(key: String, plugin: String, ticketID: String, status: Status, attempts: Int, budgetFrom: Int, due: Timestamp, lastError: String?) {
        self.key = key
        self.plugin = plugin
        self.ticketID = ticketID
        self.status = status
        self.attempts = attempts
        self.budgetFrom = budgetFrom
        self.due = due
        self.lastError = lastError
    }

    init?(key: String, json: Value) {
        guard let plugin = json["plugin"]?.stringValue, let ticket = json["ticket"]?.stringValue,
            let status = json["status"]?.stringValue.flatMap(Status.init(rawValue:)),
            case .int(let attempts) = json["attempts"] ?? .null, case .int(let due) = json["due_ms"] ?? .null
        else { return nil }
        var budgetFrom = 0
        if case .int(let value) = json["budget_from"] ?? .null { budgetFrom = value }
        self.init(
            key: key, plugin: plugin, ticketID: ticket, status: status, attempts: attempts, budgetFrom: budgetFrom,
            due: Timestamp(millisecondsSinceEpoch: Int64(due)), lastError: json["last_error"]?.stringValue)
    }
}
