import Actions
import Core
import Engine
import EventLog
import Foundation
import Testing
import Workflows

/// `PreparingAction`: before a batch is processed, an action sees the steps
/// of it the batch's events look likely to run, with the ticket each finds.
@Suite struct PrepareTests {
    /// Records the subjects it was prepared with, batch by batch.
    final class SubjectRecorder: PreparingAction, @unchecked Sendable {
        let spec = ActionSpec(
            name: "record_subject", summary: "Records what it was prepared with.",
            parameters: [ParameterSpec("note", .string, summary: "Unused.")], shorthand: "note")
        private let lock = NSLock()
        private var batches: [[String]] = []

        var prepared: [[String]] { lock.withLock { batches } }

        func prepare(_ steps: [(parameters: Value.Object, ticket: Value)]) {
            lock.withLock {
                batches.append(steps.map { ($0.ticket["subject"]?.stringValue ?? "-") + " / " + ($0.parameters["note"]?.stringValue ?? "") })
            }
        }

        func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
            .unchanged(reason: "records only")
        }
    }

    static func event(
        _ id: String, ticket: String, subject: String?, type: String = "ticket.updated", status: String = "open"
    ) -> Event {
        var fields = Value.Object([("id", .string(ticket)), ("status", .string(status))])
        if let subject { fields["subject"] = .string(subject) }
        return try! EventDecoder.decode([
            "id": .string(id), "type": .string(type), "occurred_at": "2026-11-22T10:00:00Z", "ticket": .object(fields),
        ]).get()
    }

    @Test func eachBatchIsPreparedWithTheTicketsItsEventsWillFind() async throws {
        let recorder = SubjectRecorder()
        let registry = ActionRegistry(BuiltinActions.all() + [recorder])
        let loader = WorkflowLoader(catalog: registry.catalog)
        // Not on comments, and not for closed tickets.
        let text = """
            workflow: record
            on: [ticket.created, ticket.updated]
            if: ticket.status != "closed"
            steps:
              - record_subject: "seen {{ ticket.id }}"
            """
        let workflow = try #require(loader.loadText(Array(text.utf8), file: "record.yaml").0)
        let store = MemoryEventStore()
        _ = await store.append([
            Self.event("e1", ticket: "T-1", subject: "export fails", type: "ticket.created"),
            Self.event("e2", ticket: "T-2", subject: "map is blank", type: "ticket.created"),
            // No subject: the ticket keeps the one it has.
            Self.event("e3", ticket: "T-1", subject: nil),
            Self.event("e4", ticket: "T-1", subject: "export fails at 10,000 rows"),
            Self.event("e5", ticket: "T-2", subject: "still blank", type: "ticket.commented"),
            Self.event("e6", ticket: "T-3", subject: "buy cheap watches", type: "ticket.created", status: "closed"),
        ], recordedAt: Timestamp(millisecondsSinceEpoch: 0))
        var consumer = LogConsumer(
            engine: Engine(workflows: WorkflowSet([workflow]), actions: registry), store: store,
            now: { Timestamp(millisecondsSinceEpoch: 0) }, batchSize: 3)
        var statistics = LogConsumer.Statistics()
        try await consumer.drain(into: &statistics)

        #expect(recorder.prepared == [
            ["export fails / seen T-1", "map is blank / seen T-2", "export fails / seen T-1"],
            ["export fails at 10,000 rows / seen T-1"],
        ])
        #expect(statistics.eventsProcessed == 6)
    }
}
