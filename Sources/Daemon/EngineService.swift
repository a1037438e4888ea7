import Core
import Engine
import EventLog
import Logging
import ServiceLifecycle

/// The engine inside the daemon: feeds the log to the workflows (woken by
/// the ingest writer, and by a poll for events other processes appended),
/// fires idle timers and schedule ticks on the real clock, and swaps in a
/// new workflow set when asked to reload — but only a set that validated.
/// The new set is built on another thread while the old one keeps running
/// (see `WorkflowReloader`). The swap happens between batches, so no event is half processed by the
/// old set and half by the new one; the new consumer reads its state from
/// the log, which is where everything durable lives.
struct EngineService: Service {
    /// Builds an engine from the files as they are now, or says what is wrong with them.
    typealias Loader = @Sendable () -> Result<Engine, DiagnosticsError>

    let store: any EventStore
    let initialEngine: Engine
    let load: Loader
    /// A cheap summary of the workflow files (names, sizes, times); a change triggers a reload.
    let fingerprint: @Sendable () -> String
    /// The summary taken before `initialEngine` was loaded, so an edit made
    /// while the daemon started is not missed.
    let initialFingerprint: String
    let doorbell: Doorbell
    let appended: AppendedRecords
    let reloadRequests: ReloadRequests
    let status: DaemonStatus
    let metrics: DaemonMetrics
    let watchInterval: TimeSpan
    let batchSize: Int
    let now: @Sendable () -> Timestamp
    let logger: Logger
    /// The longest the engine sleeps: also how soon it sees events another process appended.
    var pollInterval: Duration = .seconds(1)

    func run() async throws {
        var consumer = LogConsumer(engine: initialEngine, store: store, now: now, batchSize: batchSize)
        var statistics = LogConsumer.Statistics()
        var reloader = WorkflowReloader(
            load: load, fingerprint: fingerprint, initialFingerprint: initialFingerprint,
            watchInterval: watchInterval, metrics: metrics, logger: logger,
            loaded: { [doorbell] in Task { await doorbell.ring() } })
        var failures = 0
        let stop = StopRequest()
        try await withGracefulShutdownHandler {
            while true {
                let stopping = await stop.isSet
                let requested = await reloadRequests.take()
                if !stopping, let engine = reloader.newEngine(requested: requested) {
                    consumer = LogConsumer(engine: engine, store: store, now: now, batchSize: batchSize)
                }
                do {
                    let before = statistics
                    let started = ContinuousClock.now
                    try await consumer.drain(into: &statistics, known: await appended.take())
                    try await consumer.fireTimers(until: now(), into: &statistics)
                    if statistics.eventsProcessed > before.eventsProcessed || statistics.timersFired > before.timersFired {
                        metrics.processingDuration.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
                    }
                    metrics.record(statistics, since: before)
                    for warning in statistics.warnings { logger.warning("\(warning)") }
                    statistics.warnings.removeAll()
                    var seen = consumer.lastSeenPosition
                    if seen == nil { seen = try await store.checkpoint(consumer: consumer.name) }
                    let lag = try await store.lastPosition() - (seen ?? 0)
                    metrics.consumerLag.record(lag)
                    await status.markCaughtUp()
                    failures = 0
                } catch {
                    failures += 1
                    logger.error("the engine could not process the log; retrying", metadata: ["error": "\(error)"])
                    await status.markEngineProblem("the engine cannot process the log: \(error)")
                    if !stopping { try? await Task.sleep(for: .milliseconds(min(30_000, 200 << min(failures, 8)))) }
                }
                if stopping || Task.isCancelled { return }
                var wait = pollInterval
                if let due = try? await consumer.nextWakeUp() {
                    let untilDue = Duration.milliseconds(max(0, due.millisecondsSinceEpoch - now().millisecondsSinceEpoch))
                    wait = min(wait, untilDue)
                }
                await doorbell.wait(atMost: wait)
            }
        } onGracefulShutdown: {
            Task {
                await stop.set()
                await status.markStopping()
                await doorbell.ring()
            }
        }
        // Cancelled (another service failed): the loop has returned; nothing to drain.
    }
}
