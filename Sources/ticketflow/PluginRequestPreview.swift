import Core
import Engine
import Plugins

/// What dry-run shows for a plugin step: the request line the dispatcher
/// would send, built by the same code, without starting any plugin.
struct PluginRequestPreview {
    let actions: Set<String>

    init(plugins: [PluginManifest]) {
        actions = Set(plugins.flatMap { $0.actions.map(\.spec.name) })
    }

    func request(for effect: Effect) -> Value? {
        guard actions.contains(effect.action), effect.outcome == .applied, let dot = effect.action.firstIndex(of: ".") else { return nil }
        let request = PluginRequest(
            action: String(effect.action[effect.action.index(after: dot)...]), idempotencyKey: effect.key.description,
            parameters: effect.parameters, ticketID: effect.ticketID, eventID: effect.key.eventID,
            workflow: effect.key.workflow, step: effect.key.step)
        return request.message(id: 1, attempt: 1)
    }

    /// `would send to slack-notify: {…}` lines for every plugin step in the outcome and its cascade.
    func lines(for outcome: EventOutcome, indent: Int = 0) -> [String] {
        guard !actions.isEmpty else { return [] }
        var lines: [String] = []
        for evaluation in outcome.evaluations {
            for effect in evaluation.effects {
                if let request = request(for: effect) {
                    let plugin = effect.action.split(separator: ".").first ?? ""
                    lines.append(String(repeating: "  ", count: indent) + "      would send to \(plugin): " + JSONWriter.string(request))
                }
            }
        }
        for child in outcome.cascade { lines += self.lines(for: child, indent: indent + 1) }
        return lines
    }

    /// The outcome's JSON with a `request` beside each plugin effect.
    func json(_ outcome: EventOutcome, includeAll: Bool) -> Value {
        var json = outcome.json(includeAll: includeAll)
        guard !actions.isEmpty else { return json }
        annotate(&json, outcome)
        return json
    }

    private func annotate(_ json: inout Value, _ outcome: EventOutcome) {
        guard case .object(var object) = json else { return }
        if case .array(var workflows)? = object["workflows"] {
            for index in workflows.indices {
                guard case .object(var entry) = workflows[index], case .array(var effects)? = entry["effects"],
                    let name = entry["workflow"]?.stringValue,
                    let evaluation = outcome.evaluations.first(where: { $0.workflow == name && $0.result == .fired })
                else { continue }
                for (position, effect) in evaluation.effects.enumerated() where position < effects.count {
                    guard let request = request(for: effect), case .object(var shown) = effects[position] else { continue }
                    shown["request"] = request
                    effects[position] = .object(shown)
                }
                entry["effects"] = .array(effects)
                workflows[index] = .object(entry)
            }
            object["workflows"] = .array(workflows)
        }
        if case .array(var cascade)? = object["cascade"] {
            for (index, child) in outcome.cascade.enumerated() where index < cascade.count {
                annotate(&cascade[index], child)
            }
            object["cascade"] = .array(cascade)
        }
        json = .object(object)
    }
}
