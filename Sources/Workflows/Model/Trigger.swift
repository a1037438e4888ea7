import Core

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
