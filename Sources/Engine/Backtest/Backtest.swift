import Core
import EventLog
import Workflows

/// Replays the help-desk events of a window of the log through candidate
/// workflows and compares what they would have done with what the deployed
/// workflows did, as recorded in the log's effects. Nothing is written to
/// the log.
///
/// The replay is the engine's own: the same `Engine` as `run`, on a clock
/// that follows the events, so idle timers and schedule ticks fire in the
/// window as they would have. Only help-desk events are replayed; the
/// candidate's cascade makes its own follow-ups and timer events. The window
/// starts from the ticket states as they stood when it opened, folded from
/// the records before it (see `HistoryFold`), not from today's states.
///
/// Memory stays bounded on long logs: records are read a page at a time,
/// ticket states beyond `Options.cachedTicketLimit` are parked in a scratch
/// store, firings are compared as both sides stream by, and each
/// difference keeps a few example tickets, not all of them.
public struct Backtest {
    public struct Options: Sendable {
        /// The window's first instant: help-desk events from then on are replayed.
        public var since: Timestamp
        /// The end of the window (exclusive); `nil` replays to the end of the log.
        public var until: Timestamp?
        /// Records read from the log per query.
        public var pageSize: Int
        /// Tickets kept in memory before states are parked in the scratch store.
        public var cachedTicketLimit: Int
        /// How many log positions after a firing its counterpart may appear:
        /// the engine appends its events after the batch that caused them,
        /// so this must exceed the batch size the log was written with.
        public var followUpReach: Int64
        /// Example tickets kept per difference.
        public var examples: Int

        public init(
            since: Timestamp, until: Timestamp? = nil, pageSize: Int = 1_000, cachedTicketLimit: Int = 50_000,
            followUpReach: Int64 = 100_000, examples: Int = 5
        ) {
            self.since = since
            self.until = until
            self.pageSize = pageSize
            self.cachedTicketLimit = cachedTicketLimit
            self.followUpReach = followUpReach
            self.examples = examples
        }
    }

    /// How far the replay has read, for a progress bar.
    public struct Progress: Sendable {
        public var position: Int64
        public var lastPosition: Int64
        public var eventsReplayed: Int
    }

    public let options: Options
    private var engine: Engine
    private let log: any EventStore
    private var tickets: ReplayTickets
    private var fold: HistoryFold
    private var comparison: FiringComparison
    private var comparisons: [String: WorkflowComparison] = [:]
    private var report: BacktestReport

    /// - Parameters:
    ///   - engine: the engine over the candidate workflows.
    ///   - log: the event log to replay; only read.
    ///   - scratch: an empty store for ticket states that do not fit in memory.
    public init(engine: Engine, log: any EventStore, scratch: any EventStore, options: Options) {
        self.engine = engine
        self.log = log
        self.options = options
        self.tickets = ReplayTickets(scratch: scratch, limit: options.cachedTicketLimit)
        self.fold = HistoryFold(
            followUpReach: options.followUpReach,
            idleHorizon: engine.longestIdleSpan.map { options.since.adding(TimeSpan(milliseconds: -$0.milliseconds)) })
        self.comparison = FiringComparison(reach: options.followUpReach)
        self.report = BacktestReport(since: options.since)
        for workflow in engine.workflows.workflows {
            comparisons[workflow.name] = WorkflowComparison(workflow: workflow.name, candidateVersion: workflow.version)
        }
    }

    /// The time of the last help-desk event in the log, which a window
    /// given as a duration (`7d`) counts back from; `nil` for a log without one.
    public static func lastEventTime(in log: any EventStore) async throws -> Timestamp? {
        var count = 1_000
        while true {
            let records = try await log.tail(count)
            if let last = records.last(where: \.isIncoming) { return last.event.occurredAt }
            if records.count < count { return nil }
            count *= 10
        }
    }

