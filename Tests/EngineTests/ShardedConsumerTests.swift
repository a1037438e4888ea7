import Actions
import Core
import Engine
import EventLog
import Foundation
import Testing
import Workflows

/// The engine's `LogConsumer`, unchanged, run per shard through
/// `ShardLogView`, as daemons sharing a log will run it: the work split by
/// ticket must come out exactly as one consumer's, and a daemon whose lease
/// lapsed must not be able to commit.
@Suite struct ShardedConsumerTests {
    static let tagAll = """
        workflow: tag-all
        on: [ticket.created, ticket.updated]
        steps:
          - tag: seen
          - escalate: { to: tier-2, reason: "urgent" }
            if: ticket.priority == "urgent"
        """

    static func event(_ id: String, ticket: Int, type: String, minute: Int) -> Event {
        try! EventDecoder.decode([
            "id": .string(id), "type": .string(type),
            "occurred_at": .string("2026-11-22T10:\(String(format: "%02d", minute)):00Z"),
            "ticket": ["id": .string("T-\(ticket)"), "priority": ticket % 3 == 0 ? "urgent" : "normal"],
        ]).get()
    }

    /// Three events for each of 40 tickets, interleaved across tickets.
    static let events: [Event] = (0..<3).flatMap { round in
        (1...40).map { ticket in
            event("e\(ticket)-\(round)", ticket: ticket, type: round == 0 ? "ticket.created" : "ticket.updated", minute: round)
        }
    }

    static func consumer(_ store: any EventStore) throws -> LogConsumer {
        let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)
        let workflow = try #require(loader.loadText(Array(tagAll.utf8), file: "tag-all.yaml").0)
        return LogConsumer(
            engine: Engine(workflows: WorkflowSet([workflow]), actions: BuiltinActions.registry), store: store,
            now: { Timestamp(millisecondsSinceEpoch: 0) }, batchSize: 7)
    }

    final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)
        @Sendable func now() -> Timestamp { lock.withLock { time } }
        func advance(_ span: TimeSpan) { lock.withLock { time = time.adding(span) } }
    }

    @Test func consumersOnFourShards_recordExactlyWhatOneConsumerRecords() async throws {
        let single = MemoryEventStore()
        _ = await single.append(Self.events, recordedAt: Timestamp(millisecondsSinceEpoch: 0))
        var one = try Self.consumer(single)
        var statistics = LogConsumer.Statistics()
        try await one.drain(into: &statistics)
        #expect(statistics.effectsRecorded == 40 * 3 + 13 * 3)

        let shared = MemoryEventStore()
        // Half the events, a round of shard consumers, the rest, another round.
        for part in [Self.events[..<50], Self.events[50...]] {
            _ = await shared.append(Array(part), recordedAt: Timestamp(millisecondsSinceEpoch: 0))
            for index in 0..<4 {
                let lease = try #require(try await shared.acquireLease(
                    consumer: "engine", shard: ShardID(index, of: 4), owner: "daemon-\(index % 2)",
                    duration: .seconds(30)))
                var consumer = try Self.consumer(ShardLogView(store: shared, lease: lease))
                var shardStatistics = LogConsumer.Statistics()
                try await consumer.drain(into: &shardStatistics)
            }
        }

        for ticket in (1...40).map({ "T-\($0)" }) {
            #expect(try await shared.effects(ticket: ticket) == (try await single.effects(ticket: ticket)))
        }
        #expect(try await shared.tickets((1...40).map { "T-\($0)" }) == (try await single.tickets((1...40).map { "T-\($0)" })))
        for index in 0..<4 {
            let shard = ShardID(index, of: 4)
            let last = await shared.records(after: 0, shard: shard, limit: 10_000).filter(\.isIncoming).last
            #expect(try await shared.checkpoint(consumer: "engine", shard: shard) >= last?.position ?? 0)
        }
    }

    @Test func aConsumerWhoseLeaseLapsed_cannotCommit_andTheNewHolderDoesTheWorkOnce() async throws {
        let clock = ManualClock()
        let shared = MemoryEventStore(leaseClock: clock.now)
        let shard = ShardID(0, of: 2)
        _ = await shared.append(Self.events, recordedAt: Timestamp(millisecondsSinceEpoch: 0))
        let stale = try #require(try await shared.acquireLease(
            consumer: "engine", shard: shard, owner: "daemon-a", duration: .seconds(10)))
        clock.advance(.seconds(11))
        let fresh = try #require(try await shared.acquireLease(
            consumer: "engine", shard: shard, owner: "daemon-b", duration: .seconds(10)))

        var late = try Self.consumer(ShardLogView(store: shared, lease: stale))
        var statistics = LogConsumer.Statistics()
        await #expect(throws: LeaseLost.self) { try await late.drain(into: &statistics) }
        #expect(try await shared.checkpoint(consumer: "engine", shard: shard) == 0)

        var current = try Self.consumer(ShardLogView(store: shared, lease: fresh))
        var freshStatistics = LogConsumer.Statistics()
        try await current.drain(into: &freshStatistics)

        let ticketsInShard = (1...40).map { "T-\($0)" }.filter { shard.contains(ticket: $0) }
        #expect(freshStatistics.eventsProcessed == ticketsInShard.count * 3)
        #expect(freshStatistics.effectsAlreadyRecorded == 0)
        for ticket in ticketsInShard {
            // tag on each of three events; escalate on urgent tickets' three events.
            let expected = Int(ticket.dropFirst(2))! % 3 == 0 ? 6 : 3
            #expect(try await shared.effects(ticket: ticket).count == expected)
        }
    }
}

