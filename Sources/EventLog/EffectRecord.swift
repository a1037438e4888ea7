import Core

/// An action's effect as recorded in the log. Its key (trigger event,
/// workflow, step) is unique: a store never records the same effect twice.
public struct EffectRecord: Sendable, Hashable {
    public var eventID: String
    public var workflow: String
    public var step: String
    public var workflowVersion: String
    public var ticketID: String
    public var action: String
    /// Rendered parameters.
    public var parameters: Value
    /// `applied`, `unchanged` or `failed`.
    public var outcome: String
    /// Why it was unchanged, or the error.
    public var detail: String?
    public var followUpEventID: String?
    public var recordedAt: Timestamp

    public init(
        eventID: String, workflow: String, step: String, workflowVersion: String, ticketID: String, action: String,
        parameters: Value, outcome: String, detail: String?, followUpEventID: String?, recordedAt: Timestamp
    ) {
        self.eventID = eventID
        self.workflow = workflow
        self.step = step
        self.workflowVersion = workflowVersion
        self.ticketID = ticketID
        self.action = action
        self.parameters = parameters
        self.outcome = outcome
        self.detail = detail
        self.followUpEventID = followUpEventID
        self.recordedAt = recordedAt
    }
}

/// Which workflows were considered for one event and how each came out,
/// kept for `ticketflow explain`. Stored compactly and may be pruned.
public struct EvaluationRecord: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var workflow: String
        public var version: String
        /// `fired`, `not_matched` or `skipped`.
        public var result: String
        /// For a non-match: the failing part of the condition and the values it saw.
        public var reason: String?

        public init(workflow: String, version: String, result: String, reason: String?) {
            self.workflow = workflow
            self.version = version
            self.result = result
            self.reason = reason
        }
    }

    public var eventID: String
    public var recordedAt: Timestamp
    public var entries: [Entry]

    public init(eventID: String, recordedAt: Timestamp, entries: [Entry]) {
        self.eventID = eventID
        self.recordedAt = recordedAt
        self.entries = entries
    }
}

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

/// What a commit did.
public struct CommitOutcome: Sendable, Hashable {
    public var effectsRecorded: Int
    /// Effects whose key was already in the log (a replay after a crash).
    public var effectsAlreadyRecorded: Int
    public var followUpsAppended: Int
    /// The position of the last record of the log after the commit. When it
    /// is `toPosition + followUpsAppended`, the records right after the batch
    /// are exactly its follow-ups, and a consumer may step over them unread.
    public var lastPosition: Int64

    public init(effectsRecorded: Int, effectsAlreadyRecorded: Int, followUpsAppended: Int, lastPosition: Int64) {
        self.effectsRecorded = effectsRecorded
        self.effectsAlreadyRecorded = effectsAlreadyRecorded
        self.followUpsAppended = followUpsAppended
        self.lastPosition = lastPosition
    }
}

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
