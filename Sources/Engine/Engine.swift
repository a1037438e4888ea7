import Core
import Workflows

/// Runs a workflow set over events: finds the workflows an event can fire,
/// evaluates their conditions, runs their steps in order and turns each
/// action's effect into a follow-up event that workflows may react to.
///
/// The engine never reads a clock or touches storage: time comes with each
/// event, ticket state lives in the `TicketProjection` the caller passes, and
/// effects are returned as data. Dry-run, test and run therefore share every
/// decision; only what is done with the outcome differs.
public struct Engine: Sendable {
    public struct Options: Sendable {
        /// How many generations of follow-up events are processed for one incoming event.
        public var maxCascadeDepth: Int
        /// Whether to say in words why an evaluated workflow did not fire:
        /// the failing part of its condition and the values it saw.
        public var explainNonMatches: Bool
        /// Whether to evaluate every workflow listening to the event type
        /// instead of only the candidates the trigger index picks, so that
        /// each one gets an explanation (slower; for `dry-run --all` and `explain`).
        public var evaluateAllListeners: Bool
        /// The calendar `business_hours_since` counts in.
        public var calendar: BusinessCalendar?

        public init(
            maxCascadeDepth: Int = 4, explainNonMatches: Bool = false, evaluateAllListeners: Bool = false,
            calendar: BusinessCalendar? = nil
        ) {
            self.maxCascadeDepth = maxCascadeDepth
            self.explainNonMatches = explainNonMatches
            self.evaluateAllListeners = evaluateAllListeners
            self.calendar = calendar
        }
    }

    public let workflows: WorkflowSet
    public let actions: ActionRegistry
    public var options: Options
    private var index: TriggerIndex
    /// Workflows with an `idle` trigger, and how long a ticket must be idle.
    private let idleWorkflows: [(index: Int, span: TimeSpan)]
    private var timers = IdleTimers()
    /// Workflows with a `schedule` trigger.
    private let scheduledWorkflows: [(index: Int, schedule: Schedule)]
    /// The actions of the workflows' steps that can prepare a batch.
    private let preparingActions: [String: any PreparingAction]

    public init(workflows: WorkflowSet, actions: ActionRegistry, options: Options = Options()) {
        self.workflows = workflows
        self.actions = actions
        self.options = options
        self.index = TriggerIndex(workflows.workflows)
        self.idleWorkflows = workflows.workflows.enumerated().compactMap { index, workflow in
            workflow.triggers.lazy.compactMap(\.idleSpan).first.map { (index, $0) }
        }
        self.scheduledWorkflows = workflows.workflows.enumerated().compactMap { index, workflow in
            workflow.triggers.lazy.compactMap(\.schedule).first.map { (index, $0) }
        }
        var preparing: [String: any PreparingAction] = [:]
        for step in workflows.workflows.flatMap(\.steps) {
            if let action = actions[step.action] as? any PreparingAction { preparing[step.action] = action }
        }
        self.preparingActions = preparing
    }

    /// Lets the workflows' actions do ahead, for a batch of events at once,
    /// work they would otherwise do one event at a time (see
    /// `PreparingAction`). Only the steps an event looks likely to run are
    /// prepared: its workflows' triggers and conditions, and the steps'
    /// conditions, checked against the ticket with the event merged in (the
    /// steps before may change it; a wrong guess only costs time).
    public mutating func prepare(_ events: [Event], tickets: TicketProjection) {
        guard !preparingActions.isEmpty, !events.isEmpty else { return }
        var merged: [String: Value] = [:]
        var work: [String: [(parameters: Value.Object, ticket: Value)]] = [:]
        for event in events {
            let previous = merged[event.ticketID] ?? tickets[event.ticketID]
            let ticket = TicketProjection.merged(event, into: previous)
            merged[event.ticketID] = ticket
            var context = EvaluationContext(event: event.payload, ticket: ticket, previousTicket: previous, now: event.occurredAt)
            context.calendar = options.calendar
            let scope = TemplateScope(event: event.payload, ticket: ticket, previousTicket: previous)
            for workflowIndex in index.candidates(for: event, root: { context.value(at: $0) }) {
                let workflow = workflows.workflows[workflowIndex]
                guard workflow.enabled, workflow.condition?.evaluate(context) ?? true else { continue }
                for step in workflow.steps where preparingActions[step.action] != nil {
                    guard step.condition?.evaluate(context) ?? true else { continue }
                    work[step.action, default: []].append((Self.parameters(of: step, in: scope), ticket))
                }
            }
        }
        for (name, steps) in work.sorted(by: { $0.key < $1.key }) { preparingActions[name]?.prepare(steps) }
    }

