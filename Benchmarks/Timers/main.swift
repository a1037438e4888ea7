// Idle timers at scale: arms 100,000 durable timers in an SQLite log, then,
// as after a restart, measures how long restoring them takes and the memory
// they hold, and how late they fire on the real clock while a loop sleeps
// until each next due time.
//
//     ticketflow-bench-timers [TIMERS] [SECONDS]
import Actions
import Core
import Engine
import EventLog
import Foundation
import SQLiteEventLog
import Workflows

@main
struct TimersBenchmark {
    static func residentMiB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func wallNow() -> Timestamp { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) }

    static func main() async throws {
        try await measure()
    }

    /// Not on the main actor: the consumer's async work runs where it is called.
    nonisolated static func measure() async throws {
        let arguments = CommandLine.arguments
        let count = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
        let window = arguments.count > 2 ? Double(arguments[2]) ?? 20 : 20
        let yaml = """
            workflow: stale
            on: { idle: 1h }
            steps:
              - tag: stale
            """
        let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)
        guard let workflow = loader.loadText(Array(yaml.utf8), file: "stale.yaml").0 else { fatalError("workflow") }
        let workflows = WorkflowSet([workflow])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("timers-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        func consumer(_ store: SQLiteEventStore) -> LogConsumer {
            LogConsumer(
                engine: Engine(workflows: workflows, actions: BuiltinActions.registry), store: store,
                now: wallNow, batchSize: 2_000, cachedTicketLimit: 1_000)
        }
        let clock = ContinuousClock()

        // Arm: one event per ticket; due times spread over `window` seconds of wall time, starting 30 s
        // from now, after arming and restoring are done, so lateness measures firing and nothing else.
        let start = wallNow()
        do {
            let store = try SQLiteEventStore(path: path)
            var armer = consumer(store)
            var statistics = LogConsumer.Statistics()
            let began = clock.now
            for first in stride(from: 0, to: count, by: 10_000) {
                let events = (first..<min(count, first + 10_000)).map { number -> Event in
                    let offset = Int64(Double(number) / Double(count) * window * 1000) + 30_000
                    let occurred = start.adding(TimeSpan(milliseconds: offset - 3_600_000))
                    return try! EventDecoder.decode([
                        "id": .string("e\(number)"), "type": "ticket.created", "occurred_at": .string(occurred.description),
                        "ticket": ["id": .string("T-\(number)"), "subject": "Still waiting"],
                    ]).get()
                }
                _ = try await store.append(events, recordedAt: wallNow())
                try await armer.drain(into: &statistics)
            }
            print(String(format: "armed %d timers in %.2f s", count, seconds(clock.now - began)))
            try store.close()
        }

        // Restart: restore every timer from the log.
        let store = try SQLiteEventStore(path: path)
        var restarted = consumer(store)
        let before = residentMiB()
        let restoreBegan = clock.now
        let first = try await restarted.nextTimerDue()
        print(String(
            format: "restored %d timers in %.2f s; resident memory %.0f MiB (%.0f MiB before restoring)",
            count, seconds(clock.now - restoreBegan), residentMiB(), before))

        // Fire on the real clock: sleep until the next due time, fire everything due, repeat.
        var next = first
        var statistics = LogConsumer.Statistics()
        while let due = next {
            let wait = due.millisecondsSinceEpoch - wallNow().millisecondsSinceEpoch
            if wait > 0 { try await Task.sleep(for: .milliseconds(wait)) }
            try await restarted.fireTimers(until: wallNow(), into: &statistics)
            next = try await restarted.nextTimerDue()
        }
        // Lateness as the log recorded it: when the firing batch was stamped, minus the due time.
        var lateness: [Double] = []
        var position: Int64 = 0
        while true {
            let records = try await store.records(after: position, limit: 50_000)
            guard let last = records.last else { break }
            for record in records where record.event.type == "ticket.idle" {
                lateness.append(Double(record.recordedAt.millisecondsSinceEpoch - record.event.occurredAt.millisecondsSinceEpoch) / 1000)
            }
            position = last.position
        }
        lateness.sort()
        func percentile(_ p: Double) -> Double { lateness.isEmpty ? 0 : lateness[min(lateness.count - 1, Int(Double(lateness.count) * p))] }
        print(String(
            format: "fired %d timers over %.0f s of wall time: lateness p50 %.3f s, p99 %.3f s, max %.3f s (each batch committed before it counts)",
            lateness.count, window, percentile(0.5), percentile(0.99), lateness.last ?? 0))
    }
}
