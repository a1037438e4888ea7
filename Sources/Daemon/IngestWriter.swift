import Core
import EventLog
import Logging
import ServiceLifecycle

/// The one writer of incoming events: takes what `IngestQueue` holds,
/// appends it in one transaction, answers the waiting requests, and rings
/// the engine. On shutdown it stops taking requests but writes everything
/// already accepted before it returns.
struct IngestWriter: Service {
    let queue: IngestQueue
    let store: any EventStore
    let doorbell: Doorbell
    let appended: AppendedRecords
    let metrics: DaemonMetrics
    let now: @Sendable () -> Timestamp
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            while true {
                let batch = await withTaskCancellationHandler {
                    await queue.nextBatch()
                } onCancel: {
                    Task { await queue.abandon() }
                }
                if batch.isEmpty { return }
                let events = batch.flatMap(\.events)
                let started = ContinuousClock.now
                do {
                    let recordedAt = now()
                    let outcomes = try await store.append(events, recordedAt: recordedAt)
                    metrics.appendDuration.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
                    var offset = 0
                    var stored = 0
                    for submission in batch {
                        let own = Array(outcomes[offset..<(offset + submission.events.count)])
                        offset += submission.events.count
                        stored += own.filter { if case .appended = $0 { true } else { false } }.count
                        submission.continuation.resume(returning: own)
                    }
                    var records: [LogRecord] = []
                    records.reserveCapacity(stored)
                    for (event, outcome) in zip(events, outcomes) {
                        if case .appended(let position) = outcome {
                            records.append(LogRecord(position: position, event: event, recordedAt: recordedAt, causation: nil))
                        }
                    }
                    await appended.add(records)
                    metrics.eventsStored.increment(by: stored)
                    metrics.duplicates.increment(by: outcomes.filter { if case .duplicate = $0 { true } else { false } }.count)
                    await doorbell.ring()
                } catch {
                    logger.error("appending to the log failed", metadata: ["error": "\(error)", "events": "\(events.count)"])
                    metrics.storeFailures.increment()
                    for submission in batch { submission.continuation.resume(throwing: error) }
                }
                metrics.queueDepth.record(await queue.depth)
            }
        } onGracefulShutdown: {
            Task { await queue.close() }
        }
    }
}
