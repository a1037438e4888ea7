import Core

/// The plugin calls not yet settled, stored in the log's shared state under
/// one key, so that a waiting retry survives a restart. It is written only
/// by the dispatcher, in the same transaction as the result events and the
/// dispatcher's checkpoint.
public struct PluginOutbox: Sendable {
    /// The shared-state id it is stored under.
    public static let stateKey = "~plugins/outbox"

    var calls: [String: PluginCall] = [:]

    init() {}

    init(state: Value?) {
        if let object = state?.objectValue { for (key, value) in object.pairs {
            if let call = PluginCall(key: key, json: value) { calls[key] = call }
        } }
    }

    var state: Value {
        .object(Value.Object(calls.keys.sorted().map { ($0, calls[$0]!.json) }))
    }

    /// One call's state as people read it: `parked after 5 tries: …`.
    public static func describe(_ key: String, in state: Value?) -> String? {
        guard let call = PluginOutbox(state: state).calls[key] else { return nil }
        switch call.status {
        case .parked: return "parked after \(call.attempts) \(call.attempts == 1 ? "try" : "tries"): \(call.lastError ?? "")"
        case .waiting where call.attempts == 0: return "waiting to be sent"
        case .waiting: return "waiting for try \(call.attempts + 1) at \(call.due): \(call.lastError ?? "")"
        }
    }
}
