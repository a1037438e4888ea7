import Core

/// Everything a consumer learned from a run of records, committed at once:
/// engine events appended, effects, evaluations, ticket states and the new
/// checkpoint. If the process dies before the commit, none of it happened,
/// and reprocessing produces the same batch.
public struct ConsumerBatch: Sendable {
    public var consumer: String
    /// The checkpoint the batch was computed from; the commit fails if the
    /// stored checkpoint moved meanwhile (another consumer did the work).
    public var fromPosition: Int64
    /// The last position processed.
    public var toPosition: Int64
    public var followUps: [(event: Event, causation: Causation)]
    public var effects: [EffectRecord]
    public var evaluations: [EvaluationRecord]
    /// The state of every ticket the batch changed.
    public var tickets: [String: Value]
    /// For each state shared across tickets (an id starting with `~`) that
    /// the batch changed, the value it was computed from (`nil`: none yet).
    /// `commit(_:lease:)`, where shards run side by side, refuses the batch
    /// with `SharedStateMoved` if the store no longer holds that value.
    public var sharedBasis: [String: Value?] = [:]

    public init(
        consumer: String, fromPosition: Int64, toPosition: Int64, followUps: [(event: Event, causation: Causation)] = [],
        effects: [EffectRecord] = [], evaluations: [EvaluationRecord] = [], tickets: [String: Value] = [:]
    ) {
        self.consumer = consumer
        self.fromPosition = fromPosition
        self.toPosition = toPosition
        self.followUps = followUps
        self.effects = effects
        self.evaluations = evaluations
        self.tickets = tickets
    }
}
