import Core
import Engine
import EventLog
import Foundation
import Synchronization
import Testing

@testable import Daemon

@Suite struct ReloadTests {
    static let retagging = """
        workflow: urgent-billing
        on: ticket.created
        if: ticket.priority == "urgent"
        steps:
          - tag: reloaded
        """

    @Test func aReloadSwapsInASetThatValidatesAndKeepsTheOldOneOtherwise() async throws {
        let store = MemoryEventStore()
        let next = Mutex<Result<Engine, DiagnosticsError>>(.failure(DiagnosticsError([
            Diagnostic(.unknownAction, "unknown action `tagg`", at: Core.SourceLocation(file: "workflows/a.yaml", line: 4, column: 5)),
        ])))
        try await DaemonHarness.withDaemon(store: store, load: { next.withLock { $0 } }) { client, daemon in
            func tags(_ ticket: String) async throws -> Value? { try await store.tickets([ticket])[ticket]?["tags"] }
            _ = try await client.post("/v1/events", DaemonHarness.event("e1", ticket: "T-1"))
            try await DaemonHarness.eventually("first set ran") { try await tags("T-1") == .array(["needs-tier2"]) }

            await daemon.requestReload()
            try await DaemonHarness.eventually("refused reload counted") {
                try await client.get("/metrics", token: nil).text.contains(#"ticketflow_reloads_total{result="rejected"} 1"#)
            }
            _ = try await client.post("/v1/events", DaemonHarness.event("e2", ticket: "T-2"))
            try await DaemonHarness.eventually("old set still runs") { try await tags("T-2") == .array(["needs-tier2"]) }

            next.withLock { $0 = Result { try DaemonHarness.engine([Self.retagging]) }.mapError { $0 as! DiagnosticsError } }
            await daemon.requestReload()
            try await DaemonHarness.eventually("reload applied") {
                try await client.get("/metrics", token: nil).text.contains(#"ticketflow_reloads_total{result="applied"} 1"#)
            }
            _ = try await client.post("/v1/events", DaemonHarness.event("e3", ticket: "T-3"))
            try await DaemonHarness.eventually("new set runs") { try await tags("T-3") == .array(["reloaded"]) }
            #expect(try await tags("T-1") == .array(["needs-tier2"]), "what was done stays done")
        }
    }
}

/// A reload whose loading takes long must not stop the running set.
@Suite struct BackgroundReloadTests {
    /// A loader that waits until the test opens its gate, counting its calls.
    final class GatedLoader: Sendable {
        let gate = DispatchSemaphore(value: 0)
        let calls = Atomic<Int>(0)

        func load() -> Result<Engine, DiagnosticsError> {
            calls.add(1, ordering: .sequentiallyConsistent)
            gate.wait()
            return Result { try DaemonHarness.engine([ReloadTests.retagging]) }.mapError { $0 as! DiagnosticsError }
        }
    }

    @Test func eventsAreProcessedByTheRunningSetWhileANewSetLoads() async throws {
        let store = MemoryEventStore()
        let loader = GatedLoader()
        defer { for _ in 0..<4 { loader.gate.signal() } }
        try await DaemonHarness.withDaemon(store: store, load: { loader.load() }) { client, daemon in
            func tags(_ ticket: String) async throws -> Value? { try await store.tickets([ticket])[ticket]?["tags"] }
            await daemon.requestReload()
            try await DaemonHarness.eventually("load started") { loader.calls.load(ordering: .sequentiallyConsistent) == 1 }

            _ = try await client.post("/v1/events", DaemonHarness.event("e1", ticket: "T-1"))
            try await DaemonHarness.eventually("old set ran while loading") { try await tags("T-1") == .array(["needs-tier2"]) }

            loader.gate.signal()
            try await DaemonHarness.eventually("reload applied") {
                try await client.get("/metrics", token: nil).text.contains(#"ticketflow_reloads_total{result="applied"} 1"#)
            }
            _ = try await client.post("/v1/events", DaemonHarness.event("e2", ticket: "T-2"))
            try await DaemonHarness.eventually("new set runs") { try await tags("T-2") == .array(["reloaded"]) }
        }
    }

    @Test func aReloadAskedForDuringALoadLoadsAgainAfterIt() async throws {
        let loader = GatedLoader()
        defer { for _ in 0..<4 { loader.gate.signal() } }
        try await DaemonHarness.withDaemon(load: { loader.load() }) { client, daemon in
            await daemon.requestReload()
            try await DaemonHarness.eventually("first load started") { loader.calls.load(ordering: .sequentiallyConsistent) == 1 }
            await daemon.requestReload()
            await daemon.requestReload()
            // Give the loop turns to see both requests while the first load is held.
            try await Task.sleep(for: .milliseconds(300))
            #expect(loader.calls.load(ordering: .sequentiallyConsistent) == 1, "one load at a time")

            loader.gate.signal()
            try await DaemonHarness.eventually("second load started") { loader.calls.load(ordering: .sequentiallyConsistent) == 2 }
            loader.gate.signal()
            try await DaemonHarness.eventually("both applied") {
                try await client.get("/metrics", token: nil).text.contains(#"ticketflow_reloads_total{result="applied"} 2"#)
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(loader.calls.load(ordering: .sequentiallyConsistent) == 2, "the requests made during one load make one more load, not two")
        }
    }
}