    /// The step's parameters, their templates rendered.
    private static func parameters(of step: Step, in scope: TemplateScope) -> Value.Object {
        var parameters = Value.Object()
        for binding in step.parameters { parameters[binding.name] = binding.value.render(scope) }
        return parameters
    }

    /// Processes one incoming event and the cascade of events its effects cause.
    ///
    /// - Important: call `fireTimers(until:)` with the event's time first, so
    ///   timers due before it fire before it, as they would have in real time.
    public mutating func process(_ event: Event, tickets: inout TicketProjection) -> EventOutcome {
        if event.type != "ticket.idle", event.type != "ticket.scheduled", !idleWorkflows.isEmpty {
            armIdleTimers(after: event, tickets: &tickets)
        }
        return process(event, depth: 0, causedBy: [], only: nil, tickets: &tickets)
    }

    /// How many idle timers are waiting (including superseded ones not yet skipped).
    public var pendingTimerCount: Int { timers.count }

    /// When the earliest idle timer is due, for a loop that sleeps until then.
    public var nextTimerDue: Timestamp? { timers.earliest?.due }

    /// When the next idle timer or schedule tick is due: a loop on the real
    /// clock sleeps until then and calls `fireTimers(until:)`.
    public func nextWakeUp(tickets: TicketProjection) -> Timestamp? {
        var times = [timers.earliest?.due].compactMap { $0 }
        for (index, schedule) in scheduledWorkflows where workflows.workflows[index].enabled {
            if let last = Self.lastTick(of: workflows.workflows[index].name, in: tickets), let next = schedule.nextFire(after: last) {
                times.append(next)
            }
        }
        return times.min()
    }

    /// The tickets whose timers are due by `time`: a caller that keeps only
    /// some tickets in memory loads these before `fireTimers(until:)`.
    public func ticketsWithTimersDue(by time: Timestamp) -> Set<String> {
        timers.tickets(dueBy: time)
    }

    /// Rebuilds the timer queue from the timers stored in the projection, after a restart.
    public mutating func restoreTimers(from tickets: TicketProjection) {
        timers.restore(from: tickets)
    }

    /// Fires every idle timer due at or before `time`, earliest first: each
    /// becomes a `ticket.idle` event processed by its workflow alone. Its id
    /// is derived from the ticket, the workflow and the due time, so a timer
    /// fired again after a crash is the same event, and its effects the same.
    public mutating func fireTimers(until time: Timestamp, tickets: inout TicketProjection) -> [EventOutcome] {
        var outcomes: [EventOutcome] = []
        var dueTicks: [Int: Timestamp] = [:]
        var ticksComputed = false
        while true {
            // Idle timers and schedule ticks fire in time order.
            if !ticksComputed {
                dueTicks = dueScheduleTicks(until: time, tickets: &tickets)
                ticksComputed = true
            }
            let tick = dueTicks.min { ($0.value, $0.key) < ($1.value, $1.key) }.map { (workflow: $0.key, time: $0.value) }
            guard let entry = timers.earliest, entry.due <= time, tick.map({ entry.due <= $0.time }) ?? true else {
                guard let tick else { break }
                outcomes += runSchedule(tick.workflow, at: tick.time, tickets: &tickets)
                dueTicks[tick.workflow] = nil
                continue
            }
            _ = timers.popEarliest()
            let key = IdleTimers.stateKey(entry.ticket)
            guard var armed = tickets[key]?.objectValue, let timer = armed[entry.workflow],
                timer["due"]?.stringValue == entry.due.description
            else { continue }
            armed[entry.workflow] = nil
            tickets[key] = .object(armed)
            // A timer of a workflow since removed or disabled is dropped, not fired.
            guard let workflowIndex = workflows.workflows.firstIndex(where: { $0.name == entry.workflow }),
                workflows.workflows[workflowIndex].enabled
            else { continue }
            let ticket = tickets[entry.ticket] ?? .object(Value.Object([("id", .string(entry.ticket))]))
            let payload = Value.object(Value.Object([
                ("id", .string("\(entry.ticket)/idle/\(entry.workflow)/\(entry.due)")), ("type", "ticket.idle"),
                ("occurred_at", .string(entry.due.description)), ("source", "ticketflow"),
                ("timer", .object(Value.Object([
                    ("workflow", .string(entry.workflow)), ("idle_for", timer["idle_for"] ?? .null),
                    ("armed_by", timer["armed_by"] ?? .null), ("due", .string(entry.due.description)),
                ]))),
                ("ticket", ticket),
            ]))
            let event = Event(
                id: payload["id"]!.stringValue!, type: "ticket.idle", occurredAt: entry.due, ticketID: entry.ticket,
                payload: payload)
            outcomes.append(process(event, depth: 0, causedBy: [], only: workflowIndex, tickets: &tickets))
        }
        return outcomes
    }

