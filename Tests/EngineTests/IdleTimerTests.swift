import Actions
import Core
import Engine
import EventLog
import Foundation
import SQLiteEventLog
import Testing
import Workflows

/// Idle timers: armed by help-desk events, fired by the clock the caller
/// moves, stored with the log so a restart neither loses nor repeats them.
@Suite struct IdleTimerTests {
    static let staleUrgent = """
        workflow: stale-urgent
        on: { idle: 4h }
        if: ticket.priority == "urgent"
        steps:
          - escalate: { to: on-call, reason: "idle for {{ event.timer.idle_for }}" }
        """

    static func event(_ id: String, ticket: String, at time: String, type: String = "ticket.created") -> Event {
        try! EventDecoder.decode([
            "id": .string(id), "type": .string(type), "occurred_at": .string(time),
            "ticket": ["id": .string(ticket), "priority": "urgent"],
        ]).get()
    }

    @Test func timer_firesAtItsDueTime_notBefore_andOnlyOnce() throws {
        var harness = try EngineHarness([Self.staleUrgent])
        _ = harness.run(Self.event("e1", ticket: "T-1", at: "2026-11-22T10:00:00Z"))
        let before = harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T13:59:59Z")!, tickets: &harness.tickets)
        #expect(before.isEmpty)
        let due = harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T14:00:00Z")!, tickets: &harness.tickets)
        #expect(due.map(\.event.id) == ["T-1/idle/stale-urgent/2026-11-22T14:00:00Z"])
        #expect(due.first?.allEffects.map(\.summary) == [#"escalate to="on-call" reason="idle for 4h""#])
        let later = harness.engine.fireTimers(until: Timestamp.parse("2026-11-30T00:00:00Z")!, tickets: &harness.tickets)
        #expect(later.isEmpty)
    }

    @Test func timer_isRearmedByEachHelpDeskEvent_butNotByTheEnginesOwnEvents() throws {
        let tagger = "workflow: tagger\non: ticket.commented\nsteps:\n  - tag: chased\n"
        var harness = try EngineHarness([Self.staleUrgent, tagger])
        _ = harness.run(Self.event("e1", ticket: "T-1", at: "2026-11-22T10:00:00Z"))
        _ = harness.run(Self.event("e2", ticket: "T-1", at: "2026-11-22T13:00:00Z", type: "ticket.commented"))
        // The comment moved the due time to 17:00; the tag it caused did not.
        #expect(harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T16:59:00Z")!, tickets: &harness.tickets).isEmpty)
        #expect(harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T17:00:00Z")!, tickets: &harness.tickets).count == 1)
    }

    @Test func anEventDeliveredLate_neitherMovesTheTimerBack_norRearmsOneThatFired() throws {
        var harness = try EngineHarness([Self.staleUrgent])
        _ = harness.run(Self.event("e1", ticket: "T-1", at: "2026-11-22T10:00:00Z"))
        // A comment written at 09:00 arrives after the 10:00 event: the clock stays at 10:00.
        _ = harness.run(Self.event("e0", ticket: "T-1", at: "2026-11-22T09:00:00Z", type: "ticket.commented"))
        #expect(harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T13:30:00Z")!, tickets: &harness.tickets).isEmpty)
        let fired = harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T14:00:00Z")!, tickets: &harness.tickets)
        #expect(fired.map(\.event.id) == ["T-1/idle/stale-urgent/2026-11-22T14:00:00Z"])

        // Another late one, older than 10:00, after the timer fired: no second idle event for that spell.
        _ = harness.run(Self.event("e0b", ticket: "T-1", at: "2026-11-22T09:30:00Z", type: "ticket.commented"))
        #expect(harness.engine.fireTimers(until: Timestamp.parse("2026-11-30T00:00:00Z")!, tickets: &harness.tickets).isEmpty)

        // A genuinely newer event starts a new spell.
        _ = harness.run(Self.event("e2", ticket: "T-1", at: "2026-11-22T15:00:00Z", type: "ticket.commented"))
        let again = harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T19:00:00Z")!, tickets: &harness.tickets)
        #expect(again.map(\.event.id) == ["T-1/idle/stale-urgent/2026-11-22T19:00:00Z"])
    }

