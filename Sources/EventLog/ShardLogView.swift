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

    public func tickets(_ ids: [String]) async throws -> [String: Value] {
        let schedules = ids.filter { $0.hasPrefix(Self.schedulePrefix) }
        guard !schedules.isEmpty else { return try await store.tickets(ids) }
        return fromShardSchedules(try await store.tickets(ids + schedules.map(shardScheduleID)))
    }

    /// Only this shard's tickets, and only the idle timers of this shard's
    /// tickets (`~timers/T`): a consumer must never fire, re-arm or rewrite
    /// another shard's. State shared by all tickets (other `~` ids) is
    /// returned whole.
    public func tickets(withPrefix prefix: String) async throws -> [String: Value] {
        fromShardSchedules(try await store.tickets(withPrefix: prefix).filter { id, _ in belongsHere(id) })
    }

    /// Each shard keeps its own copy of a schedule's state (when it last
    /// ticked for the shard's tickets), stored under the schedule's id and
    /// the shard (`~schedules/daily#3/16`): a shard that reads the state
    /// again must not find another shard's tick and skip its own. A
    /// schedule stored without a shard (by a single daemon) is read by every
    /// shard until the shard writes its own.
    private func shardScheduleID(_ id: String) -> String { id + "#\(lease.shard.index)/\(lease.shard.count)" }

    private func fromShardSchedules(_ states: [String: Value]) -> [String: Value] {
        var result: [String: Value] = [:]
        var own: [String: Value] = [:]
        let suffix = shardScheduleID("")
        for (id, state) in states {
            guard id.hasPrefix(Self.schedulePrefix), id.contains("#") else {
                result[id] = state
                continue
            }
            if id.hasSuffix(suffix) { own[String(id.dropLast(suffix.count))] = state }
        }
        result.merge(own) { _, shards in shards }
        return result
    }

    private func belongsHere(_ id: String) -> Bool {
        if id.hasPrefix(Self.timerPrefix) { return lease.shard.contains(ticket: String(id.dropFirst(Self.timerPrefix.count))) }
        if id.hasPrefix("~") { return true }
        return lease.shard.contains(ticket: id)
    }

    static let timerPrefix = "~timers/"

    /// Commits through the lease. Of the shared states the batch changed,
    /// only those other shards also write are checked against their basis:
    /// a ticket's idle timer and a schedule's state are this shard's alone.
    public func commit(_ batch: ConsumerBatch) async throws -> CommitOutcome {
        var batch = batch
        batch.sharedBasis = batch.sharedBasis.filter { id, _ in Self.isSharedAcrossShards(id) }
        for id in batch.tickets.keys where id.hasPrefix(Self.schedulePrefix) {
            batch.tickets[shardScheduleID(id)] = batch.tickets.removeValue(forKey: id)
        }
        return try await store.commit(batch, lease: lease)
    }

    static let schedulePrefix = "~schedules/"

    /// The shared states of a whole log as one reader that is no shard (a
    /// dry-run from the log) should see them: each schedule's state is the
    /// one of the shard (or of a single daemon) that ticked last.
    public static func mergingShardSchedules(_ states: [String: Value]) -> [String: Value] {
        var result: [String: Value] = [:]
        var latest: [String: (state: Value, last: Timestamp?)] = [:]
        for (id, state) in states {
            guard id.hasPrefix(schedulePrefix) else {
                result[id] = state
                continue
            }
            let schedule = String(id.prefix { $0 != "#" })
            let last = state["last"]?.stringValue.flatMap(Timestamp.parse)
            // The latest tick wins; equal ones are the same tick, whichever is kept.
            if let kept = latest[schedule], let keptLast = kept.last, last.map({ $0 <= keptLast }) ?? true { continue }
            latest[schedule] = (state, last)
        }
        for (schedule, kept) in latest { result[schedule] = kept.state }
        return result
    }

    /// Whether several shards write the state `id`: every shared state
    /// (`~`) but a ticket's idle timers and a shard's schedule state.
    public static func isSharedAcrossShards(_ id: String) -> Bool {
        id.hasPrefix("~") && !id.hasPrefix(timerPrefix) && !id.hasPrefix(schedulePrefix)
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
