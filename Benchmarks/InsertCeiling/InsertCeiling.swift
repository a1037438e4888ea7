// The ceiling for `ticketflow run`: the same rows `run` writes, written
// again with the same batching and nothing else — no parsing, no workflows,
// no engine. `run`'s rate over this one says what the engine costs on top
// of storage.
//
//     ticketflow-bench-insert RUN.sqlite FRESH.sqlite [BATCH]
//
// RUN.sqlite is a log written by `ticketflow run`; its rows are read into
// memory first, then appended and committed to FRESH.sqlite batch by batch:
// BATCH incoming events, then one commit with their effects, the events the
// engine appended for them, their evaluation records and ticket states.
import Core
import EventLog
import Foundation
import SQLiteEventLog

@main
struct InsertCeiling {
    static func main() async throws {
        try await measure()
    }

    nonisolated static func measure() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3 else {
            FileHandle.standardError.write(Data("usage: ticketflow-bench-insert RUN.sqlite FRESH.sqlite [BATCH]\n".utf8))
            exit(64)
        }
        let batchSize = arguments.count > 3 ? Int(arguments[3]) ?? 500 : 500
        let source = try SQLiteEventStore(path: arguments[1], readOnly: true)

        // Read everything first: only the writes are timed.
        var all: [LogRecord] = []
        var position: Int64 = 0
        while true {
            let records = try await source.records(after: position, limit: 100_000)
            guard let last = records.last else { break }
            all += records
            position = last.position
        }
        let incoming = all.filter(\.isIncoming)
        let followUps = Dictionary(grouping: all.filter { !$0.isIncoming }, by: { $0.causation!.eventID })
        var batches: [(events: [Event], batch: ConsumerBatch)] = []
        for start in stride(from: 0, to: incoming.count, by: batchSize) {
            let events = incoming[start..<min(incoming.count, start + batchSize)].map(\.event)
            var batch = ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 0)
            var queue = events.map(\.id)
            while let id = queue.popLast() {
                batch.effects += try await source.effects(eventID: id)
                if let evaluation = try await source.evaluation(eventID: id) { batch.evaluations.append(evaluation) }
                for record in followUps[id] ?? [] {
                    batch.followUps.append((record.event, record.causation!))
                    queue.append(record.event.id)
                }
            }
            batch.tickets = try await source.tickets(Array(Set(events.map(\.ticketID))))
            batches.append((events, batch))
        }

        try? FileManager.default.removeItem(atPath: arguments[2])
        let store = try SQLiteEventStore(path: arguments[2])
        let now = Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)
        let clock = ContinuousClock()
        let began = clock.now
        var checkpoint: Int64 = 0
        var rows = 0
        for (events, prepared) in batches {
            let outcomes = try await store.append(events, recordedAt: now)
            var batch = prepared
            batch.fromPosition = checkpoint
            batch.toPosition = outcomes.compactMap { if case .appended(let p) = $0 { p } else { nil } }.max() ?? checkpoint
            _ = try await store.commit(batch)
            checkpoint = batch.toPosition
            rows += events.count + batch.effects.count + batch.followUps.count + batch.evaluations.count + batch.tickets.count + 1
        }
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(
            format: "insert ceiling: the same %d rows as the run (%d events) in %.2f s: %.0f events/s, batches of %d",
            rows, incoming.count, seconds, Double(incoming.count) / seconds, batchSize))
    }
}
