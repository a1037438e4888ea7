import Foundation
import Testing

/// dry-run and run decide "duplicate or conflict" the same way: by the
/// event's JSON value, not by how it is spaced.
@Suite struct DuplicateEventsTests {
    static let events = [
        #"{"id":"e1","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-1"}}"#,
        #"{ "id": "e1", "type": "ticket.created", "occurred_at": "2026-11-22T10:00:00Z", "ticket": { "id": "T-1" } }"#,
    ].joined(separator: "\n") + "\n"

    @Test func sameEventDifferentlySpaced_isADuplicateInDryRunAndInRun() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag.yaml", "workflow: t\non: ticket.created\nsteps:\n  - tag: x\n")
        try scratch.write("events.jsonl", Self.events)
        let planned = try await scratch.run("dry-run", "--workflows", "wf", "events.jsonl")
        #expect(planned.status == 0, "\(planned.stderr)")
        #expect(planned.stdoutLines.last == "dry-run: 1 event, 1 workflow run, 1 effect, 1 follow-up event, 1 duplicate skipped")
        let ran = try await scratch.run("run", "--workflows", "wf", "--log", "log.sqlite", "events.jsonl")
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stdout.hasPrefix("run: 2 events read, 1 stored, 1 already in the log;"))
    }
}
