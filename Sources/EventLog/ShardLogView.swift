import Core

/// One leased shard of a shared log, seen as an ordinary `EventStore`: the
/// engine's `LogConsumer` runs on it unchanged and processes only the
/// shard's tickets.
///
/// Reading the log (`records(after:limit:)`) and the checkpoint are the
/// shard's; `commit` goes through the lease's fencing token. Everything
/// else (appending, looking up records, tickets, effects) is the whole
/// log's. Renewing the lease does not change its token, so a view stays
/// valid across renewals; after `LeaseLost`, make a new view from a new lease.
public struct ShardLogView: EventStore {
    public let store: any ShardedEventStore
    public let lease: ShardLease

    public init(store: any ShardedEventStore, lease: ShardLease) {
        self.store = store
        self.lease = lease
    }

    public func append(_ events: [Event], recordedAt: Timestamp) async throws -> [AppendOutcome] {
        try await store.append(events, recordedAt: recordedAt)
    }

    public func records(after position: Int64, limit: Int) async throws -> [LogRecord] {
        try await store.records(after: position, shard: lease.shard, limit: limit)
    }

    public func tail(_ count: Int) async throws -> [LogRecord] { try await store.tail(count) }

    public func records(ticket: String) async throws -> [LogRecord] { try await store.records(ticket: ticket) }

    public func record(eventID: String) async throws -> LogRecord? { try await store.record(eventID: eventID) }

    public func lastPosition() async throws -> Int64 { try await store.lastPosition() }

    public func checkpoint(consumer: String) async throws -> Int64 {
        try await store.checkpoint(consumer: consumer, shard: lease.shard)
    }

    public func tickets(_ ids: [String]) async throws -> [String: Value] { try await store.tickets(ids) }

    /// Only this shard's tickets, and only the idle timers of this shard's
    /// tickets (`~timers/T`): a consumer must never fire, re-arm or rewrite
    /// another shard's. State shared by all tickets (other `~` ids) is
    /// returned whole.
    public func tickets(withPrefix prefix: String) async throws -> [String: Value] {
        try await store.tickets(withPrefix: prefix).filter { id, _ in belongsHere(id) }
    }

    private func belongsHere(_ id: String) -> Bool {
        if id.hasPrefix(Self.timerPrefix) { return lease.shard.contains(ticket: String(id.dropFirst(Self.timerPrefix.count))) }
        if id.hasPrefix("~") { return true }
        return lease.shard.contains(ticket: id)
    }

    static let timerPrefix = "~timers/"

    public func commit(_ batch: ConsumerBatch) async throws -> CommitOutcome {
        try await store.commit(batch, lease: lease)
    }

    public func effects(eventID: String) async throws -> [EffectRecord] { try await store.effects(eventID: eventID) }

    public func effects(ticket: String) async throws -> [EffectRecord] { try await store.effects(ticket: ticket) }

    public func effects(eventIDs: [String]) async throws -> [EffectRecord] { try await store.effects(eventIDs: eventIDs) }

    public func evaluation(eventID: String) async throws -> EvaluationRecord? {
        try await store.evaluation(eventID: eventID)
    }

    public func pruneEvaluations(before time: Timestamp) async throws -> Int {
        try await store.pruneEvaluations(before: time)
    }
}
