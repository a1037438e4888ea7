import Actions
import Core
import Engine
import EventLog
import Foundation
import Testing
import Workflows

/// `Action.prepare`: before a batch is processed, the workflows' actions see
/// every ticket of the batch as its event will find it.
@Suite struct PrepareTests {
    /// Records the subjects it was prepared with, batch by batch.
    final class SubjectRecorder: Action, @unchecked Sendable {
        let spec = ActionSpec(
            name: "record_subject", summary: "Records what it was prepared with.",
            parameters: [ParameterSpec("note", .string, summary: "Unused.")], shorthand: "note")
        private let lock = NSLock()
        private var batches: [[String]] = []

        var prepared: [[String]] { lock.withLock { batches } }

        func prepare(tickets: [Value]) {
            lock.withLock { batches.append(tickets.map { $0["subject"]?.stringValue ?? "-" }) }
        }

        func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
            .unchanged(reason: "records only")
        }
    }

    static func event(_ id: String, ticket: String, subject: String?, type: String = "ticket.updated") -> Event {
        var fields = Value.Object([("id", .string(ticket))])
        if let subject { fields["subject"] = .string(subject) }
        return try! EventDecoder.decode([
            "id": .string(id), "type": .string(type), "occurred_at": "2026-11-22T10:00:00Z", "ticket": .object(fields),
        ]).get()
    }

    @Test func eachBatchIsPreparedWithTheTicketsItsEventsWillFind() async throws {
        let recorder = SubjectRecorder()
        let registry = ActionRegistry(BuiltinActions.all() + [recorder])
        let loader = WorkflowLoader(catalog: registry.catalog)
        let text = "workflow: record\non: [ticket.created, ticket.updated]\nsteps:\n  - record_subject: seen\n"
        let workflow = try #require(loader.loadText(Array(text.utf8), file: "record.yaml").0)
        let store = MemoryEventStore()
        _ = await store.append([
            Self.event("e1", ticket: "T-1", subject: "export fails", type: "ticket.created"),
            Self.event("e2", ticket: "T-2", subject: "map is blank", type: "ticket.created"),
            // No subject: the ticket keeps the one it has.
            Self.event("e3", ticket: "T-1", subject: nil),
            Self.event("e4", ticket: "T-1", subject: "export fails at 10,000 rows"),
        ], recordedAt: Timestamp(millisecondsSinceEpoch: 0))
        var consumer = LogConsumer(
            engine: Engine(workflows: WorkflowSet([workflow]), actions: registry), store: store,
            now: { Timestamp(millisecondsSinceEpoch: 0) }, batchSize: 3)
        var statistics = LogConsumer.Statistics()
        try await consumer.drain(into: &statistics)

        #expect(recorder.prepared == [
            ["export fails", "map is blank", "export fails"],
            ["export fails at 10,000 rows"],
        ])
        #expect(statistics.eventsProcessed == 4)
    }
}
