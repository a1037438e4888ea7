import Core
import EventLog
import Foundation
import Testing

@testable import Daemon

@Suite struct IngestTests {
    @Test func storesAnEventThenRunsTheWorkflowsOnIt() async throws {
        let store = MemoryEventStore()
        try await DaemonHarness.withDaemon(store: store) { client, _ in
            let reply = try await client.post("/v1/events", DaemonHarness.event("e1"))
            #expect(reply.status == 202, "\(reply.text)")
            #expect(reply.json["stored"] == .int(1))
            // 202 means durable: the event is already in the log when the answer arrives.
            #expect(try await store.record(eventID: "e1") != nil)
            try await DaemonHarness.eventually("effects recorded") { try await store.effects(eventID: "e1").count == 2 }
            let ticket = try await client.get("/v1/tickets/T-1")
            #expect(ticket.status == 200)
            #expect(ticket.json["ticket"]?["tags"] == .array(["needs-tier2"]))
            #expect(ticket.json["timeline"]?.arrayValue?.count ?? 0 >= 3)
            let explain = try await client.get("/v1/events/e1/explain")
            #expect(explain.status == 200)
            #expect(explain.json["evaluation"]?["workflows"]?.arrayValue?[0]["result"] == .string("fired"))
            #expect(explain.json["effects"]?.arrayValue?.count == 2)
        }
    }

    @Test func theSameDeliveryTwiceIsStoredOnce() async throws {
        let store = MemoryEventStore()
        try await DaemonHarness.withDaemon(store: store) { client, _ in
            let first = try await client.post("/v1/events", DaemonHarness.event("e1"))
            let second = try await client.post("/v1/events", DaemonHarness.event("e1"))
            #expect(first.status == 202 && second.status == 202)
            #expect(second.json["duplicates"] == .int(1))
            #expect(second.json["events"]?.arrayValue?[0]["status"] == .string("duplicate"))
            #expect(try await store.lastPosition() >= 1)
            #expect(try await store.records(ticket: "T-1").filter(\.isIncoming).count == 1)
        }
    }

    @Test func acceptsAnArrayAndJSONLines() async throws {
        let store = MemoryEventStore()
        try await DaemonHarness.withDaemon(store: store) { client, _ in
            let array = "[\(DaemonHarness.event("a1", ticket: "T-a")),\(DaemonHarness.event("a2", ticket: "T-b"))]"
            let fromArray = try await client.post("/v1/events", array)
            #expect(fromArray.json["stored"] == .int(2))
            let lines = DaemonHarness.event("n1", ticket: "T-c") + "\n\n" + DaemonHarness.event("n2", ticket: "T-d") + "\r\n"
            let fromLines = try await client.post("/v1/events", lines)
            #expect(fromLines.json["stored"] == .int(2))
            let stored = try await store.record(eventID: "n2")
            #expect(stored != nil)
        }
    }

    @Test func aBadEventRefusesTheWholeBatchAndNamesTheField() async throws {
        let store = MemoryEventStore()
        try await DaemonHarness.withDaemon(store: store) { client, _ in
            let bad = DaemonHarness.event("b2", ticket: "T-2", priority: "whenever")
            let reply = try await client.post("/v1/events", DaemonHarness.event("b1") + "\n" + bad)
            #expect(reply.status == 400)
            #expect(reply.json["error"] == .string("invalid_events"))
            #expect(reply.json["problems"]?.arrayValue?[0]["index"] == .int(1))
            #expect(reply.json["problems"]?.arrayValue?[0]["line"] == .int(2))
            #expect(reply.json["problems"]?.arrayValue?[0]["path"] == .string("ticket.priority"))
            #expect(try await store.lastPosition() == 0, "nothing of the batch is stored")
            let broken = try await client.post("/v1/events", "{\"id\": ")
            #expect(broken.status == 400)
            #expect(broken.json["message"]?.stringValue?.contains("not valid JSON") == true)
        }
    }

    @Test func anOversizedBodyIsRefusedWith413() async throws {
        let config = DaemonHarness.config { $0.maxBodyBytes = 1024 }
        let store = MemoryEventStore()
        try await DaemonHarness.withDaemon(config: config, store: store) { client, _ in
            let big = DaemonHarness.event("big").replacingOccurrences(of: "Card declined", with: String(repeating: "x", count: 5000))
            let reply = try await client.post("/v1/events", big)
            #expect(reply.status == 413)
            #expect(reply.json["error"] == .string("too_large"))
            #expect(try await store.lastPosition() == 0)
            // Still serving afterwards.
            #expect(try await client.post("/v1/events", DaemonHarness.event("small")).status == 202)
        }
    }

    @Test func aReusedIDWithADifferentBodyIsAConflict() async throws {
        try await DaemonHarness.withDaemon { client, _ in
            _ = try await client.post("/v1/events", DaemonHarness.event("c1"))
            let changed = DaemonHarness.event("c1", priority: "low")
            let reply = try await client.post("/v1/events", "[\(changed),\(DaemonHarness.event("c2", ticket: "T-9"))]")
            #expect(reply.status == 409)
            #expect(reply.json["events"]?.arrayValue?[0]["status"] == .string("conflict"))
            #expect(reply.json["events"]?.arrayValue?[1]["status"] == .string("stored"))
        }
    }

    @Test func healthReadinessAndMetrics() async throws {
        try await DaemonHarness.withDaemon { client, _ in
            #expect(try await client.get("/healthz", token: nil).status == 200)
            try await DaemonHarness.eventually("ready") { try await client.get("/readyz", token: nil).status == 200 }
            _ = try await client.post("/v1/events", DaemonHarness.event("m1"))
            _ = try await client.post("/v1/events", "{}")
            try await DaemonHarness.eventually("workflow runs counted") {
                try await client.get("/metrics", token: nil).text.contains(#"ticketflow_workflow_runs_total{result="fired"} 1"#)
            }
            let metrics = try await client.get("/metrics", token: nil).text
            #expect(metrics.contains("ticketflow_events_stored_total 1"))
            #expect(metrics.contains(#"ticketflow_requests_rejected_total{reason="invalid"} 1"#))
            #expect(metrics.contains("ticketflow_ingest_duration_seconds"))
            #expect(metrics.contains("ticketflow_consumer_lag_events 0.0"))
        }
    }
}
