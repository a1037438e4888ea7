import Core
import EventLog
import Workflows

/// Feeds the event log to the engine: reads the records after its durable
/// checkpoint in log order (so each ticket's events are processed in order),
/// and commits what the engine decided — effects, the events they append,
/// evaluations, ticket states and the new checkpoint — in one transaction
/// per batch. A crash before a commit loses nothing: the same records are
/// processed again and, the engine being deterministic, produce the same
/// batch; effect keys make the store refuse anything recorded twice.
public struct LogConsumer {
    public struct Statistics: Sendable {
        public var eventsProcessed = 0
        public var followUpEvents = 0
        public var workflowRuns = 0
        public var failedRuns = 0
        public var effectsRecorded = 0
        /// Effects already in the log, found again after a restart.
        public var effectsAlreadyRecorded = 0
        public var timersFired = 0
        /// Batches refused because another daemon changed shared state they read (redone, or left for later).
        public var sharedStateRetries = 0
        public var warnings: [String] = []
        public init() {}
    }

    public let name: String
    public private(set) var engine: Engine
    let store: any EventStore
    let now: @Sendable () -> Timestamp
    public var batchSize: Int
    /// Ticket states kept in memory between batches; past this many the
    /// cache is dropped (the store has them), so memory stays flat.
    public var cachedTicketLimit: Int
    private var tickets = TicketProjection()
    private var lastEventTime: [String: Timestamp] = [:]
    private var nextPosition: Int64?
    private var sharedStateLoaded = false
    /// Each shared state (`~` id) as the store held it when last read or
    /// written here: what a batch that changes it was computed from.
    private var sharedBasis: [String: Value] = [:]
    /// Shared states the other shard consumers of this process committed;
    /// `nil` for a consumer that runs alone.
    public var board: SharedStateBoard?
    /// The board's generation this consumer has caught up with.
    private var boardGeneration = 0

    /// How many refusals in a row (`SharedStateMoved`) one `drain` takes,
    /// redoing the batch half as large after each, before it returns and
    /// leaves the rest for its next call: a sharded daemon renews its leases
    /// between calls.
    public static let sharedStateRetryLimit = 4

    /// The last position this consumer has dealt with, counting its own
    /// follow-ups (which the store's checkpoint does not); `nil` before it ran.
    public var lastSeenPosition: Int64? { nextPosition.map { $0 - 1 } }

    /// - Parameter now: the clock that stamps recorded effects; injected, never read directly.
    public init(
        name: String = "engine", engine: Engine, store: any EventStore, now: @escaping @Sendable () -> Timestamp,
        batchSize: Int = 500, cachedTicketLimit: Int = 20_000
    ) {
        self.name = name
        self.engine = engine
        self.store = store
        self.now = now
        self.batchSize = batchSize
        self.cachedTicketLimit = cachedTicketLimit
    }