    /// Runs the backtest once, reporting progress after each page of the log.
    public mutating func run(progress: (Progress) -> Void = { _ in }) async throws -> BacktestReport {
        let lastPosition = try await log.lastPosition()
        guard let windowStart = try await foldHistory(lastPosition: lastPosition, progress: progress) else {
            report.recordsFolded = fold.recordsFolded
            report.workflows = orderedComparisons()
            return report
        }
        let since = options.since
        let reach = options.followUpReach
        var position = windowStart.position - 1
        try await openWindow(at: windowStart.event.occurredAt)
        /// The candidate's clock: the time of the last event replayed.
        var clock: Timestamp?
        /// Set once an event at or after `until` is read: the deployed clock passed the end.
        var reachedUntil = false
        var stopAfter: Int64?

        while stopAfter.map({ position < $0 }) ?? true {
            let records = try await log.records(after: position, limit: options.pageSize)
            guard let last = records.last else { break }
            let incoming = records.filter(\.isIncoming).map(\.event)
            var needed = Set(incoming.map(\.ticketID))
            if tickets.spills > 0, let latest = incoming.map(\.occurredAt).max() {
                needed.formUnion(engine.ticketsWithTimersDue(by: latest))
                if engine.scheduleTickDue(by: latest, tickets: tickets.projection) { try await tickets.loadAll() }
            }
            try await tickets.load(needed)
            // The page's replayed events, prepared at once (texts encoded on every core).
            let replayed = incoming.filter { event in
                event.occurredAt >= since && options.until.map { event.occurredAt < $0 } ?? true
            }
            engine.prepare(replayed, tickets: tickets.projection)

            var deployedIDs: [String] = []
            var positions: [String: Int64] = [:]
            for record in records {
                let event = record.event
                // Dated before the window: the engine's events were folded
                // into the starting state already; a help-desk event stored
                // late is merged into its ticket's state, in log order, and
                // not replayed.
                if event.occurredAt < since {
                    guard record.isIncoming else { continue }
                    report.lateEvents += 1
                    _ = tickets.projection.merge(event)
                    continue
                }
                if record.isIncoming {
                    if let until = options.until, event.occurredAt >= until {
                        reachedUntil = true
                        if stopAfter == nil { stopAfter = record.position + reach }
                        continue
                    }
                    for fired in engine.fireTimers(until: event.occurredAt, tickets: &tickets.projection) {
                        report.timerEvents += 1
                        collect(fired, position: record.position)
                    }
                    collect(engine.process(event, tickets: &tickets.projection), position: record.position)
                    report.eventsReplayed += 1
                    report.firstPosition = report.firstPosition ?? record.position
                    report.lastPosition = record.position
                    clock = max(clock ?? event.occurredAt, event.occurredAt)
                    deployedIDs.append(event.id)
                    positions[event.id] = record.position
                } else {
                    // The deployed engine's event; its effects count if it
                    // falls in the window and the candidate's clock got there.
                    let horizon = reachedUntil ? options.until : clock
                    guard let horizon, event.occurredAt < horizon || (!reachedUntil && event.occurredAt == horizon) else { continue }
                    deployedIDs.append(event.id)
                    positions[event.id] = record.position
                }
            }
            try await collectDeployed(deployedIDs, positions: positions)
            settle(before: last.position - reach)
            position = last.position
            try await tickets.parkIfFull()
            progress(Progress(position: position, lastPosition: lastPosition, eventsReplayed: report.eventsReplayed))
        }

        if reachedUntil, let until = options.until {
            // The deployed clock passed the end of the window: timers due before it fired there too.
            let end = until.adding(TimeSpan(milliseconds: -1))
            try await tickets.load(engine.ticketsWithTimersDue(by: end))
            if engine.scheduleTickDue(by: end, tickets: tickets.projection) { try await tickets.loadAll() }
            for fired in engine.fireTimers(until: end, tickets: &tickets.projection) {
                report.timerEvents += 1
                collect(fired, position: position)
            }
            report.end = until
        } else {
            report.end = clock
        }
        settle(before: nil)
        report.recordsFolded = fold.recordsFolded
        report.workflows = orderedComparisons()
        return report
    }

    /// Folds every record dated before the window into the starting state,
    /// and returns the first help-desk event of the window (`nil` if none).
    ///
    /// The window opens at that event, but the deployed engine appended its
    /// events for the batch before it after it: its events up to
    /// `followUpReach` further on that are dated before the window are
    /// folded too, before anything is replayed. (Help-desk events dated
    /// before the window but stored in it are merged during the replay, in
    /// log order.)
    private mutating func foldHistory(lastPosition: Int64, progress: (Progress) -> Void) async throws -> LogRecord? {
        var position: Int64 = 0
        var windowStart: LogRecord?
        while windowStart.map({ position < $0.position + options.followUpReach }) ?? true {
            let records = try await log.records(after: position, limit: options.pageSize)
            guard let last = records.last else { break }
            try await tickets.load(Set(records.map(\.event.ticketID)))
            for record in records {
                if let windowStart {
                    guard record.position <= windowStart.position + options.followUpReach else { break }
                    if !record.isIncoming, record.event.occurredAt < options.since {
                        try await fold.fold(record, into: &tickets.projection, log: log)
                    }
                } else if record.isIncoming, record.event.occurredAt >= options.since,
                    options.until.map({ record.event.occurredAt < $0 }) ?? true
                {
                    windowStart = record
                } else {
                    try await fold.fold(record, into: &tickets.projection, log: log)
                }
            }
            position = last.position
            try await tickets.parkIfFull()
            if windowStart == nil {
                progress(Progress(position: position, lastPosition: lastPosition, eventsReplayed: 0))
            }
        }
        return windowStart
    }

