import Core
import EventLog
import Foundation
import PostgresEventLog
import PostgresTestSupport
import Testing

/// Shards, leases and fencing, checked on every store that several daemons
/// can share: the in-memory reference and PostgreSQL. The lease clock is
/// injected, so expiry is tested without waiting.
@Suite("Shard coordination")
struct ShardCoordinationTests {
    enum Backend: String, Sendable, CustomTestStringConvertible {
        case memory
        case postgreSQL

        static let all: [Backend] = [.memory] + (PostgresScratch.isEnabled ? [.postgreSQL] : [])

        var testDescription: String { rawValue }

        func withFreshStore(_ body: (any ShardedEventStore, ManualClock) async throws -> Void) async throws {
            let clock = ManualClock()
            switch self {
            case .memory:
                try await body(MemoryEventStore(leaseClock: clock.now), clock)
            case .postgreSQL:
                try await PostgresScratch.withDatabase { url in
                    let store = try await PostgresEventStore.open(url: url, leaseClock: clock.now)
                    do {
                        try await body(store, clock)
                    } catch {
                        await store.close()
                        throw error
                    }
                    await store.close()
                }
            }
        }
    }

    /// A clock that moves only when told to.
    final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)

        @Sendable func now() -> Timestamp { lock.withLock { time } }

        func advance(_ span: TimeSpan) { lock.withLock { time = time.adding(span) } }
    }

    static let shard = ShardID(0, of: 4)

    /// The `engine` consumer's lease of `shard` for 30 s, which must be free.
    static func lease(_ store: any ShardedEventStore, _ shard: ShardID, owner: String) async throws -> ShardLease {
        try #require(try await store.acquireLease(consumer: "engine", shard: shard, owner: owner, duration: thirtySeconds))
    }
    static let thirtySeconds = TimeSpan.seconds(30)

    static func event(_ id: String, ticket: String) -> Event {
        let time = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)
        return Event(
            id: id, type: "ticket.created", occurredAt: time, ticketID: ticket,
            payload: ["id": .string(id), "type": "ticket.created", "ticket": ["id": .string(ticket)]])
    }

    /// Ticket ids that fall in `shard`, found by trying T-1, T-2, …
    static func tickets(in shard: ShardID, count: Int) -> [String] {
        (1...10_000).lazy.map { "T-\($0)" }.filter { shard.contains(ticket: $0) }.prefix(count).map { $0 }
    }

    static func effect(on eventID: String, ticket: String) -> EffectRecord {
        EffectRecord(
            eventID: eventID, workflow: "tag-all", step: "1", workflowVersion: "v1", ticketID: ticket, action: "tag",
            parameters: ["tags": ["seen"]], outcome: "applied", detail: nil, followUpEventID: nil,
            recordedAt: Timestamp(millisecondsSinceEpoch: 1_795_000_000_000))
    }

    // MARK: - Leases

    @Test(arguments: Backend.all)
    func acquire_whileAnotherOwnerHoldsTheShard_returnsNil_andAfterExpiryTakesItOverWithALargerToken(
        _ backend: Backend
    ) async throws {
        try await backend.withFreshStore { store, clock in
            let first = try await Self.lease(store, Self.shard, owner: "daemon-a")
            #expect(first.fencingToken == 1)
            #expect(first.expiresAt == clock.now().adding(Self.thirtySeconds))

            clock.advance(.seconds(29))
            #expect(try await store.acquireLease(
                consumer: "engine", shard: Self.shard, owner: "daemon-b", duration: Self.thirtySeconds) == nil)

            clock.advance(.seconds(1))
            let taken = try await Self.lease(store, Self.shard, owner: "daemon-b")

            #expect(taken.fencingToken == 2)
            #expect(taken.owner == "daemon-b")
            #expect(try await store.leases(consumer: "engine") == [taken])
        }
    }

    @Test(arguments: Backend.all)
    func renew_extendsALeaseStillHeld_keepingItsToken_andThrowsLeaseLostOnceItLapsed(_ backend: Backend) async throws {
        try await backend.withFreshStore { store, clock in
            let lease = try await Self.lease(store, Self.shard, owner: "daemon-a")
            clock.advance(.seconds(20))

            let renewed = try await store.renewLease(lease, duration: Self.thirtySeconds)

            #expect(renewed.fencingToken == lease.fencingToken)
            #expect(renewed.expiresAt == clock.now().adding(Self.thirtySeconds))
            clock.advance(.seconds(30))
            let error = await #expect(throws: LeaseLost.self) {
                try await store.renewLease(renewed, duration: Self.thirtySeconds)
            }
            #expect(error?.fencingToken == 1)
        }
    }

    @Test(arguments: Backend.all)
    func release_letsAnotherOwnerTakeTheShardAtOnce_withALargerToken(_ backend: Backend) async throws {
        try await backend.withFreshStore { store, _ in
            let lease = try await Self.lease(store, Self.shard, owner: "daemon-a")

            try await store.releaseLease(lease)
            let next = try await Self.lease(store, Self.shard, owner: "daemon-b")

            #expect(next.fencingToken == 2)
            // Releasing a lease already taken over changes nothing.
            try await store.releaseLease(lease)
            #expect(try await store.leases(consumer: "engine") == [next])
        }
    }

    @Test(arguments: Backend.all)
    func acquire_withAnotherShardCount_throwsShardCountMismatch(_ backend: Backend) async throws {
        try await backend.withFreshStore { store, _ in
            _ = try await store.acquireLease(
                consumer: "engine", shard: ShardID(1, of: 4), owner: "daemon-a", duration: Self.thirtySeconds)

            let error = await #expect(throws: ShardCountMismatch.self) {
                try await store.acquireLease(
                    consumer: "engine", shard: ShardID(1, of: 8), owner: "daemon-a", duration: Self.thirtySeconds)
            }
            #expect(error?.stored == 4)
            #expect(error?.requested == 8)
            // Another consumer is free to choose its own count.
            #expect(try await store.acquireLease(
                consumer: "backfill", shard: ShardID(1, of: 8), owner: "daemon-a", duration: Self.thirtySeconds) != nil)
        }
    }

    // MARK: - Fenced commits

    @Test(arguments: Backend.all)
    func commit_withALapsedLease_throwsLeaseLost_andAppliesNothing(_ backend: Backend) async throws {
        try await backend.withFreshStore { store, clock in
            let ticket = Self.tickets(in: Self.shard, count: 1)[0]
            _ = try await store.append([Self.event("e1", ticket: ticket)], recordedAt: clock.now())
            let lease = try await Self.lease(store, Self.shard, owner: "daemon-a")
            clock.advance(.seconds(31))

            let error = await #expect(throws: LeaseLost.self) {
                try await store.commit(
                    ConsumerBatch(
                        consumer: "engine", fromPosition: 0, toPosition: 1,
                        effects: [Self.effect(on: "e1", ticket: ticket)], tickets: [ticket: ["status": "new"]]),
                    lease: lease)
            }

            #expect(error?.currentToken == 1)
            #expect(try await store.checkpoint(consumer: "engine", shard: Self.shard) == 0)
            #expect(try await store.effects(eventID: "e1").isEmpty)
            #expect(try await store.tickets([ticket]).isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func commit_afterATakeover_isRefusedForTheOldHolder_andAcceptedFromTheNewOne(_ backend: Backend) async throws {
        try await backend.withFreshStore { store, clock in
            let ticket = Self.tickets(in: Self.shard, count: 1)[0]
            _ = try await store.append([Self.event("e1", ticket: ticket)], recordedAt: clock.now())
            let old = try await Self.lease(store, Self.shard, owner: "daemon-a")
            clock.advance(.seconds(31))
            let new = try await Self.lease(store, Self.shard, owner: "daemon-b")
            let batch = ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1, effects: [Self.effect(on: "e1", ticket: ticket)])

            // daemon-a wakes from a long pause, its lease long gone, and tries to commit.
            let error = await #expect(throws: LeaseLost.self) { try await store.commit(batch, lease: old) }
            let outcome = try await store.commit(batch, lease: new)

            #expect(error?.currentToken == 2)
            #expect(error?.currentOwner == "daemon-b")
            #expect(outcome.effectsRecorded == 1)
            #expect(try await store.checkpoint(consumer: "engine", shard: Self.shard) == 1)
            #expect(try await store.effects(eventID: "e1") == [Self.effect(on: "e1", ticket: ticket)])
        }
    }

    @Test(arguments: Backend.all)
    func commit_fromAStaleShardCheckpoint_throwsCheckpointMoved_andOtherShardsKeepTheirOwn(
        _ backend: Backend
    ) async throws {
        try await backend.withFreshStore { store, _ in
            let other = ShardID(1, of: 4)
            let lease = try await Self.lease(store, Self.shard, owner: "daemon-a")
            let otherLease = try await Self.lease(store, other, owner: "daemon-b")
            _ = try await store.commit(ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 5), lease: lease)

            await #expect(throws: CheckpointMoved.self) {
                try await store.commit(ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 6), lease: lease)
            }
            _ = try await store.commit(ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 2), lease: otherLease)

            #expect(try await store.checkpoint(consumer: "engine", shard: Self.shard) == 5)
            #expect(try await store.checkpoint(consumer: "engine", shard: other) == 2)
            // The single-consumer checkpoint is separate.
            #expect(try await store.checkpoint(consumer: "engine") == 0)
        }
    }

    @Test(arguments: Backend.all)
    func commit_fromSharedStateAnotherShardChangedSince_throwsSharedStateMoved_andAppliesNothing(
        _ backend: Backend
    ) async throws {
        try await backend.withFreshStore { store, clock in
            let other = ShardID(1, of: 4)
            let ticket = Self.tickets(in: other, count: 1)[0]
            _ = try await store.append([Self.event("e1", ticket: ticket)], recordedAt: clock.now())
            let lease = try await Self.lease(store, Self.shard, owner: "daemon-a")
            let otherLease = try await Self.lease(store, other, owner: "daemon-a")
            let key = "~recurrence/export"
            // Both shards read the count before either wrote it.
            var first = ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 0, tickets: [key: ["tickets": ["T-a"]]])
            first.sharedBasis = [key: Value?.none]
            _ = try await store.commit(first, lease: lease)

            var stale = ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1, effects: [Self.effect(on: "e1", ticket: ticket)],
                tickets: [key: ["tickets": [.string(ticket)]], ticket: ["status": "new"]])
            stale.sharedBasis = [key: Value?.none]
            let error = await #expect(throws: SharedStateMoved.self) { try await store.commit(stale, lease: otherLease) }
            #expect(error?.ids == [key])
            #expect(try await store.checkpoint(consumer: "engine", shard: other) == 0)
            #expect(try await store.effects(eventID: "e1").isEmpty)
            #expect(try await store.tickets([key, ticket]) == [key: ["tickets": ["T-a"]]])

            // Redone from the state as it is now, it is accepted.
            var redone = stale
            redone.tickets[key] = ["tickets": ["T-a", .string(ticket)]]
            redone.sharedBasis = [key: ["tickets": ["T-a"]]]
            _ = try await store.commit(redone, lease: otherLease)
            #expect(try await store.tickets([key]) == [key: ["tickets": ["T-a", .string(ticket)]]])
            #expect(try await store.checkpoint(consumer: "engine", shard: other) == 1)
        }
    }

    @Test(arguments: Backend.all)
    func eachShardKeepsItsOwnScheduleState_andOnlyContendedSharedStateIsChecked(_ backend: Backend) async throws {
        try await backend.withFreshStore { store, _ in
            let other = ShardID(1, of: 4)
            let view = ShardLogView(store: store, lease: try await Self.lease(store, Self.shard, owner: "daemon-a"))
            let otherView = ShardLogView(store: store, lease: try await Self.lease(store, other, owner: "daemon-a"))
            // A schedule state left by a single daemon, before the log was sharded.
            _ = try await store.commit(ConsumerBatch(
                consumer: "single", fromPosition: 0, toPosition: 0, tickets: ["~schedules/daily": ["last": "2026-11-22T09:00:00Z"]]))

            // Shard 0 ticks; its basis for the schedule is stale, which is no conflict.
            var tick = ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 0, tickets: ["~schedules/daily": ["last": "2026-11-22T10:00:00Z"]])
            tick.sharedBasis = ["~schedules/daily": Value?.none]
            _ = try await view.commit(tick)

            #expect(try await view.tickets(withPrefix: "~")["~schedules/daily"] == ["last": "2026-11-22T10:00:00Z"])
            #expect(try await view.tickets(["~schedules/daily"]) == ["~schedules/daily": ["last": "2026-11-22T10:00:00Z"]])
            // Shard 1 has not ticked at 10:00: it still reads the state it had.
            #expect(try await otherView.tickets(withPrefix: "~")["~schedules/daily"] == ["last": "2026-11-22T09:00:00Z"])
            #expect(try await otherView.tickets(withPrefix: "~").keys.allSatisfy { !$0.contains("#") })

            // A reader of the whole log (a dry-run) sees the latest tick of any shard.
            let merged = ShardLogView.mergingShardSchedules(try await store.tickets(withPrefix: "~"))
            #expect(merged["~schedules/daily"] == ["last": "2026-11-22T10:00:00Z"])
            #expect(merged.keys.allSatisfy { !$0.contains("#") })
        }
    }

    @Test(arguments: Backend.all)
    func sharedStateReadBack_isAcceptedAsTheBasisOfTheNextCommit(_ backend: Backend) async throws {
        try await backend.withFreshStore { store, _ in
            let lease = try await Self.lease(store, Self.shard, owner: "daemon-a")
            // Numbers and text as text groups hold them: whatever the store keeps
            // must read back as a basis that matches it, or every commit would conflict.
            let key = "~text-groups/recur/0"
            let state: Value = [
                "threshold": 0.375, "tiny": 1e-7, "whole": 2.0, "negative": -0.0, "count": 3,
                "meaning": "AAECAwQFBgc=", "text": "Café \u{1F600} \"quoted\"\n\ttab", "empty": [:], "none": nil,
                "groups": [["terms": ["export": 0.5, "csv": 0.25], "members": ["T-1", "T-2"]]],
            ]
            var first = ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 0, tickets: [key: state])
            first.sharedBasis = [key: Value?.none]
            _ = try await store.commit(first, lease: lease)

            let readBack = try #require(try await store.tickets(withPrefix: "~")[key])
            var next = ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 0, tickets: [key: ["count": 4]])
            next.sharedBasis = [key: readBack]
            _ = try await store.commit(next, lease: lease)
            // What the consumer wrote itself is the basis of its next commit too.
            var after = ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 0, tickets: [key: state])
            after.sharedBasis = [key: ["count": 4]]
            _ = try await store.commit(after, lease: lease)
            #expect(try await store.tickets([key]) == [key: readBack])
        }
    }

    // MARK: - Reading a shard

    @Test(arguments: Backend.all)
    func recordsOfAShard_areExactlyItsTicketsRecords_inPositionOrder(_ backend: Backend) async throws {
        try await backend.withFreshStore { store, clock in
            let tickets = (1...40).map { "T-\($0)" }
            var events: [Event] = []
            for round in 1...3 { events += tickets.map { Self.event("\($0)-\(round)", ticket: $0) } }
            _ = try await store.append(events, recordedAt: clock.now())

            var seen: [Int64] = []
            for index in 0..<4 {
                let shard = ShardID(index, of: 4)
                var cursor: Int64 = 0
                var records: [LogRecord] = []
                while true {
                    let page = try await store.records(after: cursor, shard: shard, limit: 7)
                    guard let last = page.last else { break }
                    records += page
                    cursor = last.position
                }
                #expect(records.allSatisfy { shard.contains(ticket: $0.event.ticketID) })
                #expect(records.map(\.position) == records.map(\.position).sorted())
                // Each ticket's own events, in the order they were appended.
                for ticket in Set(records.map(\.event.ticketID)) {
                    #expect(records.filter { $0.event.ticketID == ticket }.map(\.event.id)
                        == (1...3).map { "\(ticket)-\($0)" })
                }
                seen += records.map(\.position)
            }
            #expect(seen.sorted() == Array(1...120))
        }
    }

    @Test func shardOfATicket_isStable_andSpreadsTickets() {
        // Stored with every event: a change here would move tickets between shards.
        #expect(ShardID.hash("") == 2_166_136_261)
        #expect(ShardID.hash("T-1042") == ShardID.hash("T-1042"))
        #expect(ShardID.hash("a") == 0xE40C_292C)
        let counts = Dictionary(grouping: (1...4000).map { ShardID.of(ticket: "T-\($0)", count: 4).index }, by: { $0 })
            .mapValues(\.count)
        #expect(counts.keys.sorted() == [0, 1, 2, 3])
        #expect(counts.values.allSatisfy { $0 > 800 })
    }
}
