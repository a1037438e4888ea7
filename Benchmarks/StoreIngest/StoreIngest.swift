// Ingest into the event log, PostgreSQL next to SQLite: what `serve` pays
// to accept events.
//
//     ticketflow-bench-ingest POSTGRES_URL SCRATCH_DIR [EVENTS] [SINGLES]
//
// POSTGRES_URL names a server (e.g. `scripts/postgres start`); the bench
// creates a database of its own there and drops it afterwards. SCRATCH_DIR
// receives the SQLite file. For each store:
//   - batched: EVENTS events (300-byte payloads) appended in batches of 500;
//   - one per transaction: SINGLES appends of one event each, one after the
//     other: the latency of an acknowledged event, p50 and p99;
//   - the same from 8 concurrent writers: what serialised appends cost
//     when several daemons (or connections) ingest at once.
import Core
import EventLog
import Foundation
import PostgresEventLog
import PostgresNIO
import SQLiteEventLog

@main
struct StoreIngest {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3 else {
            FileHandle.standardError.write(Data(
                "usage: ticketflow-bench-ingest POSTGRES_URL SCRATCH_DIR [EVENTS] [SINGLES]\n".utf8))
            exit(64)
        }
        let events = arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000
        let singles = arguments.count > 4 ? Int(arguments[4]) ?? 2_000 : 2_000

        let sqlitePath = URL(fileURLWithPath: arguments[2]).appendingPathComponent("ingest.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
        let sqlite = try SQLiteEventStore(path: sqlitePath)
        try await measure("SQLite", sqlite, events: events, singles: singles)
        try sqlite.close()

        let server = try PostgresLocation(url: arguments[1])
        let name = "ticketflow_bench_\(UInt32.random(in: 0...UInt32.max))"
        try await admin(server, "CREATE DATABASE \(name)")
        do {
            let url = "postgres://\(server.username)@\(server.host):\(server.port)/\(name)?sslmode=disable"
            _ = try await PostgresEventStore.migrate(url: url)
            let postgres = try await PostgresEventStore.open(url: url)
            try await measure("PostgreSQL", postgres, events: events, singles: singles)
            await postgres.close()
        } catch {
            try? await admin(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        try await admin(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    static func measure(_ label: String, _ store: any EventStore, events count: Int, singles: Int) async throws {
        let clock = ContinuousClock()
        let now = Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)

        let all = (0..<count).map { event("\(label)-b-\($0)", ticket: $0 % 5_000) }
        var began = clock.now
        for start in stride(from: 0, to: all.count, by: 500) {
            _ = try await store.append(Array(all[start..<min(all.count, start + 500)]), recordedAt: now)
        }
        let batched = seconds(clock.now - began)
        print(pad(label) + String(format: "batched      %7d events in batches of 500: %8.0f events/s",
            count, Double(count) / batched))

        var latencies: [Double] = []
        latencies.reserveCapacity(singles)
        began = clock.now
        for index in 0..<singles {
            let start = clock.now
            _ = try await store.append([event("\(label)-s-\(index)", ticket: index % 5_000)], recordedAt: now)
            latencies.append(seconds(clock.now - start))
        }
        let sequential = seconds(clock.now - began)
        print(pad(label) + String(format: "one per tx   %7d appends, 1 writer:   %8.0f events/s  p50 %6.2f ms  p99 %6.2f ms",
            singles, Double(singles) / sequential,
            percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000))

        let writers = 8
        began = clock.now
        let concurrent: [Double] = try await withThrowingTaskGroup(of: [Double].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var mine: [Double] = []
                    for index in stride(from: writer, to: singles, by: writers) {
                        let start = clock.now
                        _ = try await store.append(
                            [event("\(label)-c-\(index)", ticket: index % 5_000)], recordedAt: now)
                        mine.append(seconds(clock.now - start))
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await mine in group { all += mine }
            return all
        }
        let parallel = seconds(clock.now - began)
        print(pad(label) + String(format: "one per tx   %7d appends, %d writers:  %8.0f events/s  p50 %6.2f ms  p99 %6.2f ms",
            singles, writers, Double(singles) / parallel,
            percentile(concurrent, 0.50) * 1000, percentile(concurrent, 0.99) * 1000))
    }

    /// An incoming event with a payload of about 300 bytes, as the insert benchmarks use.
    static func event(_ id: String, ticket: Int) -> Event {
        let time = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)
        let ticketID = "T-\(ticket)"
        return Event(
            id: id, type: "ticket.created", occurredAt: time, ticketID: ticketID,
            payload: [
                "id": .string(id), "type": "ticket.created", "occurred_at": .string(time.description),
                "source": "zendesk",
                "ticket": [
                    "id": .string(ticketID), "subject": "Export to CSV fails on large reports",
                    "status": "new", "priority": "normal", "channel": "email", "tags": ["export", "reports"],
                    "product_area": "reports", "requester": ["id": "U-9", "email": "ana@example.com", "plan": "pro"],
                ],
            ])
    }

    static func pad(_ label: String) -> String {
        label + String(repeating: " ", count: max(1, 11 - label.count))
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Runs one statement on the server's own database.
    static func admin(_ server: PostgresLocation, _ sql: String) async throws {
        var configuration = server.clientConfiguration()
        configuration.tls = .disable
        let client = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}