    /// The window opens: schedules start counting from `since`, and the
    /// idle timers left running by the last events before it are armed.
    private mutating func openWindow(at firstEventTime: Timestamp) async throws {
        engine.primeSchedules(at: options.since, tickets: &tickets.projection)
        let dueAfter = options.since.adding(TimeSpan(milliseconds: -1))
        for (ticket, last) in fold.lastIncoming {
            engine.armIdleTimers(ticket: ticket, lastEventID: last.id, at: last.time, dueAfter: dueAfter, tickets: &tickets.projection)
        }
        try await tickets.load(engine.ticketsWithTimersDue(by: firstEventTime))
    }

    /// Counts the candidate's firings in an outcome and its cascade.
    private mutating func collect(_ outcome: EventOutcome, position: Int64) {
        for evaluation in outcome.evaluations where evaluation.result == .fired && !evaluation.effects.isEmpty {
            update(evaluation.workflow, version: evaluation.version) { entry in
                entry.candidate.fired += 1
                for effect in evaluation.effects {
                    entry.candidate.count(action: effect.action, ticket: effect.ticketID, applied: effect.outcome == .applied)
                }
            }
            let signature = evaluation.effects.map {
                Self.signature(step: $0.key.step, action: $0.action, parameters: .object($0.parameters))
            }.joined(separator: "\n")
            let key = FiringComparison.Key(eventID: outcome.event.id, workflow: evaluation.workflow)
            let firing = FiringComparison.Firing(ticket: outcome.event.ticketID, signature: signature, position: position)
            if let verdict = comparison.addCandidate(key, firing) { count(verdict, key: key, ticket: firing.ticket) }
        }
        for child in outcome.cascade { collect(child, position: position) }
    }

    /// Counts the deployed firings on these trigger events, from the log's effects.
    private mutating func collectDeployed(_ ids: [String], positions: [String: Int64]) async throws {
        guard !ids.isEmpty else { return }
        let effects = try await log.effects(eventIDs: ids)
        var groups: [FiringComparison.Key: [EffectRecord]] = [:]
        var order: [FiringComparison.Key] = []
        for effect in effects {
            let key = FiringComparison.Key(eventID: effect.eventID, workflow: effect.workflow)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(effect)
        }
        for key in order {
            let group = groups[key]!
            update(key.workflow, version: nil) { entry in
                entry.deployed.fired += 1
                entry.deployedVersions[group[0].workflowVersion, default: 0] += 1
                for effect in group {
                    entry.deployed.count(action: effect.action, ticket: effect.ticketID, applied: effect.outcome == "applied")
                }
            }
            let signature = group.map { Self.signature(step: $0.step, action: $0.action, parameters: $0.parameters) }
                .joined(separator: "\n")
            let firing = FiringComparison.Firing(ticket: group[0].ticketID, signature: signature, position: positions[key.eventID] ?? 0)
            if let verdict = comparison.addDeployed(key, firing) { count(verdict, key: key, ticket: firing.ticket) }
        }
    }

    /// What a step would do, comparable across the two sides: its action
    /// and rendered parameters (not its outcome, which depends on state).
    private static func signature(step: String, action: String, parameters: Value) -> String {
        "\(step) \(action) \(JSONWriter.string(parameters))"
    }

    private mutating func settle(before position: Int64?) {
        for (key, firing, verdict) in comparison.settle(before: position) { count(verdict, key: key, ticket: firing.ticket) }
    }

    private mutating func count(_ verdict: FiringComparison.Verdict, key: FiringComparison.Key, ticket: String) {
        let examples = options.examples
        update(key.workflow, version: nil) { entry in
            switch verdict {
            case .same: entry.same += 1
            case .changed: entry.changed.add(ticket: ticket, eventID: key.eventID, keeping: examples)
            case .onlyCandidate: entry.onlyCandidate.add(ticket: ticket, eventID: key.eventID, keeping: examples)
            case .onlyDeployed: entry.onlyDeployed.add(ticket: ticket, eventID: key.eventID, keeping: examples)
            }
        }
    }

    /// Changes a workflow's entry where it is stored: a copy taken out and
    /// put back would copy its ticket sets on every firing.
    private mutating func update(_ workflow: String, version: String?, _ change: (inout WorkflowComparison) -> Void) {
        change(&comparisons[workflow, default: WorkflowComparison(workflow: workflow, candidateVersion: version)])
    }

    /// The candidate's workflows in run order, then the workflows only the log knows, by name.
    private func orderedComparisons() -> [WorkflowComparison] {
        let candidates = engine.workflows.workflows.compactMap { comparisons[$0.name] }
        let known = Set(engine.workflows.workflows.map(\.name))
        return candidates + comparisons.values.filter { !known.contains($0.workflow) }.sorted { $0.workflow < $1.workflow }
    }
}