    /// Processes every record not yet processed, batch by batch.
    /// `observe` sees each incoming event's outcome (for output and progress).
    ///
    /// - Parameter known: records the caller has just appended, to be used
    ///   instead of reading them back when they are exactly the next ones.
    public mutating func drain(
        into statistics: inout Statistics, known: [LogRecord] = [], observe: (EventOutcome) -> Void = { _ in }
    ) async throws {
        try await loadSharedState()
        var checkpoint = try await store.checkpoint(consumer: name)
        // The next position to look at: past the checkpoint, and past this
        // consumer's own follow-ups when they directly follow its last batch.
        var next = nextPosition ?? checkpoint + 1
        if next <= checkpoint { next = checkpoint + 1 }
        var supplied = known[...]
        var retries = 0
        var limit = batchSize
        while true {
            catchUpWithBoard()
            let beforeBatch = statistics
            let eventTimesBefore = lastEventTime
            var records: [LogRecord] = []
            if let first = supplied.first, first.position == next {
                while let record = supplied.first, record.position == next, records.count < limit {
                    records.append(record)
                    supplied.removeFirst()
                    next += 1
                }
            } else {
                supplied = []
                records = try await store.records(after: next - 1, limit: limit)
            }
            guard let last = records.last else {
                nextPosition = next
                return
            }
            let incoming = records.filter(\.isIncoming)
            var needed = Set(incoming.map(\.event.ticketID))
            if let earliest = incoming.map(\.event.occurredAt).min(), let latest = incoming.map(\.event.occurredAt).max() {
                engine.primeSchedules(at: earliest, tickets: &tickets)
                needed.formUnion(engine.ticketsWithTimersDue(by: latest))
                if engine.scheduleTickDue(by: latest, tickets: tickets) { try await loadAllTickets() }
            }
            let unknown = needed.filter { tickets[$0] == nil }
            if !unknown.isEmpty {
                for (id, state) in try await store.tickets(Array(unknown)) { tickets.load(id, state) }
            }
            engine.prepare(incoming.map(\.event), tickets: tickets)
            var batch = ConsumerBatch(consumer: name, fromPosition: checkpoint, toPosition: last.position)
            let recordedAt = now()
            for record in incoming {
                let event = record.event
                if tickets[event.ticketID] == nil, event.type != "ticket.created" {
                    statistics.warnings.append("\(event.id): \(event.type) for ticket \(event.ticketID), which the log has not seen before")
                }
                if let previous = lastEventTime[event.ticketID], event.occurredAt < previous {
                    statistics.warnings.append(
                        "\(event.id): occurred at \(event.occurredAt), before an earlier event of ticket \(event.ticketID) (\(previous)); processed in log order")
                }
                lastEventTime[event.ticketID] = max(event.occurredAt, lastEventTime[event.ticketID] ?? event.occurredAt)
                for fired in engine.fireTimers(until: event.occurredAt, tickets: &tickets) {
                    Self.collectTimer(fired, into: &batch, statistics: &statistics, recordedAt: recordedAt)
                    observe(fired)
                }
                let outcome = engine.process(event, tickets: &tickets)
                Self.collect(outcome, into: &batch, statistics: &statistics, recordedAt: recordedAt)
                statistics.eventsProcessed += 1
                observe(outcome)
            }
            let result: CommitOutcome
            do {
                result = try await commit(&batch, into: &statistics)
            } catch let moved as SharedStateMoved {
                // Another daemon changed shared state this batch read: nothing
                // was applied, and what differed has been read again. Redo a
                // smaller batch, or leave it for the next call.
                statistics = beforeBatch
                statistics.sharedStateRetries += 1
                lastEventTime = eventTimesBefore
                supplied = []
                next = checkpoint + 1
                retries += 1
                guard retries < Self.sharedStateRetryLimit else {
                    statistics.warnings.append(
                        "refused \(retries) times in a row, as other daemons changed \(moved.ids.joined(separator: ", ")) first; left for the next turn")
                    nextPosition = next
                    return
                }
                limit = max(1, limit / 2)
                continue
            } catch {
                // Nothing of the batch was committed: it did not happen.
                statistics = beforeBatch
                throw error
            }
            retries = 0
            limit = batchSize
            let ownFollowUpsOnly = result.lastPosition == last.position + Int64(result.followUpsAppended)
            next = ownFollowUpsOnly ? result.lastPosition + 1 : last.position + 1
            checkpoint = last.position
            if tickets.tickets.count > cachedTicketLimit,
                tickets.tickets.keys.lazy.filter({ !$0.hasPrefix("~") }).count > cachedTicketLimit
            {
                tickets.dropTickets()
                lastEventTime = [:]
            }
        }
    }

    /// State shared across tickets (recurrence, text groups, idle timers) is
    /// loaded once and kept; the timer queue is rebuilt from it.
    private mutating func loadSharedState() async throws {
        guard !sharedStateLoaded else { return }
        // The store holds at least what was published on the board so far.
        let generation = board?.current ?? 0
        for (id, state) in try await store.tickets(withPrefix: "~") {
            tickets.load(id, state)
            sharedBasis[id] = state
        }
        engine.restoreTimers(from: tickets)
        sharedStateLoaded = true
        boardGeneration = generation
    }

