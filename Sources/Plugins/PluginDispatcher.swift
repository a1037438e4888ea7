import Core
import EventLog

/// Sends the plugin calls that workflow steps recorded, and records what
/// came of them: the outbox side of plugin actions.
///
/// The engine records a plugin step as a `plugin.requested` event in the
/// same transaction as everything else it decided. The dispatcher reads the
/// log after its own checkpoint, keeps each new request in the outbox
/// (`PluginOutbox`, stored with the log), sends the calls that are due, and
/// commits in one transaction: the events saying what happened
/// (`plugin.succeeded`, `plugin.failed` with the time of the next try,
/// `plugin.parked`), an effect record per try for `explain`, the outbox and
/// its checkpoint. A retryable failure is tried again after a growing,
/// jittered delay, up to the manifest's number of tries; then the call is
/// parked until `ticketflow retry` asks for it again.
///
/// Delivery is at least once: a crash after a plugin answered and before
/// the commit sends the same request again after the restart, with the same
/// idempotency key.
///
/// - Important: one dispatcher per log. Its state is written with the
///   consumer checkpoint as the only guard.
public actor PluginDispatcher {
    /// What one round did.
    public struct Report: Sendable, Hashable {
        public var requestsFound = 0
        public var succeeded = 0
        /// Failed tries that will be tried again.
        public var failed = 0
        public var parked = 0
        public var retriesRequested = 0
        /// Calls still waiting (for their first or next try) after the round.
        public var waiting = 0
        public init() {}
    }

    public static let consumer = "plugins"
    /// The consumer name `ticketflow retry` commits under (its checkpoint never moves).
    public static let retryConsumer = "plugins.retry"

    private let store: any EventStore
    private let hosts: [String: PluginHost]
    private let now: @Sendable () -> Timestamp
    private let random: @Sendable () -> Double
    private var outbox = PluginOutbox()
    private var checkpoint: Int64 = 0
    private var loaded = false
    /// Calls sent per round at most, so a large backlog is committed in parts.
    public var roundLimit = 1000

    /// - Parameters:
    ///   - now: the clock results and due times are stamped with; injected, never read directly.
    ///   - random: jitter in 0..<1.
    public init(
        store: any EventStore, plugins: [PluginManifest], now: @escaping @Sendable () -> Timestamp,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.store = store
        self.now = now
        self.random = random
        var hosts: [String: PluginHost] = [:]
        for manifest in plugins { hosts[manifest.name] = PluginHost(manifest: manifest) }
        self.hosts = hosts
    }

    /// The host of one plugin (for tests and `plugins check`).
    public func host(_ name: String) -> PluginHost? { hosts[name] }

    /// Reads the outbox and checkpoint stored with the log (once).
    public func start() async throws {
        guard !loaded else { return }
        checkpoint = try await store.checkpoint(consumer: Self.consumer)
        outbox = PluginOutbox(state: try await store.tickets([PluginOutbox.stateKey])[PluginOutbox.stateKey])
        loaded = true
    }

    /// When the earliest waiting call is due; `nil` when none waits.
    public func nextDue() async throws -> Timestamp? {
        try await start()
        return outbox.calls.values.filter { $0.status == .waiting }.map(\.due).min()
    }

    /// Picks up new requests from the log, sends every call due now, and
    /// commits what came of them.
    @discardableResult
    public func dispatchDue() async throws -> Report {
        try await start()
        var report = Report()
        var batch = ConsumerBatch(consumer: Self.consumer, fromPosition: checkpoint, toPosition: checkpoint)
        var changed = false
        let time = now()
        var requests: [String: (PluginRequest, Causation)] = [:]
        // New requests and retry requests in the log.
        while true {
            let records = try await store.records(after: batch.toPosition, limit: 500)
            guard let last = records.last else { break }
            for record in records {
                switch record.event.type {
                case PluginEvents.requested:
                    guard let cause = record.causation,
                        let request = PluginRequest(requestedEvent: record.event.payload, ticketID: record.event.ticketID),
                        outbox.calls[request.idempotencyKey] == nil
                    else { continue }
                    let plugin = (record.event.payload["effect"]?["action"]?.stringValue ?? "").split(separator: ".").first.map(String.init) ?? ""
                    outbox.calls[request.idempotencyKey] = PluginCall(
                        key: request.idempotencyKey, plugin: plugin, ticketID: record.event.ticketID, status: .waiting,
                        attempts: 0, budgetFrom: 0, due: time, lastError: nil)
                    requests[request.idempotencyKey] = (request, cause)
                    report.requestsFound += 1
                    changed = true
                case PluginEvents.retryRequested:
                    guard let key = record.event.payload["effect"]?["idempotency_key"]?.stringValue,
                        var call = outbox.calls[key], call.status == .parked
                    else { continue }
                    call.status = .waiting
                    call.budgetFrom = call.attempts
                    call.due = time
                    outbox.calls[key] = call
                    report.retriesRequested += 1
                    changed = true
                default:
                    continue
                }
            }
            batch.toPosition = last.position
        }
        let due = outbox.calls.values.filter { $0.status == .waiting && $0.due <= time }
            .sorted { ($0.due, $0.key) < ($1.due, $1.key) }.prefix(roundLimit)
        var work: [(PluginCall, PluginRequest, Causation)] = []
        for call in due {
            if let known = requests[call.key] {
                work.append((call, known.0, known.1))
                continue
            }
            guard let record = try await store.record(eventID: call.key), let cause = record.causation,
                let request = PluginRequest(requestedEvent: record.event.payload, ticketID: record.event.ticketID)
            else {
                outbox.calls[call.key] = nil
                changed = true
                continue
            }
            work.append((call, request, cause))
        }
        let results = await send(work)
        let settledAt = now()
        for ((call, request, cause), result) in zip(work, results) {
            record(result, of: call, request: request, cause: cause, at: settledAt, into: &batch, report: &report)
            changed = true
        }
        report.waiting = outbox.calls.values.filter { $0.status == .waiting }.count
        guard changed || batch.toPosition != batch.fromPosition else { return report }
        batch.tickets[PluginOutbox.stateKey] = outbox.state
        do {
            _ = try await store.commit(batch)
        } catch {
            // What is cached may be ahead of the log: read it again next time.
            loaded = false
            throw error
        }
        checkpoint = batch.toPosition
        return report
    }

    /// Sends every call, each plugin's at most `max_in_flight` at a time.
    private func send(_ work: [(PluginCall, PluginRequest, Causation)]) async -> [Result<Value, PluginFailure>] {
        var byPlugin: [String: [Int]] = [:]
        for (index, item) in work.enumerated() { byPlugin[item.0.plugin, default: []].append(index) }
        var results = [Result<Value, PluginFailure>?](repeating: nil, count: work.count)
        await withTaskGroup(of: [(Int, Result<Value, PluginFailure>)].self) { group in
            for (plugin, indices) in byPlugin {
                guard let host = hosts[plugin] else {
                    for index in indices {
                        results[index] = .failure(PluginFailure(
                            plugin: plugin, reason: .startFailed, message: "no plugin named `\(plugin)` is installed", retryable: false))
                    }
                    continue
                }
                let width = host.manifest.maxInFlight
                let items = indices.map { ($0, work[$0].1, work[$0].0.attempts + 1) }
                group.addTask {
                    var done: [(Int, Result<Value, PluginFailure>)] = []
                    await withTaskGroup(of: (Int, Result<Value, PluginFailure>).self) { inner in
                        var next = 0
                        func launch() {
                            let (index, request, attempt) = items[next]
                            next += 1
                            inner.addTask { (index, await host.call(request, attempt: attempt)) }
                        }
                        while next < items.count, next < width { launch() }
                        for await finished in inner {
                            done.append(finished)
                            if next < items.count { launch() }
                        }
                    }
                    return done
                }
            }
            for await part in group {
                for (index, result) in part { results[index] = result }
            }
        }
        return results.map { $0! }
    }

    /// Turns one try's result into events, an effect record and the call's new state.
    private func record(
        _ result: Result<Value, PluginFailure>, of call: PluginCall, request: PluginRequest, cause: Causation, at time: Timestamp,
        into batch: inout ConsumerBatch, report: inout Report
    ) {
        var call = call
        call.attempts += 1
        let attempt = call.attempts
        let action = "\(call.plugin).\(request.action)"
        var effect = Value.Object([
            ("workflow", .string(request.workflow)), ("step", .string(request.step)), ("action", .string(action)),
            ("idempotency_key", .string(call.key)), ("attempt", .int(attempt)),
        ])
        let type: String
        let outcome: String
        var detail: String
        switch result {
        case .success(let value):
            type = PluginEvents.succeeded
            outcome = "succeeded"
            effect["result"] = value
            detail = JSONWriter.string(value)
            if detail.utf8.count > 300 { detail = String(detail.prefix(300)) + "…" }
            outbox.calls[call.key] = nil
            report.succeeded += 1
        case .failure(let failure):
            effect["error"] = .string(failure.message)
            effect["reason"] = .string(failure.reason.description)
            effect["retryable"] = .bool(failure.retryable)
            call.lastError = failure.message
            detail = failure.message
            let policy = hosts[call.plugin]?.manifest.retry ?? RetryPolicy()
            if failure.retryable, attempt - call.budgetFrom < policy.attempts {
                let delay = policy.delay(afterAttempt: attempt - call.budgetFrom, random: random())
                call.due = time.adding(TimeSpan(milliseconds: delay.wholeMilliseconds))
                call.status = .waiting
                effect["retry_at"] = .string(call.due.description)
                type = PluginEvents.failed
                outcome = "failed"
                detail += "; try \(attempt + 1) at \(call.due)"
                report.failed += 1
            } else {
                call.status = .parked
                type = PluginEvents.parked
                outcome = "parked"
                detail += failure.retryable
                    ? "; parked after \(attempt - call.budgetFrom) tries (`ticketflow retry \(call.key)` to try again)"
                    : "; not retryable, parked (`ticketflow retry \(call.key)` to try again)"
                report.parked += 1
            }
            outbox.calls[call.key] = call
        }
        let id = "\(call.key)/attempt-\(attempt)"
        let payload = Value.object(Value.Object([
            ("id", .string(id)), ("type", .string(type)), ("occurred_at", .string(time.description)), ("source", "ticketflow"),
            ("caused_by", .string(request.eventID)), ("effect", .object(effect)),
        ]))
        batch.followUps.append((Event(id: id, type: type, occurredAt: time, ticketID: call.ticketID, payload: payload), cause))
        batch.effects.append(EffectRecord(
            eventID: request.eventID, workflow: request.workflow, step: "\(request.step)#attempt-\(attempt)",
            workflowVersion: cause.workflowVersion, ticketID: call.ticketID, action: action,
            parameters: .object(Value.Object([("idempotency_key", .string(call.key)), ("attempt", .int(attempt))])),
            outcome: outcome, detail: detail, followUpEventID: id, recordedAt: time))
    }

    /// Runs as a service: dispatches what is due, sleeps until the next call
    /// is due (at most `interval`, to pick up new requests), until the task
    /// is cancelled; then stops the plugins gracefully.
    public func run(interval: Duration = .seconds(1)) async throws {
        do {
            while !Task.isCancelled {
                try await dispatchDue()
                var wait = interval
                if let next = try await nextDue() {
                    let milliseconds = next.millisecondsSinceEpoch - now().millisecondsSinceEpoch
                    wait = min(interval, .milliseconds(max(0, milliseconds)))
                }
                if wait > .zero {
                    do { try await Task.sleep(for: wait) } catch { break }
                }
            }
        } catch {
            await shutdown()
            throw error
        }
        await shutdown()
    }

    /// Sends calls until none is waiting any more (each succeeded or was
    /// parked), sleeping on the real clock until each next try; for a batch
    /// `run`. Stops early, leaving the rest waiting in the log, once the next
    /// try is further away than `maxWait`.
    public func settle(maxWait: Duration, observe: @Sendable (Report) -> Void = { _ in }) async throws -> Report {
        var total = Report()
        while true {
            let report = try await dispatchDue()
            observe(report)
            total.requestsFound += report.requestsFound
            total.succeeded += report.succeeded
            total.failed += report.failed
            total.parked += report.parked
            total.retriesRequested += report.retriesRequested
            total.waiting = report.waiting
            guard let next = try await nextDue() else { return total }
            let milliseconds = next.millisecondsSinceEpoch - now().millisecondsSinceEpoch
            if milliseconds <= 0 { continue }
            guard Duration.milliseconds(milliseconds) <= maxWait else { return total }
            try await Task.sleep(for: .milliseconds(milliseconds))
        }
    }

    /// Stops every plugin process gracefully.
    public func shutdown(grace: Duration = .seconds(2)) async {
        await withTaskGroup(of: Void.self) { group in
            for host in hosts.values { group.addTask { await host.shutdown(grace: grace) } }
        }
    }

    /// Asks for a parked call to be tried again: appends a
    /// `plugin.retry_requested` event that the dispatcher picks up.
    /// Returns a message for people, or throws one that says why not.
    public static func requestRetry(of key: String, store: any EventStore, now: Timestamp) async throws -> String {
        let state = try await store.tickets([PluginOutbox.stateKey])[PluginOutbox.stateKey]
        let outbox = PluginOutbox(state: state)
        guard let call = outbox.calls[key] else {
            if let record = try await store.record(eventID: key), record.event.type == PluginEvents.requested {
                throw RetryRefused(message: "plugin call \(key) is not parked: it succeeded, or the dispatcher has not picked it up yet")
            }
            throw RetryRefused(message: "the log has no plugin call with effect id \"\(key)\"")
        }
        guard call.status == .parked else {
            throw RetryRefused(message: "plugin call \(key) is not parked: it is \(PluginOutbox.describe(key, in: state) ?? "waiting")")
        }
        guard let record = try await store.record(eventID: key), let cause = record.causation,
            let request = PluginRequest(requestedEvent: record.event.payload, ticketID: record.event.ticketID)
        else { throw RetryRefused(message: "the request of plugin call \(key) is not in the log") }
        let id = "\(key)/retry-\(call.attempts)"
        let payload = Value.object(Value.Object([
            ("id", .string(id)), ("type", .string(PluginEvents.retryRequested)), ("occurred_at", .string(now.description)),
            ("source", "ticketflow"), ("caused_by", .string(request.eventID)),
            ("effect", .object(Value.Object([
                ("workflow", .string(request.workflow)), ("step", .string(request.step)),
                ("action", .string("\(call.plugin).\(request.action)")), ("idempotency_key", .string(key)),
            ]))),
        ]))
        let checkpoint = try await store.checkpoint(consumer: retryConsumer)
        let batch = ConsumerBatch(
            consumer: retryConsumer, fromPosition: checkpoint, toPosition: checkpoint,
            followUps: [(Event(id: id, type: PluginEvents.retryRequested, occurredAt: now, ticketID: call.ticketID, payload: payload), cause)],
            effects: [EffectRecord(
                eventID: request.eventID, workflow: request.workflow, step: "\(request.step)#retry-\(call.attempts)",
                workflowVersion: cause.workflowVersion, ticketID: call.ticketID, action: "\(call.plugin).\(request.action)",
                parameters: .object(Value.Object([("idempotency_key", .string(key))])), outcome: "retry_requested",
                detail: nil, followUpEventID: id, recordedAt: now)])
        let outcome = try await store.commit(batch)
        if outcome.followUpsAppended == 0 {
            return "a retry of \(key) was already requested; the dispatcher will send it"
        }
        return "retry of \(key) requested; the next `ticketflow run` (or the daemon) sends it"
    }

    /// Why `ticketflow retry` could not re-queue a call.
    public struct RetryRefused: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
