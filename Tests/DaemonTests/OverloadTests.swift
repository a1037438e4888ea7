import Core
import EventLog
import Foundation
import SQLiteEventLog
import Testing

@testable import Daemon

@Suite struct OverloadTests {
    static func events(_ prefix: String, _ count: Int) -> [Event] {
        (0..<count).map { index in
            try! EventDecoder.decode(try! JSONReader.read(DaemonHarness.event("\(prefix)\(index)", ticket: "T-\(prefix)\(index)"))).get()
        }
    }

    @Test func aFullQueueRefusesAtOnceAndAClosedOneRefusesEverything() async throws {
        let queue = IngestQueue(capacity: 3, maxBatch: 10)
        // Nobody writes: submissions wait in the queue.
        let first = Task { try await queue.submit(Self.events("a", 2)) }
        try await DaemonHarness.eventually("queued") { await queue.depth == 2 }
        await #expect(throws: IngestQueue.Refusal.full) { try await queue.submit(Self.events("b", 2)) }
        let batch = await queue.nextBatch()
        #expect(batch.flatMap(\.events).count == 2)
        for submission in batch { submission.continuation.resume(returning: [.appended(position: 1), .appended(position: 2)]) }
        #expect(try await first.value.count == 2)
        await queue.close()
        await #expect(throws: IngestQueue.Refusal.stopping) { try await queue.submit(Self.events("c", 1)) }
        #expect(await queue.nextBatch().isEmpty)
    }

    /// Many clients against a tiny queue on a real SQLite log: every answer
    /// is 202 or an overload refusal with Retry-After, and every event that
    /// got a 202 is in the log.
    @Test func underOverloadOnlyRefusalsAndEveryAcknowledgedEventIsStored() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ticketflow-overload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteEventStore(path: folder.appendingPathComponent("log.sqlite").path)
        let config = DaemonHarness.config { $0.maxQueuedEvents = 4 }
        try await DaemonHarness.withDaemon(config: config, store: store) { client, _ in
            let results = try await withThrowingTaskGroup(of: [(String, Int, String?)].self) { group in
                for worker in 0..<24 {
                    group.addTask {
                        var seen: [(String, Int, String?)] = []
                        for index in 0..<25 {
                            let id = "w\(worker)-\(index)"
                            let reply = try await client.post("/v1/events", DaemonHarness.event(id, ticket: "T-\(worker)"))
                            seen.append((id, reply.status, reply.headers["retry-after"]))
                        }
                        return seen
                    }
                }
                var all: [(String, Int, String?)] = []
                for try await part in group { all += part }
                return all
            }
            #expect(results.count == 600)
            #expect(results.allSatisfy { [202, 429, 503].contains($0.1) })
            #expect(results.filter { $0.1 != 202 }.allSatisfy { $0.2 != nil }, "refusals say when to retry")
            for (id, status, _) in results where status == 202 {
                #expect(try await store.record(eventID: id) != nil, "acknowledged \(id) is in the log")
            }
        }
    }
}
