import Engine
import Metrics

/// The daemon's metrics, made from one factory so a test (or a second
/// daemon in one process) can read its own registry.
public struct DaemonMetrics: Sendable {
    let eventsReceived: Counter
    let eventsStored: Counter
    let duplicates: Counter
    let conflicts: Counter
    let storeFailures: Counter
    let rejectedInvalid: Counter
    let rejectedUnauthorized: Counter
    let rejectedOverload: Counter
    let rejectedTooLarge: Counter
    let workflowRunsFired: Counter
    let workflowRunsFailed: Counter
    let effectsRecorded: Counter
    let timersFired: Counter
    let sharedStateRetries: Counter
    let reloads: Counter
    let reloadFailures: Counter
    let queueDepth: Gauge
    let consumerLag: Gauge
    /// Time from a request's arrival to its events being durable.
    let ingestDuration: Timer
    let appendDuration: Timer
    /// Time the engine takes per batch of events, actions included.
    let processingDuration: Timer

    public init(factory: any MetricsFactory) {
        func counter(_ name: String, _ dimensions: [(String, String)] = []) -> Counter {
            Counter(label: name, dimensions: dimensions, factory: factory)
        }
        eventsReceived = counter("ticketflow_events_received_total")
        eventsStored = counter("ticketflow_events_stored_total")
        duplicates = counter("ticketflow_events_duplicate_total")
        conflicts = counter("ticketflow_events_conflict_total")
        storeFailures = counter("ticketflow_store_failures_total")
        rejectedInvalid = counter("ticketflow_requests_rejected_total", [("reason", "invalid")])
        rejectedUnauthorized = counter("ticketflow_requests_rejected_total", [("reason", "unauthorized")])
        rejectedOverload = counter("ticketflow_requests_rejected_total", [("reason", "overload")])
        rejectedTooLarge = counter("ticketflow_requests_rejected_total", [("reason", "too_large")])
        workflowRunsFired = counter("ticketflow_workflow_runs_total", [("result", "fired")])
        workflowRunsFailed = counter("ticketflow_workflow_runs_total", [("result", "failed")])
        effectsRecorded = counter("ticketflow_effects_recorded_total")
        timersFired = counter("ticketflow_timer_events_total")
        sharedStateRetries = counter("ticketflow_shared_state_retries_total")
        reloads = counter("ticketflow_reloads_total", [("result", "applied")])
        reloadFailures = counter("ticketflow_reloads_total", [("result", "rejected")])
        queueDepth = Gauge(label: "ticketflow_ingest_queue_depth", dimensions: [], factory: factory)
        consumerLag = Gauge(label: "ticketflow_consumer_lag_events", dimensions: [], factory: factory)
        ingestDuration = Timer(label: "ticketflow_ingest_duration_seconds", dimensions: [], preferredDisplayUnit: .seconds, factory: factory)
        appendDuration = Timer(label: "ticketflow_append_duration_seconds", dimensions: [], preferredDisplayUnit: .seconds, factory: factory)
        processingDuration = Timer(label: "ticketflow_processing_duration_seconds", dimensions: [], preferredDisplayUnit: .seconds, factory: factory)
    }

    /// Counts what the engine did between two readings of its statistics.
    func record(_ statistics: LogConsumer.Statistics, since before: LogConsumer.Statistics) {
        func add(_ counter: Counter, _ count: Int) { if count > 0 { counter.increment(by: count) } }
        add(workflowRunsFired, statistics.workflowRuns - before.workflowRuns)
        add(workflowRunsFailed, statistics.failedRuns - before.failedRuns)
        add(effectsRecorded, statistics.effectsRecorded - before.effectsRecorded)
        add(timersFired, statistics.timersFired - before.timersFired)
        add(sharedStateRetries, statistics.sharedStateRetries - before.sharedStateRetries)
    }
}