    /// Whether a schedule tick is due by `time`: a caller that keeps only
    /// some tickets in memory loads them all first, since a tick looks at every ticket.
    public func scheduleTickDue(by time: Timestamp, tickets: TicketProjection) -> Bool {
        scheduledWorkflows.contains { index, schedule in
            guard workflows.workflows[index].enabled,
                let last = Self.lastTick(of: workflows.workflows[index].name, in: tickets)
            else { return false }
            return schedule.nextFire(after: last).map { $0 <= time } ?? false
        }
    }

    static func scheduleKey(_ workflow: String) -> String { "~schedules/" + workflow }

    static func lastTick(of workflow: String, in tickets: TicketProjection) -> Timestamp? {
        tickets[scheduleKey(workflow)]?["last"]?.stringValue.flatMap(Timestamp.parse)
    }

    /// Records "now" as the last tick of every schedule seen for the first
    /// time, so a new schedule starts counting from here (no ticks from
    /// before it existed).
    public mutating func primeSchedules(at time: Timestamp, tickets: inout TicketProjection) {
        for (index, _) in scheduledWorkflows where workflows.workflows[index].enabled {
            let name = workflows.workflows[index].name
            if Self.lastTick(of: name, in: tickets) == nil {
                tickets[Self.scheduleKey(name)] = .object(Value.Object([("last", .string(time.description))]))
            }
        }
    }

    /// For each schedule with a tick due by `time`, the latest such tick:
    /// ticks missed while nothing ran collapse into the latest one, as a help
    /// desk's hourly automations do.
    private mutating func dueScheduleTicks(until time: Timestamp, tickets: inout TicketProjection) -> [Int: Timestamp] {
        primeSchedules(at: time, tickets: &tickets)
        var due: [Int: Timestamp] = [:]
        for (index, schedule) in scheduledWorkflows where workflows.workflows[index].enabled {
            guard let last = Self.lastTick(of: workflows.workflows[index].name, in: tickets),
                var tick = schedule.nextFire(after: last), tick <= time
            else { continue }
            // Jump close to `time` first, so a long gap costs at most a day of steps.
            let dayBefore = time.adding(.days(-1))
            if dayBefore > tick, let recent = schedule.nextFire(after: dayBefore), recent <= time { tick = recent }
            var steps = 0
            while steps < 1_000_000, let following = schedule.nextFire(after: tick), following <= time {
                tick = following
                steps += 1
            }
            due[index] = tick
        }
        return due
    }

    /// One schedule tick: the workflow runs on every ticket its condition
    /// matches, each as a `ticket.scheduled` event of its own (so effects are
    /// keyed per ticket and tick).
    private mutating func runSchedule(_ workflowIndex: Int, at time: Timestamp, tickets: inout TicketProjection) -> [EventOutcome] {
        let workflow = workflows.workflows[workflowIndex]
        tickets[Self.scheduleKey(workflow.name)] = .object(Value.Object([("last", .string(time.description))]))
        let expression = workflow.triggers.lazy.compactMap(\.schedule).first?.description ?? ""
        let schedule = Value.object(Value.Object([
            ("workflow", .string(workflow.name)), ("expression", .string(expression)), ("tick", .string(time.description)),
        ]))
        var base = Value.Object([
            ("type", "ticket.scheduled"), ("occurred_at", .string(time.description)), ("source", "ticketflow"),
            ("schedule", schedule),
        ])
        var outcomes: [EventOutcome] = []
        for id in tickets.tickets.keys.sorted() where !id.hasPrefix("~") {
            guard let ticket = tickets[id] else { continue }
            base["id"] = .string("\(id)/schedule/\(workflow.name)/\(time)")
            base["ticket"] = ticket
            var context = EvaluationContext(event: .object(base), ticket: ticket, previousTicket: ticket, now: time)
            context.calendar = options.calendar
            if let condition = workflow.condition, !condition.evaluate(context) { continue }
            let event = Event(
                id: base["id"]!.stringValue!, type: "ticket.scheduled", occurredAt: time, ticketID: id, payload: .object(base))
            outcomes.append(process(event, depth: 0, causedBy: [], only: workflowIndex, tickets: &tickets))
        }
        return outcomes
    }

