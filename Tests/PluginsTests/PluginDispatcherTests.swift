import Actions
import Core
import Engine
import EventLog
import Foundation
import Plugins
import SQLiteEventLog
import Testing
import Workflows

/// A clock the test moves by hand: retries fall due without sleeping.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)
    var now: Timestamp { lock.withLock { time } }
    func advance(milliseconds: Int64) { lock.withLock { time = time.adding(TimeSpan(milliseconds: milliseconds)) } }
    var read: @Sendable () -> Timestamp { { self.now } }
}

@Suite("Plugin dispatcher: the outbox, retries, parking")
struct PluginDispatcherTests {
    /// Runs one workflow with a plugin step over one event into `store`.
    func record(step: String, into store: any EventStore, fixture: FixturePlugin, eventID: String = "e1") async throws {
        let file = fixture.root.appendingPathComponent("wf-\(eventID).yaml").path
        try Data("""
            workflow: notify
            on: ticket.created
            steps:
              - \(step)
            """.utf8).write(to: URL(fileURLWithPath: file))
        var catalog = BuiltinActions.registry.catalog
        for action in fixture.manifest.actions { catalog.add(action.spec) }
        let loaded = WorkflowLoader(catalog: catalog).load(file)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let actions = ActionRegistry(BuiltinActions.all() + fixture.manifest.actions.map { PluginAction(plugin: fixture.manifest, action: $0) })
        let engine = Engine(workflows: loaded.workflows, actions: actions)
        let payload = try JSONReader.read(#"{"id":"\#(eventID)","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-1","subject":"Export fails; $(rm -rf /)"}}"#)
        let event = Event(id: eventID, type: "ticket.created", occurredAt: Timestamp.parse("2026-11-22T10:00:00Z")!, ticketID: "T-1", payload: payload)
        _ = try await store.append([event], recordedAt: Timestamp(millisecondsSinceEpoch: 0))
        var consumer = LogConsumer(engine: engine, store: store, now: { Timestamp(millisecondsSinceEpoch: 0) })
        var statistics = LogConsumer.Statistics()
        try await consumer.drain(into: &statistics)
    }

    func types(_ store: any EventStore) async throws -> [String] {
        try await store.records(after: 0, limit: 100).map(\.event.type)
    }

    @Test func dispatch_sendsEachRequestOnce_andRecordsItsResult() async throws {
        let fixture = try FixturePlugin()
        let store = MemoryEventStore()
        try await record(step: #"fixture.echo: { text: "{{ ticket.subject }}" }"#, into: store, fixture: fixture)
        let clock = ManualClock()
        let dispatcher = PluginDispatcher(store: store, plugins: [fixture.manifest], now: clock.read, random: { 0.5 })
        let report = try await dispatcher.dispatchDue()
        #expect(report.requestsFound == 1)
        #expect(report.succeeded == 1)
        #expect(try await dispatcher.dispatchDue() == PluginDispatcher.Report())
        await dispatcher.shutdown()
        #expect(try await types(store) == ["ticket.created", "plugin.requested", "plugin.succeeded"])
        let result = try #require(await store.record(eventID: "e1/notify/1/attempt-1"))
        #expect(result.event.payload["effect"]?["result"]?["params"]?["text"] == "Export fails; $(rm -rf /)")
        #expect(result.event.payload["effect"]?["result"]?["request"]?["idempotency_key"] == "e1/notify/1")
        #expect(result.causation == Causation(eventID: "e1", workflow: "notify", workflowVersion: result.causation?.workflowVersion ?? "", step: "1"))
        let effects = await store.effects(eventID: "e1").map { "\($0.step) \($0.outcome)" }
        #expect(effects == ["1 applied", "1#attempt-1 succeeded"])
    }

    @Test func dispatch_whenFailuresAreRetryable_retriesWithBackoff_parksAtTheLimit_andRetryRequeues() async throws {
        let fixture = try FixturePlugin()
        let store = MemoryEventStore()
        try await record(step: "fixture.fail: { retryable: true }", into: store, fixture: fixture)
        let clock = ManualClock()
        let start = clock.now
        let dispatcher = PluginDispatcher(store: store, plugins: [fixture.manifest], now: clock.read, random: { 0.5 })
        #expect(try await dispatcher.dispatchDue().failed == 1)
        // backoff 100ms, equal jitter at 0.5: 75 ms after the first try.
        #expect(try await dispatcher.nextDue() == start.adding(TimeSpan(milliseconds: 75)))
        #expect(try await dispatcher.dispatchDue() == Report(waiting: 1))
        clock.advance(milliseconds: 75)
        #expect(try await dispatcher.dispatchDue().failed == 1)
        #expect(try await dispatcher.nextDue() == start.adding(TimeSpan(milliseconds: 75 + 150)))
        clock.advance(milliseconds: 150)
        #expect(try await dispatcher.dispatchDue().parked == 1)
        #expect(try await dispatcher.nextDue() == nil)
        #expect(try await types(store) == ["ticket.created", "plugin.requested", "plugin.failed", "plugin.failed", "plugin.parked"])
        let parked = try #require(await store.record(eventID: "e1/notify/1/attempt-3"))
        #expect(parked.event.payload["effect"]?["error"] == "it failed")

        let message = try await PluginDispatcher.requestRetry(of: "e1/notify/1", store: store, now: clock.now)
        #expect(message == "retry of e1/notify/1 requested; the next `ticketflow run` (or the daemon) sends it")
        let again = try await dispatcher.dispatchDue()
        #expect(again.retriesRequested == 1)
        #expect(again.failed == 1)
        await #expect(throws: PluginDispatcher.RetryRefused.self) {
            _ = try await PluginDispatcher.requestRetry(of: "e1/notify/1", store: store, now: clock.now)
        }
        await dispatcher.shutdown()
    }

    @Test func dispatch_whenFailureIsNotRetryable_parksAtOnce() async throws {
        let fixture = try FixturePlugin()
        let store = MemoryEventStore()
        try await record(step: "fixture.fail: { retryable: false }", into: store, fixture: fixture)
        let dispatcher = PluginDispatcher(store: store, plugins: [fixture.manifest], now: ManualClock().read)
        #expect(try await dispatcher.dispatchDue().parked == 1)
        await dispatcher.shutdown()
    }

    @Test func dispatch_whenPluginIsNotInstalled_parksTheCall() async throws {
        let fixture = try FixturePlugin()
        let store = MemoryEventStore()
        try await record(step: #"fixture.echo: { text: "hi" }"#, into: store, fixture: fixture)
        let dispatcher = PluginDispatcher(store: store, plugins: [], now: ManualClock().read)
        #expect(try await dispatcher.dispatchDue().parked == 1)
        let parked = try #require(await store.record(eventID: "e1/notify/1/attempt-1"))
        #expect(parked.event.payload["effect"]?["error"] == "no plugin named `fixture` is installed")
    }

    @Test func waitingRetry_survivesARestart_ofTheSQLiteLog() async throws {
        let fixture = try FixturePlugin()
        let path = fixture.root.appendingPathComponent("log.sqlite").path
        let clock = ManualClock()
        let start = clock.now
        do {
            let store = try SQLiteEventStore(path: path)
            try await record(step: "fixture.fail: { retryable: true }", into: store, fixture: fixture)
            let dispatcher = PluginDispatcher(store: store, plugins: [fixture.manifest], now: clock.read, random: { 0 })
            #expect(try await dispatcher.dispatchDue().failed == 1)
            await dispatcher.shutdown()
            try store.close()
        }
        let reopened = try SQLiteEventStore(path: path)
        let dispatcher = PluginDispatcher(store: reopened, plugins: [fixture.manifest], now: clock.read, random: { 0 })
        #expect(try await dispatcher.nextDue() == start.adding(TimeSpan(milliseconds: 50)))
        #expect(try await dispatcher.dispatchDue() == Report(waiting: 1))
        clock.advance(milliseconds: 50)
        let report = try await dispatcher.dispatchDue()
        #expect(report.failed == 1)
        #expect(report.requestsFound == 0)
        #expect(try await reopened.record(eventID: "e1/notify/1/attempt-2") != nil)
        await dispatcher.shutdown()
    }

    @Test func retryPolicy_growsExponentially_withEqualJitter_upToTheCap() {
        let policy = RetryPolicy(attempts: 5, backoff: .seconds(2), maxBackoff: .seconds(10))
        #expect(policy.delay(afterAttempt: 1, random: 0) == .seconds(1))
        #expect(policy.delay(afterAttempt: 1, random: 0.999_999) < .seconds(2))
        #expect(policy.delay(afterAttempt: 2, random: 0.5) == .seconds(3))
        #expect(policy.delay(afterAttempt: 3, random: 1) == .seconds(8))
        #expect(policy.delay(afterAttempt: 9, random: 1) == .seconds(10))
    }
}

private func Report(waiting: Int) -> PluginDispatcher.Report {
    var report = PluginDispatcher.Report()
    report.waiting = waiting
    return report
}
