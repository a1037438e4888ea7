import Core

/// A store refused a commit because the checkpoint it was computed from is stale.
public struct CheckpointMoved: Error, Sendable, CustomStringConvertible {
    public var consumer: String
    public var expected: Int64
    public var found: Int64
    public init(consumer: String, expected: Int64, found: Int64) {
        self.consumer = consumer
        self.expected = expected
        self.found = found
    }
    public var description: String {
        "checkpoint of consumer \(consumer) is at \(found), not \(expected): another process (another `run` on this log?) processed these events; run again to continue from there"
    }
}
