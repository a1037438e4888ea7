// The ceiling for `ticketflow run`: appends the events of a JSON Lines file
// to a fresh SQLite log in batches, with nothing else — no workflows, no
// effects, no consumer. `run` does this plus everything else; the ratio of
// the two rates says how much the engine costs on top of storage.
//
//     ticketflow-bench-insert EVENTS.jsonl LOG.sqlite [BATCH]
import Core
import EventLog
import Foundation
import SQLiteEventLog

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: ticketflow-bench-insert EVENTS.jsonl LOG.sqlite [BATCH]\n".utf8))
    exit(64)
}
let batchSize = arguments.count > 3 ? Int(arguments[3]) ?? 500 : 500
try? FileManager.default.removeItem(atPath: arguments[2])
let store = try SQLiteEventStore(path: arguments[2])
let reader = try EventLinesReader(path: arguments[1])
var batch: [Event] = []
var stored = 0
var insertSeconds = 0.0
let clock = ContinuousClock()
let now = Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)
@MainActor func flush() async throws {
    let start = clock.now
    stored += try await store.append(batch, recordedAt: now).count
    let elapsed = clock.now - start
    insertSeconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    batch.removeAll(keepingCapacity: true)
}
let total = clock.now
for result in reader {
    guard case .success(let event) = result else { continue }
    batch.append(event)
    if batch.count == batchSize { try await flush() }
}
try await flush()
let elapsed = clock.now - total
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(
    format: "insert ceiling: %d events in %.2f s (%.0f events/s whole process; %.0f events/s in append alone), batches of %d",
    stored, seconds, Double(stored) / seconds, Double(stored) / insertSeconds, batchSize))