    /// Takes the shared states other shard consumers of this process
    /// committed since this one last looked. Only between batches: the
    /// projection then holds nothing uncommitted.
    private mutating func catchUpWithBoard() {
        guard let board, sharedStateLoaded else { return }
        let (changes, generation) = board.changes(since: boardGeneration)
        for (id, value) in changes {
            if let value { tickets.load(id, value) } else { tickets.forget(id) }
            sharedBasis[id] = value
        }
        boardGeneration = generation
    }

    /// Shares the committed values of states several shards write.
    private func publish(_ states: [String: Value?]) {
        board?.publish(states.filter { ShardLogView.isSharedAcrossShards($0.key) })
    }

    /// Fires the idle timers due at or before `time` and commits what they
    /// did, for when no more events will come to move the clock on (the end
    /// of a `run`, or a daemon's tick).
    public mutating func fireTimers(
        until time: Timestamp, into statistics: inout Statistics, observe: (EventOutcome) -> Void = { _ in }
    ) async throws {
        try await loadSharedState()
        catchUpWithBoard()
        let beforeTimers = statistics
        let checkpoint = try await store.checkpoint(consumer: name)
        if engine.scheduleTickDue(by: time, tickets: tickets) { try await loadAllTickets() }
        let unknown = engine.ticketsWithTimersDue(by: time).filter { tickets[$0] == nil }
        if !unknown.isEmpty {
            for (id, state) in try await store.tickets(Array(unknown)) { tickets.load(id, state) }
        }
        var batch = ConsumerBatch(consumer: name, fromPosition: checkpoint, toPosition: checkpoint)
        let recordedAt = now()
        for outcome in engine.fireTimers(until: time, tickets: &tickets) {
            Self.collectTimer(outcome, into: &batch, statistics: &statistics, recordedAt: recordedAt)
            observe(outcome)
        }
        // Nothing fired may still have changed state (a schedule's first tick time): keep it.
        guard !batch.followUps.isEmpty || !tickets.changed.isEmpty else { return }
        do {
            _ = try await commit(&batch, into: &statistics)
        } catch is SharedStateMoved {
            // Nothing was applied and the timers are still due: the next call
            // fires them again, from the state as it is now.
            statistics = beforeTimers
            statistics.sharedStateRetries += 1
        } catch {
            // Nothing was committed: the timers did not fire.
            statistics = beforeTimers
            throw error
        }
    }

    /// Adds the changed ticket states to the batch and commits it. If the
    /// commit fails, what is cached may include the batch's changes, so
    /// everything is read again from the store next time; when it failed
    /// only because another daemon changed shared state, just the states the
    /// batch changed and those are read again.
    private mutating func commit(_ batch: inout ConsumerBatch, into statistics: inout Statistics) async throws -> CommitOutcome {
        for id in tickets.takeChanged() {
            batch.tickets[id] = tickets[id]
            if id.hasPrefix("~") { batch.sharedBasis[id] = .some(sharedBasis[id]) }
        }
        do {
            let result = try await store.commit(batch)
            let committed = Dictionary(uniqueKeysWithValues: batch.sharedBasis.keys.map { ($0, batch.tickets[$0]) })
            for (id, value) in committed { sharedBasis[id] = value }
            publish(committed)
            statistics.effectsRecorded += result.effectsRecorded
            statistics.effectsAlreadyRecorded += result.effectsAlreadyRecorded
            return result
        } catch let moved as SharedStateMoved {
            do {
                try await reread(Set(batch.tickets.keys).union(moved.ids))
            } catch {
                forgetEverything()
                throw error
            }
            throw moved
        } catch {
            forgetEverything()
            throw error
        }
    }

    private mutating func forgetEverything() {
        tickets = TicketProjection()
        lastEventTime = [:]
        nextPosition = nil
        sharedStateLoaded = false
        sharedBasis = [:]
    }

    /// Replaces what is cached of `ids` by what the store holds, and rebuilds
    /// the timer queue (the batch may have fired or armed timers).
    private mutating func reread(_ ids: Set<String>) async throws {
        let stored = try await store.tickets(Array(ids))
        for id in ids {
            if let state = stored[id] { tickets.load(id, state) } else { tickets.forget(id) }
            if id.hasPrefix("~") { sharedBasis[id] = stored[id] }
        }
        engine.restoreTimers(from: tickets)
        publish(Dictionary(uniqueKeysWithValues: ids.map { ($0, stored[$0]) }))
    }

