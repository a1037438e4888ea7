import Core

/// A store refused a shard's commit because state shared across tickets
/// (recurrence counts, text groups) that the batch changed was changed by
/// another shard after the batch read it: applying it would lose that
/// change. Nothing was applied; the consumer reads the state again and
/// redoes the batch.
public struct SharedStateMoved: Error, Sendable, CustomStringConvertible {
    /// The shared states that differ from what the batch was computed from.
    public var ids: [String]

    public init(ids: [String]) { self.ids = ids }

    public var description: String {
        "shared state changed by another shard since it was read: " + ids.joined(separator: ", ")
    }
}
