import Core

/// The event log held in memory: for dry-runs, tests, and as the reference
/// the other stores are checked against.
public actor MemoryEventStore: EventStore {
    private var log: [LogRecord] = []
    private var positionByID: [String: Int64] = [:]
    private var positionsByTicket: [String: [Int64]] = [:]
    private var effectList: [EffectRecord] = []
    private var effectKeys: Set<[String]> = []
    private var effectIndexesByEvent: [String: [Int]] = [:]
    private var evaluations: [String: EvaluationRecord] = [:]
    private var ticketStates: [String: Value] = [:]
    private var checkpoints: [String: Int64] = [:]

    public init() {}

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
        checkpoints[batch.consumer] = batch.toPosition
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
}