    /// An event from the help desk restarts the idle clock of every idle workflow on its ticket.
    private mutating func armIdleTimers(after event: Event, tickets: inout TicketProjection) {
        armIdleTimers(ticket: event.ticketID, lastEventID: event.id, at: event.occurredAt, dueAfter: nil, tickets: &tickets)
    }

    /// Arms the idle timers that a ticket's last help-desk event left
    /// running, without processing that event: for a replay that starts part
    /// way through a log (a backtest), from state folded from earlier events.
    /// Only timers due after `dueAfter` are armed; the others would have
    /// fired before the replay starts.
    public mutating func armIdleTimers(
        ticket: String, lastEventID: String, at time: Timestamp, dueAfter: Timestamp?, tickets: inout TicketProjection
    ) {
        let key = IdleTimers.stateKey(ticket)
        var armed = tickets[key]?.objectValue ?? Value.Object()
        // An event delivered late, older than one already seen, does not
        // move the idle clock back, nor re-arm a timer that has fired since.
        if let latest = armed[IdleTimers.latestActivityKey]?.stringValue.flatMap(Timestamp.parse), time < latest { return }
        armed[IdleTimers.latestActivityKey] = .string(time.description)
        var armedAny = false
        for (workflowIndex, span) in idleWorkflows where workflows.workflows[workflowIndex].enabled {
            let workflow = workflows.workflows[workflowIndex]
            let due = time.adding(span)
            if let dueAfter, due <= dueAfter { continue }
            armedAny = true
            armed[workflow.name] = .object(Value.Object([
                ("due", .string(due.description)), ("armed_by", .string(lastEventID)), ("idle_for", .string(span.description)),
            ]))
            timers.push(IdleTimers.Entry(due: due, ticket: ticket, workflow: workflow.name))
        }
        if armedAny || dueAfter == nil { tickets[key] = .object(armed) }
    }

    /// The longest `idle` span of the enabled workflows; `nil` if none has one.
    /// A replay starting at time T needs the last help-desk event of tickets
    /// active since T minus this span, to arm their timers.
    public var longestIdleSpan: TimeSpan? {
        idleWorkflows.filter { workflows.workflows[$0.index].enabled }.map(\.span).max()
    }