    @Test func timers_survivARestart_andFireOnce_withTheSQLiteLog() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("timers-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)
        let workflow = try #require(loader.loadText(Array(Self.staleUrgent.utf8), file: "w.yaml").0)
        let workflows = WorkflowSet([workflow])
        func consumer(_ store: SQLiteEventStore) -> LogConsumer {
            LogConsumer(
                engine: Engine(workflows: workflows, actions: BuiltinActions.registry), store: store,
                now: { Timestamp(millisecondsSinceEpoch: 0) }, batchSize: 2_000)
        }
        // 10,000 tickets arm 10,000 timers; then the process "restarts".
        do {
            let store = try SQLiteEventStore(path: path)
            let events = (0..<10_000).map { Self.event("e\($0)", ticket: "T-\($0)", at: "2026-11-22T10:00:00Z") }
            _ = try await store.append(events, recordedAt: Timestamp(millisecondsSinceEpoch: 0))
            var first = consumer(store)
            var statistics = LogConsumer.Statistics()
            try await first.drain(into: &statistics)
            try store.close()
        }
        let store = try SQLiteEventStore(path: path)
        var restarted = consumer(store)
        var statistics = LogConsumer.Statistics()
        try await restarted.fireTimers(until: Timestamp.parse("2026-11-22T14:00:00Z")!, into: &statistics)
        #expect(statistics.timersFired == 10_000)
        #expect(statistics.effectsRecorded == 10_000)
        // A second restart at the same time finds nothing left to fire.
        var again = consumer(store)
        var second = LogConsumer.Statistics()
        try await again.fireTimers(until: Timestamp.parse("2026-11-22T15:00:00Z")!, into: &second)
        #expect(second.timersFired == 0)
        #expect(try await store.effects(eventID: "T-42/idle/stale-urgent/2026-11-22T14:00:00Z").count == 1)
    }
}

/// Schedules: at each tick the workflow runs over the tickets its condition matches.
@Suite struct ScheduleTriggerTests {
    static let hourly = """
        workflow: hourly-open
        on: { schedule: "0 * * * *" }
        if: ticket.status == "open"
        steps:
          - tag: checked
        """

    static func event(_ id: String, ticket: String, status: String, at time: String) -> Event {
        try! EventDecoder.decode([
            "id": .string(id), "type": "ticket.created", "occurred_at": .string(time),
            "ticket": ["id": .string(ticket), "status": .string(status)],
        ]).get()
    }

    @Test func tick_runsTheWorkflowOnEveryMatchingTicket_eachAsItsOwnEvent() throws {
        var harness = try EngineHarness([Self.hourly])
        for (number, status) in ["open", "solved", "open"].enumerated() {
            _ = harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T10:0\(number):00Z")!, tickets: &harness.tickets)
            _ = harness.run(Self.event("e\(number)", ticket: "T-\(number)", status: status, at: "2026-11-22T10:0\(number):00Z"))
        }
        let ticks = harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T11:30:00Z")!, tickets: &harness.tickets)
        #expect(ticks.map(\.event.id) == [
            "T-0/schedule/hourly-open/2026-11-22T11:00:00Z", "T-2/schedule/hourly-open/2026-11-22T11:00:00Z",
        ])
        #expect(ticks.allSatisfy { $0.allEffects.count == 1 })
    }

    @Test func ticksMissedWhileNothingRan_collapseIntoTheLatest() throws {
        var harness = try EngineHarness([Self.hourly])
        _ = harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T10:00:00Z")!, tickets: &harness.tickets)
        _ = harness.run(Self.event("e1", ticket: "T-1", status: "open", at: "2026-11-22T10:00:00Z"))
        let ticks = harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T15:10:00Z")!, tickets: &harness.tickets)
        #expect(ticks.map(\.event.occurredAt.description) == ["2026-11-22T15:00:00Z"])
        #expect(harness.engine.fireTimers(until: Timestamp.parse("2026-11-22T15:59:00Z")!, tickets: &harness.tickets).isEmpty)
    }
}
