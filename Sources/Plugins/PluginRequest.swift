import Core

/// The request line sent to a plugin for one call. Step values travel only
/// here, as JSON data: never in argv, the environment or a shell.
public struct PluginRequest: Sendable, Hashable {
    public var action: String
    /// The effect key (`event/workflow/step`): the same call retried, or
    /// sent again after a crash, carries the same key, so the plugin can
    /// make its side effect happen once.
    public var idempotencyKey: String
    public var parameters: Value.Object
    public var ticketID: String
    public var eventID: String
    public var workflow: String
    public var step: String

    public init(
        action: String, idempotencyKey: String, parameters: Value.Object, ticketID: String, eventID: String, workflow: String,
        step: String
    ) {
        self.action = action
        self.idempotencyKey = idempotencyKey
        self.parameters = parameters
        self.ticketID = ticketID
        self.eventID = eventID
        self.workflow = workflow
        self.step = step
    }

    /// The request recorded by a `plugin.requested` event; `nil` if the
    /// event does not carry one.
    public init?(requestedEvent payload: Value, ticketID: String) {
        guard let effect = payload["effect"], let name = effect["action"]?.stringValue,
            let dot = name.firstIndex(of: "."), let workflow = effect["workflow"]?.stringValue,
            let step = effect["step"]?.stringValue, let id = payload["id"]?.stringValue,
            let cause = payload["caused_by"]?.stringValue
        else { return nil }
        self.init(
            action: String(name[name.index(after: dot)...]), idempotencyKey: id,
            parameters: effect["params"]?.objectValue ?? Value.Object(), ticketID: ticketID, eventID: cause,
            workflow: workflow, step: step)
    }

    /// The JSON object on the wire, with the line's `id` and the try number.
    public func message(id: Int, attempt: Int) -> Value {
        .object(Value.Object([
            ("id", .int(id)), ("type", "call"), ("action", .string(action)), ("idempotency_key", .string(idempotencyKey)),
            ("attempt", .int(attempt)), ("params", .object(parameters)),
            ("context", .object(Value.Object([
                ("ticket_id", .string(ticketID)), ("event_id", .string(eventID)), ("workflow", .string(workflow)),
                ("step", .string(step)),
            ]))),
        ]))
    }
}
