import Core

/// What happened to one event offered to `EventStore.append`.
public enum AppendOutcome: Sendable, Hashable {
    case appended(position: Int64)
    /// The same event (same id, same body) is already stored at `position`.
    case duplicate(position: Int64)
    /// Another event with the same id but a different body is stored at `position`.
    case conflict(position: Int64)
}
