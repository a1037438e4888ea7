// Writes a log for the backtest benchmark: the events of a JSON Lines file
// appended to a fresh SQLite log and run through the deployed workflows by
// the log consumer, as `ticketflow run` does, but in large batches and with
// no file parsing on the way, so a log of a million events takes a minute
// or two rather than the better part of an hour.
//
//     ticketflow-bench-backtest-log EVENTS.jsonl WORKFLOWS LOG.sqlite [BATCH]
import Actions
import Core
import Engine
import EventLog
import Foundation
import SQLiteEventLog
import Workflows

@main
struct BacktestLog {
    static func main() async throws {
        try await write()
    }

    nonisolated static func write() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 4 else {
            FileHandle.standardError.write(Data("usage: ticketflow-bench-backtest-log EVENTS.jsonl WORKFLOWS LOG.sqlite [BATCH]\n".utf8))
            exit(64)
        }
        let batchSize = arguments.count > 4 ? Int(arguments[4]) ?? 10_000 : 10_000
        let loaded = WorkflowLoader(catalog: BuiltinActions.registry.catalog).load(arguments[2])
        guard !loaded.diagnostics.hasErrors else {
            for diagnostic in loaded.diagnostics { FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8)) }
            exit(1)
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: arguments[3] + suffix) }
        let store = try SQLiteEventStore(path: arguments[3])
        var consumer = LogConsumer(
            engine: Engine(workflows: loaded.workflows, actions: BuiltinActions.registry), store: store,
            now: { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) }, batchSize: batchSize)
        var statistics = LogConsumer.Statistics()
        let reader = try EventLinesReader(path: arguments[1])
        let clock = ContinuousClock()
        let began = clock.now
        var pending: [Event] = []
        func flush() async throws {
            guard !pending.isEmpty else { return }
            _ = try await store.append(pending, recordedAt: Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970))
            pending.removeAll(keepingCapacity: true)
            try await consumer.drain(into: &statistics)
        }
        for line in reader {
            guard case .success(let event) = line else { continue }
            pending.append(event)
            if pending.count >= batchSize { try await flush() }
        }
        try await flush()
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(
            format: "backtest log: %d events, %d effects, %d engine events, last position %lld, in %.1f s",
            statistics.eventsProcessed, statistics.effectsRecorded, statistics.followUpEvents + statistics.timersFired,
            try await store.lastPosition(), seconds))
        try store.close()
    }
}