/// State shared across tickets, such as a recurrence count, gathers tickets
/// of every shard, while each shard's consumer keeps its own copy of it.
@Suite struct SharedStateAcrossShardsTests {
    static let recurring = """
        workflow: export-failures-recur
        on: ticket.created
        steps:
          - file_product_recommendation:
              title: Customers keep failing to export reports
              when_recurs: { key: "reports/export", at_least: 3, within: 7d }
              cooldown: 2h
        """

    static func created(_ number: Int) -> Event {
        try! EventDecoder.decode([
            "id": .string("e\(number)"), "type": "ticket.created",
            "occurred_at": .string("2026-11-16T09:\(String(format: "%02d", number)):00Z"),
            "ticket": ["id": .string("T-\(number)"), "subject": "Export fails"],
        ]).get()
    }

    @Test(arguments: [false, true])
    func recurrence_countsTheTicketsOfEveryShard_whileEachShardsConsumerKeepsRunning(sharingABoard: Bool) async throws {
        let store = MemoryEventStore()
        let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)
        let workflow = try #require(loader.loadText(Array(Self.recurring.utf8), file: "recur.yaml").0)
        var consumers: [LogConsumer] = []
        // Without a board the consumers are as two daemons; with one, as one daemon's shards.
        let board = SharedStateBoard()
        for index in 0..<2 {
            let lease = try #require(try await store.acquireLease(
                consumer: "engine", shard: ShardID(index, of: 2), owner: "daemon", duration: .seconds(3600)))
            var consumer = LogConsumer(
                engine: Engine(workflows: WorkflowSet([workflow]), actions: BuiltinActions.registry),
                store: ShardLogView(store: store, lease: lease), now: { Timestamp(millisecondsSinceEpoch: 0) })
            if sharingABoard { consumer.board = board }
            consumers.append(consumer)
        }
        let tickets = (1...6).map { "T-\($0)" }
        #expect(Set(tickets.map { ShardID.hash($0) % 2 }).count == 2, "the tickets fall in both shards")

        // The consumers start before any ticket arrives and keep running, as a daemon's do.
        var statistics = LogConsumer.Statistics()
        for index in consumers.indices { try await consumers[index].drain(into: &statistics) }
        for number in 1...6 {
            _ = await store.append([Self.created(number)], recordedAt: Timestamp(millisecondsSinceEpoch: 0))
            for index in consumers.indices { try await consumers[index].drain(into: &statistics) }
        }

        let state = try #require(try await store.tickets(["~recurrence/reports/export"]).values.first)
        #expect(state["recommendation"]?["tickets"]?.arrayValue?.compactMap(\.stringValue) == tickets)
        #expect(state["recommendation"]?["count"] == 6)
        let filed = try await store.tail(100).filter { $0.event.type == "recommendation.filed" }
        #expect(filed.count == 1)
        #expect(filed.first?.event.payload["effect"]?["details"]?["tickets"]?.arrayValue?.compactMap(\.stringValue) == ["T-1", "T-2", "T-3"])
        if sharingABoard {
            #expect(statistics.sharedStateRetries == 0, "each shard took the other's changes from the board")
        } else {
            #expect(statistics.sharedStateRetries > 0, "a shard whose copy was stale redid its batch")
        }
        #expect(statistics.eventsProcessed == 6)
    }

    /// A store whose shard commits are refused as if another daemon kept
    /// changing the shared state, `refusals` times.
    actor ContendedStore: EventStore {
        let store: ShardLogView
        var refusals: Int
        private(set) var batchSizes: [Int] = []

        init(_ store: ShardLogView, refusals: Int) {
            self.store = store
            self.refusals = refusals
        }

        func commit(_ batch: ConsumerBatch) async throws -> CommitOutcome {
            batchSizes.append(Int(batch.toPosition - batch.fromPosition))
            if refusals > 0, !batch.sharedBasis.isEmpty {
                refusals -= 1
                throw SharedStateMoved(ids: batch.sharedBasis.keys.sorted())
            }
            return try await store.commit(batch)
        }

        func append(_ events: [Event], recordedAt: Timestamp) async throws -> [AppendOutcome] {
            try await store.append(events, recordedAt: recordedAt)
        }
        func records(after position: Int64, limit: Int) async throws -> [LogRecord] {
            try await store.records(after: position, limit: limit)
        }
        func tail(_ count: Int) async throws -> [LogRecord] { try await store.tail(count) }
        func records(ticket: String) async throws -> [LogRecord] { try await store.records(ticket: ticket) }
        func record(eventID: String) async throws -> LogRecord? { try await store.record(eventID: eventID) }
        func lastPosition() async throws -> Int64 { try await store.lastPosition() }
        func checkpoint(consumer: String) async throws -> Int64 { try await store.checkpoint(consumer: consumer) }
        func tickets(_ ids: [String]) async throws -> [String: Value] { try await store.tickets(ids) }
        func tickets(withPrefix prefix: String) async throws -> [String: Value] { try await store.tickets(withPrefix: prefix) }
        func effects(eventID: String) async throws -> [EffectRecord] { try await store.effects(eventID: eventID) }
        func effects(ticket: String) async throws -> [EffectRecord] { try await store.effects(ticket: ticket) }
        func effects(eventIDs: [String]) async throws -> [EffectRecord] { try await store.effects(eventIDs: eventIDs) }
        func evaluation(eventID: String) async throws -> EvaluationRecord? { try await store.evaluation(eventID: eventID) }
        func pruneEvaluations(before time: Timestamp) async throws -> Int { try await store.pruneEvaluations(before: time) }
    }

    @Test func aBatchRefusedAgainAndAgain_isRedoneSmaller_thenLeftForTheNextDrain() async throws {
        let store = MemoryEventStore()
        let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)
        let workflow = try #require(loader.loadText(Array(Self.recurring.utf8), file: "recur.yaml").0)
        let lease = try #require(try await store.acquireLease(
            consumer: "engine", shard: ShardID(0, of: 1), owner: "daemon", duration: .seconds(3600)))
        let contended = ContendedStore(ShardLogView(store: store, lease: lease), refusals: 5)
        var consumer = LogConsumer(
            engine: Engine(workflows: WorkflowSet([workflow]), actions: BuiltinActions.registry), store: contended,
            now: { Timestamp(millisecondsSinceEpoch: 0) }, batchSize: 8)
        _ = await store.append((1...6).map(Self.created), recordedAt: Timestamp(millisecondsSinceEpoch: 0))

        var statistics = LogConsumer.Statistics()
        try await consumer.drain(into: &statistics)
        #expect(statistics.eventsProcessed == 0, "given up for now, without an error")
        #expect(statistics.warnings.contains { $0.contains("~recurrence/reports/export") && $0.contains("left for the next turn") })
        #expect(statistics.sharedStateRetries == LogConsumer.sharedStateRetryLimit)
        #expect(await contended.batchSizes == [6, 4, 2, 1])
        #expect(try await store.checkpoint(consumer: "engine", shard: ShardID(0, of: 1)) == 0)

        try await consumer.drain(into: &statistics)
        #expect(statistics.eventsProcessed == 6)
        let state = try #require(try await store.tickets(["~recurrence/reports/export"]).values.first)
        #expect(state["recommendation"]?["count"] == 6)
    }
}
