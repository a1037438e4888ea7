import Core
import EventLog
import Foundation
import Logging
import Testing

@testable import Daemon

@Suite struct LifecycleTests {
    /// A service that fails (here the server cannot bind) stops the whole
    /// daemon with an error instead of leaving it hanging.
    @Test(.timeLimit(.minutes(1))) func aPortInUseStopsTheDaemonWithAnError() async throws {
        try await DaemonHarness.withDaemon { client, _ in
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let config = DaemonHarness.config { $0.port = client.port }
            let second = Daemon(
                config: config, store: MemoryEventStore(), engine: try DaemonHarness.engine(),
                load: { .failure(DiagnosticsError([])) }, fingerprint: { "" }, now: DaemonHarness.now, logger: logger)
            let started = ContinuousClock.now
            await #expect(throws: (any Error).self) { try await second.serviceGroup().run() }
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    /// Acknowledged events are processed before a graceful stop completes.
    @Test func aGracefulStopProcessesWhatWasAcknowledged() async throws {
        let store = MemoryEventStore()
        try await DaemonHarness.withDaemon(store: store) { client, _ in
            for index in 0..<20 {
                let reply = try await client.post("/v1/events", DaemonHarness.event("s\(index)", ticket: "T-\(index)"))
                #expect(reply.status == 202)
            }
        }
        // withDaemon returned: the group has stopped.
        for index in 0..<20 {
            #expect(try await store.effects(eventID: "s\(index)").count == 2)
        }
    }

    @Test func readsTakeABearerTokenNotASignature() async throws {
        try await DaemonHarness.withDaemon { client, _ in
            _ = try await client.post("/v1/events", DaemonHarness.event("r1"))
            #expect(try await client.get("/v1/tickets/T-1").status == 200)
            #expect(try await client.get("/v1/tickets/T-1", token: nil).status == 401)
            let signed = try await client.send("GET", "/v1/tickets/T-1", headers: [
                "X-Ticketflow-Timestamp": String(Int(Date().timeIntervalSince1970)),
                "X-Ticketflow-Signature": Signatures.ticketflowSignature(
                    timestamp: String(Int(Date().timeIntervalSince1970)), body: [UInt8](), secret: DaemonHarness.hmacSecret),
            ])
            #expect(signed.status == 401)
            #expect(try await client.get("/v1/tickets/T-unknown").status == 404)
        }
    }
}
