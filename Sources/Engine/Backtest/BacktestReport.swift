import Core

/// What a backtest found: the window replayed, and per workflow what the
/// candidate would have done next to what the deployed workflows did.
public struct BacktestReport: Sendable {
    /// The first instant of the window.
    public var since: Timestamp
    /// The end of the window: `--until`, or the time of the last event replayed.
    public var end: Timestamp?
    /// Help-desk events replayed through the candidate workflows.
    public var eventsReplayed = 0
    /// Idle timers and schedule ticks the candidate fired in the window.
    public var timerEvents = 0
    /// Records before the window, folded into the ticket states the window starts from.
    public var recordsFolded = 0
    /// Help-desk events inside the window's span of the log but dated
    /// before it (delivered late): merged into state, not replayed.
    public var lateEvents = 0
    /// The log positions of the first and last events replayed.
    public var firstPosition: Int64?
    public var lastPosition: Int64?
    /// One entry per workflow of the candidate set or seen in the log's
    /// effects in the window, in the candidate's run order, then by name.
    public var workflows: [WorkflowComparison] = []

    public init(since: Timestamp) { self.since = since }

    /// Whether any workflow fired differently.
    public var hasDifferences: Bool { workflows.contains(where: \.hasDifferences) }
}

/// One workflow in a backtest: what it would have done, what it did, and
/// the firings that differ, with example tickets.
public struct WorkflowComparison: Sendable {
    public var workflow: String
    /// The version (file hash) of the candidate, `nil` when the candidate
    /// set has no workflow of this name (it was removed).
    public var candidateVersion: String?
    /// The versions the log's effects name, with how many firings each.
    public var deployedVersions: [String: Int] = [:]
    public var candidate = WorkflowActivity()
    public var deployed = WorkflowActivity()
    /// Firings on the same event by both, doing the same.
    public var same = 0
    /// Fired now and not before.
    public var onlyCandidate = FiringDifference()
    /// Fired before and not now.
    public var onlyDeployed = FiringDifference()
    /// Fired in both, with other actions or parameters.
    public var changed = FiringDifference()

    public init(workflow: String, candidateVersion: String?) {
        self.workflow = workflow
        self.candidateVersion = candidateVersion
    }

    public var hasDifferences: Bool { onlyCandidate.count + onlyDeployed.count + changed.count > 0 }
}

/// How often one side fired a workflow, and what its steps did.
public struct WorkflowActivity: Sendable {
    /// Trigger events on which the workflow ran at least one step.
    public var fired = 0
    /// Per action, how many effects were applied.
    public var effects: [String: Int] = [:]
    /// Per action, the distinct tickets an applied effect touched.
    public var tickets: [String: Set<String>] = [:]

    public init() {}

    mutating func count(action: String, ticket: String, applied: Bool) {
        guard applied else { return }
        effects[action, default: 0] += 1
        tickets[action, default: []].insert(ticket)
    }
}

/// One kind of difference: how many firings, and a few to look at.
public struct FiringDifference: Sendable {
    public struct Example: Sendable, Hashable {
        public var ticket: String
        public var eventID: String
    }

    public var count = 0
    /// The first firings found, one per ticket, at most `BacktestOptions.examples`.
    public var examples: [Example] = []

    public init() {}

    mutating func add(ticket: String, eventID: String, keeping limit: Int) {
        count += 1
        if examples.count < limit, !examples.contains(where: { $0.ticket == ticket }) {
            examples.append(Example(ticket: ticket, eventID: eventID))
        }
    }
}
