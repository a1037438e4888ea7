import Core
import EventLog
import Foundation
import PostgresEventLog
import PostgresTestSupport
import SQLiteEventLog
import Testing

/// What every `EventStore` must do, checked once per backend: each test body
/// takes a freshly made, empty store, and the same body runs against every
/// entry of `Backend.all`. `MemoryEventStore` is the reference.
@Suite("EventStore conformance")
struct EventStoreConformance {
    /// A kind of store the suite runs against.
    enum Backend: String, Sendable, CustomTestStringConvertible {
        case memory
        case sqlite
        /// A fresh database per test on the throwaway cluster of `scripts/test`
        /// (see `PostgresScratch`: left out without one, except under CI).
        case postgreSQL

        static let all: [Backend] = [.memory, .sqlite] + (PostgresScratch.isEnabled ? [.postgreSQL] : [])

        var testDescription: String { rawValue }

        /// Runs `body` with a new, empty store, then discards the store.
        func withFreshStore(_ body: (any EventStore) async throws -> Void) async throws {
            switch self {
            case .memory:
                try await body(MemoryEventStore())
            case .sqlite:
                let directory = try EventStoreConformance.makeScratchDirectory()
                defer { try? FileManager.default.removeItem(at: directory) }
                let store = try SQLiteEventStore(path: directory.appendingPathComponent("log.sqlite").path)
                try await body(store)
                try store.close()
            case .postgreSQL:
                try await PostgresScratch.withDatabase { url in
                    let store = try await PostgresEventStore.open(url: url)
                    do {
                        try await body(store)
                    } catch {
                        await store.close()
                        throw error
                    }
                    await store.close()
                }
            }
        }
    }

    // MARK: - Fixtures

