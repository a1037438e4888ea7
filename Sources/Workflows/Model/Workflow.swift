import Core

/// One workflow, as loaded from one YAML file.
///
/// A class so that the engine can hand it around without copying (and
/// retaining) each of its fields per event; it never changes once loaded.
public final class Workflow: Sendable {
    public let name: String
    public let description: String?
    /// The file it came from, as given to the loader.
    public let file: String
    public let location: SourceLocation
    /// A short hash of the file's bytes, so effects can name the version that produced them.
    public let version: String
    public let triggers: [Trigger]
    public let condition: Condition?
    public let steps: [Step]
    /// Explicit position in the run order; workflows without one run after, by file name.
    public let order: Int?
    /// When this workflow fires, later workflows do not run for the same event.
    public let stopsLaterWorkflows: Bool
    public let enabled: Bool

    public init(
        name: String, description: String? = nil, file: String, location: SourceLocation, version: String,
        triggers: [Trigger], condition: Condition?, steps: [Step], order: Int? = nil,
        stopsLaterWorkflows: Bool = false, enabled: Bool = true
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.location = location
        self.version = version
        self.triggers = triggers
        self.condition = condition
        self.steps = steps
        self.order = order
        self.stopsLaterWorkflows = stopsLaterWorkflows
        self.enabled = enabled
    }
}

/// What makes a workflow run.
public enum Trigger: Sendable, Hashable, CustomStringConvertible {
    /// An event type such as `ticket.created`, or a family such as `ticket.*`.
    case event(String)
    /// No event from the help desk on the ticket for this long: a durable
    /// timer, re-armed by every incoming event on the ticket.
    case idle(TimeSpan)
    /// A clock (every N, or cron): at each tick the workflow runs over every
    /// ticket its condition matches.
    case schedule(Schedule)

    public var description: String {
        switch self {
        case .event(let type): type
        case .idle(let span): "idle \(span)"
        case .schedule(let schedule): "schedule \(schedule)"
        }
    }

    /// Whether an event of this type runs the workflow. Idle timers fire
    /// their own `ticket.idle` events, addressed to one workflow, so they
    /// match no event type here.
    public func matches(eventType: String) -> Bool {
        switch self {
        case .event(let pattern):
            if pattern.hasSuffix(".*") { return eventType.hasPrefix(pattern.dropLast()) }
            return pattern == eventType
        case .idle, .schedule:
            return false
        }
    }

    public var schedule: Schedule? {
        if case .schedule(let schedule) = self { return schedule }
        return nil
    }

    public var idleSpan: TimeSpan? {
        if case .idle(let span) = self { return span }
        return nil
    }
}

/// One step: an action with its parameters, and an optional condition.
public final class Step: Sendable {
    /// `id:` when given, otherwise the step's 1-based position. Part of the
    /// key that makes each effect happen at most once per event.
    public let id: String
    public let action: String
    public let parameters: [ParameterBinding]
    public let condition: Condition?
    public let location: SourceLocation

    public init(id: String, action: String, parameters: [ParameterBinding], condition: Condition?, location: SourceLocation) {
        self.id = id
        self.action = action
        self.parameters = parameters
        self.condition = condition
        self.location = location
    }
}

/// A parameter as written in a step, checked against the action's spec.
public struct ParameterBinding: Sendable, Hashable {
    public var name: String
    public var value: ParameterValue
    public var location: SourceLocation

    public init(name: String, value: ParameterValue, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// A parameter's value before rendering.
public indirect enum ParameterValue: Sendable, Hashable {
    case template(Template)
    case constant(Value)
    case list([ParameterValue])
    case object([ParameterBinding])

    /// Renders templates against the scope; constants pass through.
    public func render(_ scope: TemplateScope) -> Value {
        switch self {
        case .template(let template): .string(template.render(scope))
        case .constant(let value): value
        case .list(let items): .array(items.map { $0.render(scope) })
        case .object(let bindings):
            .object(Value.Object(bindings.map { ($0.name, $0.value.render(scope)) }))
        }
    }
}