    /// When the earliest idle timer is due (after loading the log's timers).
    public mutating func nextTimerDue() async throws -> Timestamp? {
        try await loadSharedState()
        return engine.nextTimerDue
    }

    /// When the next idle timer or schedule tick is due.
    public mutating func nextWakeUp() async throws -> Timestamp? {
        try await loadSharedState()
        return engine.nextWakeUp(tickets: tickets)
    }

    /// A schedule tick looks at every ticket, so every ticket is loaded.
    private mutating func loadAllTickets() async throws {
        for (id, state) in try await store.tickets(withPrefix: "") where tickets[id] == nil {
            tickets.load(id, state)
            if id.hasPrefix("~") { sharedBasis[id] = state }
        }
    }

    /// A fired timer's `ticket.idle` event goes into the log as the effect of
    /// the event that armed it, then its outcome like any other.
    static func collectTimer(
        _ outcome: EventOutcome, into batch: inout ConsumerBatch, statistics: inout Statistics, recordedAt: Timestamp
    ) {
        let version = outcome.evaluations.first?.version ?? ""
        let cause: Causation
        if let schedule = outcome.event.payload["schedule"] {
            let workflow = schedule["workflow"]?.stringValue ?? ""
            cause = Causation(
                eventID: "schedule/\(workflow)/\(schedule["tick"]?.stringValue ?? "")", workflow: workflow,
                workflowVersion: version, step: "schedule")
        } else {
            let timer = outcome.event.payload["timer"]
            cause = Causation(
                eventID: timer?["armed_by"]?.stringValue ?? outcome.event.id,
                workflow: timer?["workflow"]?.stringValue ?? "", workflowVersion: version, step: "idle")
        }
        batch.followUps.append((outcome.event, cause))
        statistics.timersFired += 1
        collect(outcome, into: &batch, statistics: &statistics, recordedAt: recordedAt)
    }

    /// Adds an outcome (and its cascade) to a batch: effects, the follow-up
    /// events with what caused them, and the evaluation record.
    static func collect(_ outcome: EventOutcome, into batch: inout ConsumerBatch, statistics: inout Statistics, recordedAt: Timestamp) {
        var causes: [String: Causation] = [:]
        if !outcome.evaluations.isEmpty {
            batch.evaluations.append(EvaluationRecord(
                eventID: outcome.event.id, recordedAt: recordedAt,
                entries: outcome.evaluations.map {
                    EvaluationRecord.Entry(workflow: $0.workflow, version: $0.version, result: $0.result.rawValue, reason: $0.reason ?? $0.failure)
                }))
        }
        for evaluation in outcome.evaluations {
            if evaluation.result == .fired {
                statistics.workflowRuns += 1
                if evaluation.failure != nil { statistics.failedRuns += 1 }
            }
            for effect in evaluation.effects {
                let detail: String? = switch effect.outcome {
                case .applied: nil
                case .unchanged(let reason): reason
                case .failed(let message, _): message
                }
                batch.effects.append(EffectRecord(
                    eventID: effect.key.eventID, workflow: effect.key.workflow, step: effect.key.step,
                    workflowVersion: effect.workflowVersion, ticketID: effect.ticketID, action: effect.action,
                    parameters: .object(effect.parameters), outcome: effect.outcomeName, detail: detail,
                    followUpEventID: effect.followUpEventID, recordedAt: recordedAt))
                if let followUp = effect.followUpEventID {
                    causes[followUp] = Causation(
                        eventID: effect.key.eventID, workflow: effect.key.workflow,
                        workflowVersion: effect.workflowVersion, step: effect.key.step)
                }
            }
        }
        for followUp in outcome.cascade.map(\.event) + outcome.unprocessedFollowUps {
            guard let cause = causes[followUp.id] else { continue }
            batch.followUps.append((followUp, cause))
            statistics.followUpEvents += 1
        }
        for child in outcome.cascade {
            collect(child, into: &batch, statistics: &statistics, recordedAt: recordedAt)
        }
    }
}