    static let t0 = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)

    /// An incoming event as the decoder would produce it; `extra` fields are
    /// appended to the payload.
    static func event(
        _ id: String, ticket: String = "T-1", type: String = "ticket.created", at time: Timestamp = t0,
        extra: [(String, Value)] = []
    ) -> Event {
        var fields: [(String, Value)] = [
            ("id", .string(id)), ("type", .string(type)), ("occurred_at", .string(time.description)),
            ("ticket", ["id": .string(ticket), "priority": "normal"]),
        ]
        fields += extra
        return Event(id: id, type: type, occurredAt: time, ticketID: ticket, payload: .object(Value.Object(fields)))
    }

    static func effect(
        on eventID: String, workflow: String = "urgent-billing", step: String = "1", ticket: String = "T-1",
        outcome: String = "applied", followUp: String? = nil, at time: Timestamp = t0
    ) -> EffectRecord {
        EffectRecord(
            eventID: eventID, workflow: workflow, step: step, workflowVersion: "sha-1", ticketID: ticket,
            action: "tag", parameters: ["tags": ["needs-tier2"], "count": 2], outcome: outcome,
            detail: outcome == "applied" ? nil : "already tagged", followUpEventID: followUp, recordedAt: time)
    }

    static func causation(_ eventID: String, step: String = "1") -> Causation {
        Causation(eventID: eventID, workflow: "urgent-billing", workflowVersion: "sha-1", step: step)
    }

    static func makeScratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ticketflow-eventlog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    // MARK: - Appending

    @Test(arguments: Backend.all)
    func append_assignsPositionsContiguousFromOne_acrossAppendsAndCommits(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            #expect(try await store.lastPosition() == 0)
            let first = try await store.append([Self.event("e1"), Self.event("e2")], recordedAt: Self.t0)
            #expect(first == [.appended(position: 1), .appended(position: 2)])

            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 2,
                followUps: [(Self.event("f1", type: "ticket.tagged"), Self.causation("e1"))],
                effects: [Self.effect(on: "e1", followUp: "f1")]))
            let second = try await store.append([Self.event("e3")], recordedAt: Self.t0)

            #expect(second == [.appended(position: 4)])
            #expect(try await store.lastPosition() == 4)
            let all = try await store.records(after: 0, limit: 100)
            #expect(all.map(\.position) == [1, 2, 3, 4])
            #expect(all.map(\.event.id) == ["e1", "e2", "f1", "e3"])
        }
    }

    @Test(arguments: Backend.all)
    func append_ofAnEventAlreadyStored_isADuplicateWhenTheBodyIsTheSame_andAConflictOtherwise(
        _ backend: Backend
    ) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            let original = Self.event("e1", extra: [("source", "zendesk")])
            var changed = original
            changed.payload = Self.event("e1", extra: [("source", "email")]).payload
            _ = try await store.append([original, Self.event("e2")], recordedAt: Self.t0)

            let outcomes = try await store.append(
                [original, changed, Self.event("e3")], recordedAt: Self.t0.adding(TimeSpan(milliseconds: 5)))

            #expect(outcomes == [.duplicate(position: 1), .conflict(position: 1), .appended(position: 3)])
            #expect(try await store.lastPosition() == 3)
            let stored = try #require(try await store.record(eventID: "e1"))
            #expect(stored.event == original)
            #expect(stored.recordedAt == Self.t0)
        }
    }

    @Test(arguments: Backend.all)
    func append_ofTheSameIDTwiceInOneCall_storesTheFirstAndJudgesTheSecondAgainstIt(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            let first = Self.event("e1")
            let other = Self.event("e1", ticket: "T-2")

            let outcomes = try await store.append([first, first, other, Self.event("e2")], recordedAt: Self.t0)

            #expect(outcomes == [
                .appended(position: 1), .duplicate(position: 1), .conflict(position: 1), .appended(position: 2),
            ])
            #expect(try await store.records(after: 0, limit: 10).map(\.event) == [first, Self.event("e2")])
        }
    }

    @Test(arguments: Backend.all)
    func append_ofNothing_changesNothing(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            #expect(try await store.append([], recordedAt: Self.t0) == [])
            #expect(try await store.lastPosition() == 0)
        }
    }

    @Test(arguments: Backend.all)
    func records_keepUnknownFieldsAndKeyOrder_throughARoundTrip(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            let event = Self.event("e1", extra: [
                ("x_vendor", ["nested": ["a", 1, true, nil], "score": 0.25]),
                ("comment", ["body": "line one\nline \"two\" é ✓", "public": false]),
                ("zz_last", -42),
            ])
            _ = try await store.append([event], recordedAt: Self.t0)

            let record = try #require(try await store.record(eventID: "e1"))

            #expect(record.event == event)
            #expect(JSONWriter.string(record.event.payload) == JSONWriter.string(event.payload))
            #expect(record.isIncoming)
        }
    }

    // MARK: - Reading

    @Test(arguments: Backend.all)
    func recordsAfter_returnsUpToLimitRecordsAfterThePosition_inOrder(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            _ = try await store.append((1...5).map { Self.event("e\($0)") }, recordedAt: Self.t0)

            #expect(try await store.records(after: 0, limit: 2).map(\.position) == [1, 2])
            #expect(try await store.records(after: 2, limit: 2).map(\.position) == [3, 4])
            #expect(try await store.records(after: 4, limit: 10).map(\.position) == [5])
            #expect(try await store.records(after: 5, limit: 10).isEmpty)
            #expect(try await store.records(after: 99, limit: 10).isEmpty)
            #expect(try await store.records(after: 0, limit: 0).isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func tail_returnsTheLastRecords_inPositionOrder(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            #expect(try await store.tail(3).isEmpty)
            _ = try await store.append((1...5).map { Self.event("e\($0)") }, recordedAt: Self.t0)

            #expect(try await store.tail(2).map(\.event.id) == ["e4", "e5"])
            #expect(try await store.tail(50).map(\.position) == [1, 2, 3, 4, 5])
            #expect(try await store.tail(0).isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func recordsOfATicket_areThatTicketsRecordsOnly_inPositionOrder(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            _ = try await store.append(
                [Self.event("a1", ticket: "T-1"), Self.event("b1", ticket: "T-2"), Self.event("a2", ticket: "T-1")],
                recordedAt: Self.t0)
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 3,
                followUps: [(Self.event("a3", ticket: "T-1", type: "ticket.tagged"), Self.causation("a2"))],
                effects: [Self.effect(on: "a2", followUp: "a3")]))

            let records = try await store.records(ticket: "T-1")

            #expect(records.map(\.event.id) == ["a1", "a2", "a3"])
            #expect(records.map(\.position) == [1, 3, 4])
            #expect(try await store.records(ticket: "T-404").isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func recordByEventID_findsTheRecordWithItsPositionAndTimes_orNothing(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            let occurred = Timestamp(millisecondsSinceEpoch: 1_700_000_000_123)
            let event = Self.event("e2", at: occurred)
            _ = try await store.append([Self.event("e1")], recordedAt: Self.t0)
            _ = try await store.append([event], recordedAt: Self.t0.adding(TimeSpan(milliseconds: 1)))

            let record = try #require(try await store.record(eventID: "e2"))

            #expect(record == LogRecord(
                position: 2, event: event, recordedAt: Self.t0.adding(TimeSpan(milliseconds: 1)), causation: nil))
            #expect(record.event.occurredAt == occurred)
            #expect(try await store.record(eventID: "missing") == nil)
        }
    }

    // MARK: - Committing

    @Test(arguments: Backend.all)
    func commit_recordsEffectsFollowUpsEvaluationsTicketsAndCheckpoint(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            _ = try await store.append([Self.event("e1")], recordedAt: Self.t0)
            let effectTime = Self.t0.adding(TimeSpan(milliseconds: 30))
            let followUp = Self.event("f1", type: "ticket.tagged")
            let evaluation = EvaluationRecord(eventID: "e1", recordedAt: effectTime, entries: [
                .init(workflow: "urgent-billing", version: "sha-1", result: "fired", reason: nil),
            ])

            let outcome = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1,
                followUps: [(followUp, Self.causation("e1"))],
                effects: [Self.effect(on: "e1", followUp: "f1", at: effectTime)],
                evaluations: [evaluation],
                tickets: ["T-1": ["id": "T-1", "tags": ["needs-tier2"]]]))

            #expect(outcome == CommitOutcome(
                effectsRecorded: 1, effectsAlreadyRecorded: 0, followUpsAppended: 1, lastPosition: 2))
            #expect(try await store.checkpoint(consumer: "engine") == 1)
            #expect(try await store.effects(eventID: "e1") == [Self.effect(on: "e1", followUp: "f1", at: effectTime)])
            #expect(try await store.evaluation(eventID: "e1") == evaluation)
            #expect(try await store.tickets(["T-1"]) == ["T-1": ["id": "T-1", "tags": ["needs-tier2"]]])
            let appended = try #require(try await store.record(eventID: "f1"))
            #expect(appended == LogRecord(
                position: 2, event: followUp, recordedAt: effectTime, causation: Self.causation("e1")))
            #expect(!appended.isIncoming)
        }
    }

    @Test(arguments: Backend.all)
    func commit_ofAnEffectKeyAlreadyRecorded_keepsTheFirstAndReportsItAlreadyRecorded(
        _ backend: Backend
    ) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            _ = try await store.append([Self.event("e1")], recordedAt: Self.t0)
            let first = Self.effect(on: "e1", followUp: "f1")
            let batch = ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1,
                followUps: [(Self.event("f1", type: "ticket.tagged"), Self.causation("e1"))], effects: [first])
            _ = try await store.commit(batch)

            // A replay after a crash: the same key, computed again, maybe differently.
            var replayed = batch
            replayed.fromPosition = 1
            replayed.effects = [
                Self.effect(on: "e1", outcome: "failed", followUp: "f1"), Self.effect(on: "e1", step: "2"),
            ]
            let outcome = try await store.commit(replayed)

            #expect(outcome == CommitOutcome(
                effectsRecorded: 1, effectsAlreadyRecorded: 1, followUpsAppended: 0, lastPosition: 2))
            #expect(try await store.effects(eventID: "e1") == [first, Self.effect(on: "e1", step: "2")])
            #expect(try await store.lastPosition() == 2)
            #expect(try await store.records(after: 0, limit: 10).map(\.event.id) == ["e1", "f1"])
        }
    }

    @Test(arguments: Backend.all)
    func commit_withTheSameEffectKeyTwiceInOneBatch_recordsItOnce(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            let outcome = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 0,
                effects: [Self.effect(on: "e1"), Self.effect(on: "e1", outcome: "unchanged")]))

            #expect(outcome == CommitOutcome(
                effectsRecorded: 1, effectsAlreadyRecorded: 1, followUpsAppended: 0, lastPosition: 0))
            #expect(try await store.effects(eventID: "e1") == [Self.effect(on: "e1")])
        }
    }

    @Test(arguments: Backend.all)
    func commit_fromAStaleCheckpoint_throwsCheckpointMoved_andAppliesNothingOfTheBatch(
        _ backend: Backend
    ) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            _ = try await store.append([Self.event("e1"), Self.event("e2")], recordedAt: Self.t0)
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1, tickets: ["T-1": ["status": "new"]]))

            let stale = ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 2,
                followUps: [(Self.event("f2", type: "ticket.tagged"), Self.causation("e2"))],
                effects: [Self.effect(on: "e2", followUp: "f2")],
                evaluations: [EvaluationRecord(eventID: "e2", recordedAt: Self.t0, entries: [])],
                tickets: ["T-1": ["status": "open"], "T-9": ["status": "new"]])
            let error = await #expect(throws: CheckpointMoved.self) {
                try await store.commit(stale)
            }

            #expect(error?.consumer == "engine")
            #expect(error?.expected == 0)
            #expect(error?.found == 1)
            #expect(try await store.checkpoint(consumer: "engine") == 1)
            #expect(try await store.lastPosition() == 2)
            #expect(try await store.record(eventID: "f2") == nil)
            #expect(try await store.effects(eventID: "e2").isEmpty)
            #expect(try await store.evaluation(eventID: "e2") == nil)
            #expect(try await store.tickets(["T-1", "T-9"]) == ["T-1": ["status": "new"]])
        }
    }

    /// What the plugin dispatcher relies on: a second consumer commits its
    /// own follow-ups, effects and shared state (`~…`) while its checkpoint
    /// stays where it is, and another consumer's checkpoint does not move.
    @Test(arguments: Backend.all)
    func commit_byASecondConsumerThatStaysInPlace_appendsFollowUpsAndSharedState_leavingOtherCheckpointsAlone(
        _ backend: Backend
    ) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            _ = try await store.append([Self.event("e1")], recordedAt: Self.t0)
            _ = try await store.commit(ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 1))
            let later = Self.t0.adding(TimeSpan(milliseconds: 500))
            let result = Self.event("e1/urgent-billing/1/attempt-1", type: "plugin.succeeded", at: later)
            let attempt = Self.effect(on: "e1", step: "1#attempt-1", outcome: "succeeded", followUp: result.id, at: later)
            let outcome = try await store.commit(ConsumerBatch(
                consumer: "plugins", fromPosition: 0, toPosition: 0, followUps: [(result, Self.causation("e1"))],
                effects: [attempt], tickets: ["~plugins/outbox": ["e1/urgent-billing/1": ["status": "waiting"]]]))

            #expect(outcome == CommitOutcome(effectsRecorded: 1, effectsAlreadyRecorded: 0, followUpsAppended: 1, lastPosition: 2))
            #expect(try await store.checkpoint(consumer: "plugins") == 0)
            #expect(try await store.checkpoint(consumer: "engine") == 1)
            #expect(try await store.record(eventID: result.id)?.recordedAt == later)
            #expect(try await store.effects(eventID: "e1") == [attempt])
            #expect(try await store.tickets(withPrefix: "~plugins/") == ["~plugins/outbox": ["e1/urgent-billing/1": ["status": "waiting"]]])
            // Committing again from the same place replaces the state and adds nothing twice.
            let again = try await store.commit(ConsumerBatch(
                consumer: "plugins", fromPosition: 0, toPosition: 2, followUps: [(result, Self.causation("e1"))],
                effects: [attempt], tickets: ["~plugins/outbox": [:]]))
            #expect(again == CommitOutcome(effectsRecorded: 0, effectsAlreadyRecorded: 1, followUpsAppended: 0, lastPosition: 2))
            #expect(try await store.tickets(["~plugins/outbox"]) == ["~plugins/outbox": [:]])
        }
    }

    @Test(arguments: Backend.all)
    func checkpoint_isZeroForAConsumerThatNeverRan_andPerConsumer(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            #expect(try await store.checkpoint(consumer: "engine") == 0)
            _ = try await store.commit(ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 7))

            #expect(try await store.checkpoint(consumer: "engine") == 7)
            #expect(try await store.checkpoint(consumer: "backfill") == 0)
        }
    }

    @Test(arguments: Backend.all)
    func tickets_areUpsertedByCommits_andUnknownIDsAreLeftOut(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1,
                tickets: ["T-1": ["status": "new", "tags": []], "T-2": ["status": "open"]]))
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 1, toPosition: 2, tickets: ["T-1": ["status": "solved"]]))

            let states = try await store.tickets(["T-1", "T-2", "T-404"])

            #expect(states == ["T-1": ["status": "solved"], "T-2": ["status": "open"]])
            #expect(try await store.tickets([]) == [:])
        }
    }

    @Test(arguments: Backend.all)
    func ticketsWithPrefix_areTheStatesWhoseIDStartsWithIt_andTheEmptyPrefixIsAll(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            let states: [String: Value] = [
                "~recurrence/reports": ["count": 2], "~text/7": ["count": 1], "T-1": ["status": "new"],
                "T-10": ["status": "open"], "t-2": ["status": "new"], "~": ["root": true], "}": ["after": true],
            ]
            _ = try await store.commit(ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 0, tickets: states))

            #expect(try await store.tickets(withPrefix: "~") == states.filter { $0.key.hasPrefix("~") })
            #expect(try await store.tickets(withPrefix: "T-1") == states.filter { $0.key.hasPrefix("T-1") })
            #expect(try await store.tickets(withPrefix: "") == states)
            #expect(try await store.tickets(withPrefix: "X").isEmpty)
        }
    }

    // MARK: - Effects and evaluations

    @Test(arguments: Backend.all)
    func effects_byEventAndByTicket_comeInTheOrderRecorded(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            // Keys deliberately not in sorted order, so key order cannot pass for recording order.
            let e2z = Self.effect(on: "e2", workflow: "zeta", ticket: "T-1")
            let e1b = Self.effect(on: "e1", workflow: "beta", ticket: "T-1")
            let e9 = Self.effect(on: "e9", workflow: "alpha", ticket: "T-2")
            let e1a = Self.effect(on: "e1", workflow: "alpha", ticket: "T-1")
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1, effects: [e2z, e1b, e9]))
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 1, toPosition: 2, effects: [e1a]))

            #expect(try await store.effects(eventID: "e1") == [e1b, e1a])
            #expect(try await store.effects(ticket: "T-1") == [e2z, e1b, e1a])
            #expect(try await store.effects(ticket: "T-2") == [e9])
            #expect(try await store.effects(eventID: "none").isEmpty)
            #expect(try await store.effects(ticket: "none").isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func effects_forSeveralEvents_areGroupedInTheOrderAsked_eachInTheOrderRecorded(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            let e2z = Self.effect(on: "e2", workflow: "zeta", ticket: "T-1")
            let e1b = Self.effect(on: "e1", workflow: "beta", ticket: "T-1")
            let e9 = Self.effect(on: "e9", workflow: "alpha", ticket: "T-2")
            let e1a = Self.effect(on: "e1", workflow: "alpha", ticket: "T-1")
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1, effects: [e2z, e1b, e9]))
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 1, toPosition: 2, effects: [e1a]))

            #expect(try await store.effects(eventIDs: ["e9", "e1", "none", "e2"]) == [e9, e1b, e1a, e2z])
            // An id named twice is answered once; events not named are left out.
            #expect(try await store.effects(eventIDs: ["e1", "e1"]) == [e1b, e1a])
            #expect(try await store.effects(eventIDs: ["none"]).isEmpty)
            #expect(try await store.effects(eventIDs: []).isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func evaluations_roundTrip_areReplacedByALaterCommit_andArePrunedByAge(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            let old = EvaluationRecord(eventID: "e1", recordedAt: Self.t0, entries: [
                .init(workflow: "urgent-billing", version: "sha-1", result: "fired", reason: nil),
                .init(
                    workflow: "export-failures", version: "sha-2", result: "not_matched",
                    reason: "ticket.product_area == \"reports\" saw \"billing\""),
                .init(workflow: "stale-urgent", version: "sha-3", result: "skipped", reason: ""),
            ])
            let later = Self.t0.adding(TimeSpan(milliseconds: 60_000))
            let recent = EvaluationRecord(eventID: "e2", recordedAt: later, entries: [])
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 2, evaluations: [old, recent]))
            #expect(try await store.evaluation(eventID: "e1") == old)
            #expect(try await store.evaluation(eventID: "e2") == recent)

            let replaced = EvaluationRecord(eventID: "e2", recordedAt: later.adding(TimeSpan(milliseconds: 1)), entries: [
                .init(workflow: "urgent-billing", version: "sha-9", result: "fired", reason: nil),
            ])
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 2, toPosition: 2, evaluations: [replaced]))
            #expect(try await store.evaluation(eventID: "e2") == replaced)

            #expect(try await store.pruneEvaluations(before: later) == 1)
            #expect(try await store.evaluation(eventID: "e1") == nil)
            #expect(try await store.evaluation(eventID: "e2") == replaced)
            #expect(try await store.pruneEvaluations(before: later) == 0)
        }
    }

    @Test(arguments: Backend.all)
    func causation_ofAFollowUp_roundTrips_andIncomingEventsHaveNone(_ backend: Backend) async throws {
        try await backend.withFreshStore { (store: any EventStore) async throws in
            _ = try await store.append([Self.event("e1")], recordedAt: Self.t0)
            let cause = Causation(eventID: "e1", workflow: "export-failures-recur", workflowVersion: "9f2c", step: "2")
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1,
                followUps: [(Self.event("f1", type: "guide.suggested"), cause)]))

            #expect(try await store.record(eventID: "f1")?.causation == cause)
            #expect(try await store.record(eventID: "e1")?.causation == nil)
            #expect(try await store.tail(2).map(\.causation) == [nil, cause])
        }
    }
}
