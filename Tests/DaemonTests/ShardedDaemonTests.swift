import Core
import EventLog
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import Daemon

/// Several daemons on one shared log: the shards are split between them,
/// every event is processed once, and a daemon that leaves hands its
/// shards over.
@Suite struct ShardedDaemonTests {
    @Test(.timeLimit(.minutes(2))) func threeDaemonsSplitTheShardsAndProcessEveryEventOnce() async throws {
        let store = MemoryEventStore()
        let config = DaemonHarness.config {
            $0.shards = 6
            $0.leaseDuration = .seconds(2)
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let daemons = try (0..<3).map { _ in
            Daemon(
                config: config, store: store, engine: try DaemonHarness.engine(), load: { .failure(DiagnosticsError([])) },
                fingerprint: { "" }, now: DaemonHarness.now, logger: logger)
        }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            var groups: [ServiceGroup] = []
            var clients: [Client] = []
            for daemon in daemons {
                let (ports, continuation) = AsyncStream<Int>.makeStream()
                let group = daemon.serviceGroup { continuation.yield($0) }
                groups.append(group)
                tasks.addTask { try await group.run() }
                var iterator = ports.makeAsyncIterator()
                clients.append(Client(port: try #require(await iterator.next())))
            }
            // Every daemon gets its fair share of the six shards.
            try await DaemonHarness.eventually("shards split") {
                let owners = Set(try await store.leases(consumer: "engine").map(\.owner))
                return owners == Set(daemons.map(\.owner))
            }
            for index in 0..<60 {
                let reply = try await clients[index % 3].post("/v1/events", DaemonHarness.event("e\(index)", ticket: "T-\(index % 30)"))
                #expect(reply.status == 202)
            }
            try await DaemonHarness.eventually("all processed") {
                var done = 0
                for index in 0..<60 where try await store.evaluation(eventID: "e\(index)") != nil { done += 1 }
                return done == 60
            }
            // One daemon leaves; the others take its shards and go on.
            await groups[0].triggerGracefulShutdown()
            try await DaemonHarness.eventually("shards taken over") {
                let leases = try await store.leases(consumer: "engine")
                let live = leases.filter { $0.owner != daemons[0].owner }
                return Set(live.map(\.shard.index)).count == 6
            }
            for index in 60..<90 {
                let reply = try await clients[1 + index % 2].post("/v1/events", DaemonHarness.event("e\(index)", ticket: "T-\(index % 30)"))
                #expect(reply.status == 202)
            }
            try await DaemonHarness.eventually("later events processed") {
                for index in 60..<90 where try await store.evaluation(eventID: "e\(index)") == nil { return false }
                return true
            }
            // Every event ran its workflow: tag and escalate, recorded once each.
            for index in 0..<90 {
                #expect(try await store.effects(eventID: "e\(index)").count == 2, "e\(index)")
            }
            // A sharded daemon counts its workflow runs as a single one does.
            var runs = 0
            for client in clients.dropFirst() {
                let text = try await client.get("/metrics", token: nil).text
                for line in text.split(separator: "\n") where line.hasPrefix(#"ticketflow_workflow_runs_total{result="fired"} "#) {
                    runs += Int(line.split(separator: " ").last ?? "") ?? 0
                }
            }
            #expect(runs >= 30, "the 30 later events ran on the two daemons left")
            for group in groups.dropFirst() { await group.triggerGracefulShutdown() }
            try await tasks.waitForAll()
        }
    }
}