    private mutating func process(
        _ event: Event, depth: Int, causedBy: Set<String>, only: Int?, tickets: inout TicketProjection
    ) -> EventOutcome {
        let (previous, merged) = tickets.merge(event)
        var ticket = merged
        var context = EvaluationContext(event: event.payload, ticket: ticket, previousTicket: previous, now: event.occurredAt)
        context.calendar = options.calendar
        var candidates: [Int]
        if let only {
            candidates = [only]
        } else {
            candidates = options.evaluateAllListeners
                ? index.listeners(for: event) : index.candidates(for: event, root: { context.value(at: $0) })
        }
        var evaluations: [WorkflowEvaluation] = []
        var followUps: [(Event, Set<String>)] = []
        var stopped: String?
        var position = 0
        while position < candidates.count {
            let workflowIndex = candidates[position]
            position += 1
            let workflow = workflows.workflows[workflowIndex]
            func skip(_ reason: String) {
                evaluations.append(WorkflowEvaluation(
                    workflow: workflow.name, version: workflow.version, file: workflow.file, result: .skipped,
                    reason: reason, effects: [], failure: nil))
            }
            if !workflow.enabled {
                skip("disabled")
                continue
            }
            if let stopped {
                skip("stopped by `\(stopped)`")
                continue
            }
            if causedBy.contains(workflow.name) {
                skip("event was caused by this workflow")
                continue
            }
            context.ticket = ticket
            if let condition = workflow.condition, !condition.evaluate(context) {
                let reason = options.explainNonMatches ? condition.explain(context).description : nil
                evaluations.append(WorkflowEvaluation(
                    workflow: workflow.name, version: workflow.version, file: workflow.file, result: .notMatched,
                    reason: reason, effects: [], failure: nil))
                continue
            }
            var effects: [Effect] = []
            var failure: String?
            for step in workflow.steps {
                context.ticket = ticket
                if let condition = step.condition, !condition.evaluate(context) { continue }
                let scope = TemplateScope(event: event.payload, ticket: ticket, previousTicket: previous)
                let parameters = Self.parameters(of: step, in: scope)
                let key = EffectKey(eventID: event.id, workflow: workflow.name, step: step.id)
                let outcome: ActionOutcome
                var actionContext = ActionContext(
                    event: event, workflow: workflow.name, step: step.id, projection: TicketProjection())
                if let action = actions[step.action] {
                    // The projection is lent to the action without copying it.
                    swap(&actionContext.projection, &tickets)
                    outcome = action.apply(parameters, to: &ticket, context: &actionContext)
                    swap(&actionContext.projection, &tickets)
                } else {
                    outcome = .failed(message: "no action named `\(step.action)` is available", retryable: false)
                }
                var effect = Effect(
                    key: key, workflowVersion: workflow.version, action: step.action, parameters: parameters,
                    ticketID: event.ticketID, outcome: outcome, followUpEventID: nil, details: actionContext.details)
                switch outcome {
                case .applied:
                    if let type = actionContext.emittedType ?? actions[step.action]?.spec.emits {
                        let followUp = Self.followUp(
                            type: type, key: key, action: step.action, parameters: parameters, ticket: ticket, after: event,
                            details: actionContext.details)
                        effect.followUpEventID = followUp.id
                        followUps.append((followUp, causedBy.union([workflow.name])))
                    }
                case .unchanged:
                    break
                case .failed(let message, _):
                    failure = "step \(step.id) (\(step.action)) failed: \(message)"
                    let followUp = Self.followUp(
                        type: "workflow.failed", key: key, action: step.action, parameters: parameters, ticket: ticket,
                        after: event, error: message)
                    effect.followUpEventID = followUp.id
                    followUps.append((followUp, causedBy.union([workflow.name])))
                }
                effects.append(effect)
                if failure != nil { break }
            }
            if only == nil, !options.evaluateAllListeners, effects.contains(where: { $0.outcome == .applied }) {
                // Later workflows see this workflow's changes, so the index is
                // asked again with the ticket as it is now.
                context.ticket = ticket
                let fresh = index.candidates(for: event, root: { context.value(at: $0) })
                candidates = Array(candidates[..<position]) + fresh.filter { $0 > workflowIndex }
            }
            tickets[event.ticketID] = ticket
            evaluations.append(WorkflowEvaluation(
                workflow: workflow.name, version: workflow.version, file: workflow.file, result: .fired, reason: nil,
                effects: effects, failure: failure))
            if workflow.stopsLaterWorkflows { stopped = workflow.name }
        }
        var outcome = EventOutcome(event: event, depth: depth, evaluations: evaluations, cascade: [], cascadeStopped: false)
        if !followUps.isEmpty {
            if depth + 1 > options.maxCascadeDepth {
                outcome.cascadeStopped = true
                outcome.unprocessedFollowUps = followUps.map(\.0)
            } else {
                for (followUp, chain) in followUps {
                    outcome.cascade.append(process(followUp, depth: depth + 1, causedBy: chain, only: nil, tickets: &tickets))
                }
            }
        }
        return outcome
    }

    /// The event recording an effect. Its id is derived from the effect key,
    /// so processing the same event again produces the same follow-up id.
    static func followUp(
        type: String, key: EffectKey, action: String, parameters: Value.Object, ticket: Value, after event: Event,
        details: Value.Object = Value.Object(), error: String? = nil
    ) -> Event {
        var effect = Value.Object([
            ("workflow", .string(key.workflow)), ("step", .string(key.step)), ("action", .string(action)),
            ("params", .object(parameters)),
        ])
        if !details.isEmpty { effect["details"] = .object(details) }
        if let error { effect["error"] = .string(error) }
        let id = key.description
        let payload = Value.object(Value.Object([
            ("id", .string(id)), ("type", .string(type)), ("occurred_at", event.payload["occurred_at"] ?? .string(event.occurredAt.description)),
            ("source", "ticketflow"), ("caused_by", .string(event.id)), ("effect", .object(effect)), ("ticket", ticket),
        ]))
        return Event(id: id, type: type, occurredAt: event.occurredAt, ticketID: event.ticketID, payload: payload)
    }
}
