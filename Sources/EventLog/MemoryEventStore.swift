import Core
import Foundation

/// The event log held in memory: for dry-runs, tests, and as the reference
/// the other stores are checked against.
public actor MemoryEventStore: ShardedEventStore {
    private var log: [LogRecord] = []
    private var positionByID: [String: Int64] = [:]
    private var positionsByTicket: [String: [Int64]] = [:]
    private var effectList: [EffectRecord] = []
    private var effectKeys: Set<[String]> = []
    private var effectIndexesByEvent: [String: [Int]] = [:]
    private var evaluations: [String: EvaluationRecord] = [:]
    private var ticketStates: [String: Value] = [:]
    private var checkpoints: [String: Int64] = [:]
    private var shardLeases: [String: [Int: ShardLease]] = [:]
    private var shardCheckpoints: [String: [Int: (count: Int, position: Int64)]] = [:]
    private let leaseClock: @Sendable () -> Timestamp

    /// - Parameter leaseClock: the clock leases are measured on (the wall clock by default).
    public init(leaseClock: @escaping @Sendable () -> Timestamp = {
        Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)
    }) {
        self.leaseClock = leaseClock
    }

    public func append(_ events: [Event], recordedAt: Timestamp) -> [AppendOutcome] {
        events.map { event in
            if let position = positionByID[event.id] {
                let stored = log[Int(position - 1)].event
                return stored.payload == event.payload ? .duplicate(position: position) : .conflict(position: position)
            }
            return .appended(position: store(event, recordedAt: recordedAt, causation: nil))
        }
    }

    private func store(_ event: Event, recordedAt: Timestamp, causation: Causation?) -> Int64 {
        let position = Int64(log.count + 1)
        log.append(LogRecord(position: position, event: event, recordedAt: recordedAt, causation: causation))
        positionByID[event.id] = position
        positionsByTicket[event.ticketID, default: []].append(position)
        return position
    }

    public func records(after position: Int64, limit: Int) -> [LogRecord] {
        let start = Int(max(0, position))
        guard start < log.count else { return [] }
        return Array(log[start..<min(log.count, start + limit)])
    }

    public func tail(_ count: Int) -> [LogRecord] { Array(log.suffix(count)) }

    public func records(ticket: String) -> [LogRecord] {
        (positionsByTicket[ticket] ?? []).map { log[Int($0 - 1)] }
    }

    public func record(eventID: String) -> LogRecord? {
        positionByID[eventID].map { log[Int($0 - 1)] }
    }

    public func lastPosition() -> Int64 { Int64(log.count) }

    public func checkpoint(consumer: String) -> Int64 { checkpoints[consumer] ?? 0 }

    public func tickets(_ ids: [String]) -> [String: Value] {
        var found: [String: Value] = [:]
        for id in ids { if let state = ticketStates[id] { found[id] = state } }
        return found
    }

    public func tickets(withPrefix prefix: String) -> [String: Value] {
        ticketStates.filter { $0.key.hasPrefix(prefix) }
    }

    public func commit(_ batch: ConsumerBatch) throws -> CommitOutcome {
        let current = checkpoints[batch.consumer] ?? 0
        guard current == batch.fromPosition else {
            throw CheckpointMoved(consumer: batch.consumer, expected: batch.fromPosition, found: current)
        }
        checkpoints[batch.consumer] = batch.toPosition
        return apply(batch)
    }

    private func apply(_ batch: ConsumerBatch) -> CommitOutcome {
        var recorded = 0
        var already = 0
        var appended = 0
        for effect in batch.effects {
            if effectKeys.insert([effect.eventID, effect.workflow, effect.step]).inserted {
                effectIndexesByEvent[effect.eventID, default: []].append(effectList.count)
                effectList.append(effect)
                recorded += 1
            } else {
                already += 1
            }
        }
        let recordedAt = batch.effects.first?.recordedAt ?? Timestamp(millisecondsSinceEpoch: 0)
        for (event, causation) in batch.followUps where positionByID[event.id] == nil {
            _ = store(event, recordedAt: recordedAt, causation: causation)
            appended += 1
        }
        for evaluation in batch.evaluations { evaluations[evaluation.eventID] = evaluation }
        for (id, state) in batch.tickets { ticketStates[id] = state }
        return CommitOutcome(
            effectsRecorded: recorded, effectsAlreadyRecorded: already, followUpsAppended: appended,
            lastPosition: Int64(log.count))
    }

    public func effects(eventID: String) -> [EffectRecord] { (effectIndexesByEvent[eventID] ?? []).map { effectList[$0] } }

    public func effects(eventIDs: [String]) -> [EffectRecord] {
        var seen: Set<String> = []
        return eventIDs.flatMap { id in seen.insert(id).inserted ? effects(eventID: id) : [] }
    }

    public func effects(ticket: String) -> [EffectRecord] { effectList.filter { $0.ticketID == ticket } }

    public func evaluation(eventID: String) -> EvaluationRecord? { evaluations[eventID] }

    public func pruneEvaluations(before time: Timestamp) -> Int {
        let old = evaluations.filter { $0.value.recordedAt < time }.map(\.key)
        for key in old { evaluations[key] = nil }
        return old.count
    }

    // MARK: - Shards

    public func acquireLease(consumer: String, shard: ShardID, owner: String, duration: TimeSpan) throws -> ShardLease? {
        precondition(duration.milliseconds > 0, "a lease needs a positive duration")
        try checkShardCount(consumer: consumer, count: shard.count)
        let now = leaseClock()
        let current = shardLeases[consumer]?[shard.index]
        if let current, current.expiresAt > now, current.owner != owner { return nil }
        let lease = ShardLease(
            consumer: consumer, shard: shard, owner: owner, fencingToken: (current?.fencingToken ?? 0) + 1,
            expiresAt: now.adding(duration))
        shardLeases[consumer, default: [:]][shard.index] = lease
        return lease
    }

    public func renewLease(_ lease: ShardLease, duration: TimeSpan) throws -> ShardLease {
        precondition(duration.milliseconds > 0, "a lease needs a positive duration")
        let now = leaseClock()
        try checkLease(lease, at: now)
        var renewed = lease
        renewed.expiresAt = now.adding(duration)
        shardLeases[lease.consumer]?[lease.shard.index]?.expiresAt = renewed.expiresAt
        return renewed
    }

    public func releaseLease(_ lease: ShardLease) {
        guard shardLeases[lease.consumer]?[lease.shard.index]?.fencingToken == lease.fencingToken else { return }
        shardLeases[lease.consumer]?[lease.shard.index]?.expiresAt = Timestamp(millisecondsSinceEpoch: 0)
    }

    public func leases(consumer: String) -> [ShardLease] {
        (shardLeases[consumer] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
    }

    public func checkpoint(consumer: String, shard: ShardID) throws -> Int64 {
        guard let stored = shardCheckpoints[consumer]?[shard.index] else { return 0 }
        guard stored.count == shard.count else {
            throw ShardCountMismatch(consumer: consumer, stored: stored.count, requested: shard.count)
        }
        return stored.position
    }

    public func records(after position: Int64, shard: ShardID, limit: Int) -> [LogRecord] {
        guard limit > 0 else { return [] }
        let start = Int(max(0, position))
        guard start < log.count else { return [] }
        return Array(log[start...].lazy.filter { shard.contains(ticket: $0.event.ticketID) }.prefix(limit))
    }

    public func commit(_ batch: ConsumerBatch, lease: ShardLease) throws -> CommitOutcome {
        precondition(batch.consumer == lease.consumer, "a batch of \(batch.consumer) committed with a lease of \(lease.consumer)")
        try checkLease(lease, at: leaseClock())
        let current = try checkpoint(consumer: lease.consumer, shard: lease.shard)
        guard current == batch.fromPosition else {
            throw CheckpointMoved(
                consumer: "\(batch.consumer) shard \(lease.shard)", expected: batch.fromPosition, found: current)
        }
        let moved = batch.sharedBasis.keys.sorted().filter { ticketStates[$0] != batch.sharedBasis[$0]! }
        guard moved.isEmpty else { throw SharedStateMoved(ids: moved) }
        shardCheckpoints[lease.consumer, default: [:]][lease.shard.index] = (lease.shard.count, batch.toPosition)
        return apply(batch)
    }

    private func checkLease(_ lease: ShardLease, at now: Timestamp) throws {
        let current = shardLeases[lease.consumer]?[lease.shard.index]
        guard let current, current.fencingToken == lease.fencingToken, current.expiresAt > now else {
            throw LeaseLost(
                consumer: lease.consumer, shard: lease.shard, fencingToken: lease.fencingToken,
                currentToken: current?.fencingToken, currentOwner: current?.owner)
        }
    }

    private func checkShardCount(consumer: String, count: Int) throws {
        let stored = (shardLeases[consumer] ?? [:]).values.map(\.shard.count)
            + (shardCheckpoints[consumer] ?? [:]).values.map(\.count)
        if let other = stored.first(where: { $0 != count }) {
            throw ShardCountMismatch(consumer: consumer, stored: other, requested: count)
        }
    }
}
