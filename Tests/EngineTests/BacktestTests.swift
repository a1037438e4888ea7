import Actions
import Core
import Engine
import EventLog
import Testing
import Workflows

/// Backtests against a history recorded by the real consumer: the deployed
/// workflows run over the events into an in-memory log, then candidates are
/// replayed over a window of it and the differences are pinned exactly.
@Suite struct BacktestTests {
    // MARK: - Workflows

    static let urgentEscalate = """
        workflow: urgent-escalate
        on: ticket.created
        if: ticket.priority == "urgent"
        steps:
          - escalate: { to: tier2, reason: urgent }
        """

    /// The tighter condition a candidate tries: enterprise customers only.
    static let urgentEscalateEnterprise = """
        workflow: urgent-escalate
        on: ticket.created
        if: ticket.priority == "urgent" and ticket.requester.plan == "enterprise"
        steps:
          - escalate: { to: tier2, reason: urgent }
        """

    static let tagger = """
        workflow: tagger
        on: ticket.created
        steps:
          - tag: seen
        """

    /// The new timer a candidate adds.
    static let staleUrgent = """
        workflow: stale-urgent
        on: { idle: 4h }
        if: ticket.priority == "urgent"
        steps:
          - tag: stale
        """

    static let since = Timestamp.parse("2026-11-21T00:00:00Z")!

    // MARK: - Fixtures

    static func event(_ id: String, _ type: String, _ ticket: String, at time: String, _ fields: [(String, Value)] = []) -> Event {
        var ticketObject = Value.Object([("id", .string(ticket))])
        for (key, value) in fields { ticketObject[key] = value }
        return try! EventDecoder.decode(.object(Value.Object([
            ("id", .string(id)), ("type", .string(type)), ("occurred_at", .string(time)), ("ticket", .object(ticketObject)),
        ]))).get()
    }

    static func created(_ id: String, _ ticket: String, at time: String, priority: String, plan: String = "pro") -> Event {
        event(id, "ticket.created", ticket, at: time, [
            ("priority", .string(priority)), ("requester", .object(Value.Object([("plan", .string(plan))]))),
        ])
    }

    /// Two days of help-desk events; the window opens at `since`, on the second day.
    static let history: [Event] = [
        created("e1", "T-1", at: "2026-11-20T10:00:00Z", priority: "urgent"),
        created("e2", "T-2", at: "2026-11-20T22:00:00Z", priority: "urgent", plan: "enterprise"),
        created("e3", "T-3", at: "2026-11-21T08:00:00Z", priority: "urgent"),
        created("e4", "T-4", at: "2026-11-21T09:00:00Z", priority: "urgent", plan: "enterprise"),
        created("e5", "T-5", at: "2026-11-21T09:30:00Z", priority: "normal"),
        // Only the id: the priority must come from the state the ticket already has.
        event("e6", "ticket.commented", "T-3", at: "2026-11-21T10:00:00Z"),
        created("e7", "T-6", at: "2026-11-21T15:00:00Z", priority: "normal"),
        // T-1 was created before the window; its priority is known only from then.
        event("e8", "ticket.updated", "T-1", at: "2026-11-21T16:00:00Z"),
        event("e9", "ticket.commented", "T-5", at: "2026-11-21T21:00:00Z"),
    ]

    static func load(_ files: [String]) throws -> WorkflowSet {
        let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)
        return WorkflowSet(try files.enumerated().map { index, text in
            let (workflow, diagnostics) = loader.loadText(Array(text.utf8), file: "w\(index).yaml")
            guard let workflow, !diagnostics.hasErrors else { throw DiagnosticsError(diagnostics) }
            return workflow
        })
    }

    /// A log written as `run` writes it: the deployed workflows over `events`,
    /// in consumer batches of `batchSize` (so the engine's events come after
    /// the batch that caused them).
    static func recordedLog(_ deployed: [String], events: [Event], batchSize: Int = 3) async throws -> MemoryEventStore {
        let store = MemoryEventStore()
        var consumer = LogConsumer(
            engine: Engine(workflows: try load(deployed), actions: BuiltinActions.registry), store: store,
            now: { Timestamp(millisecondsSinceEpoch: 0) }, batchSize: batchSize)
        var statistics = LogConsumer.Statistics()
        for start in stride(from: 0, to: events.count, by: batchSize) {
            _ = try await store.append(Array(events[start..<min(events.count, start + batchSize)]), recordedAt: Timestamp(millisecondsSinceEpoch: 0))
            try await consumer.drain(into: &statistics)
        }
        return store
    }

    static func backtest(
        _ candidate: [String], on log: MemoryEventStore, options: Backtest.Options = Backtest.Options(since: since)
    ) async throws -> BacktestReport {
        var backtest = Backtest(
            engine: Engine(workflows: try load(candidate), actions: BuiltinActions.registry), log: log,
            scratch: MemoryEventStore(), options: options)
        return try await backtest.run()
    }

    /// One line per workflow: counts, then each kind of difference with its example tickets.
    static func digest(_ report: BacktestReport) -> [String] {
        report.workflows.map { workflow in
            func examples(_ difference: FiringDifference) -> String {
                "\(difference.count)[" + difference.examples.map { "\($0.ticket) \($0.eventID)" }.joined(separator: ", ") + "]"
            }
            return "\(workflow.workflow): fired \(workflow.candidate.fired)/\(workflow.deployed.fired), same \(workflow.same), "
                + "new \(examples(workflow.onlyCandidate)), gone \(examples(workflow.onlyDeployed)), changed \(examples(workflow.changed))"
        }
    }

    // MARK: - Tests

    @Test func backtest_ofTheDeployedWorkflows_findsEveryFiringTheSame() async throws {
        let log = try await Self.recordedLog([Self.urgentEscalate, Self.tagger, Self.staleUrgent], events: Self.history)

        let report = try await Self.backtest([Self.urgentEscalate, Self.tagger, Self.staleUrgent], on: log)

        #expect(!report.hasDifferences)
        // In the window: e3 and e4 escalated; four tickets created; timers of T-2 (armed before the window), T-4, T-3 and T-1.
        #expect(Self.digest(report) == [
            "urgent-escalate: fired 2/2, same 2, new 0[], gone 0[], changed 0[]",
            "tagger: fired 4/4, same 4, new 0[], gone 0[], changed 0[]",
            "stale-urgent: fired 4/4, same 4, new 0[], gone 0[], changed 0[]",
        ])
        #expect(report.eventsReplayed == 7)
        #expect(report.recordsFolded > 2)
    }

    @Test func backtest_ofATighterConditionAndANewTimer_reportsExactlyTheFiringsThatChange() async throws {
        let log = try await Self.recordedLog([Self.urgentEscalate, Self.tagger], events: Self.history)
        let lastPosition = await log.lastPosition()
        let checkpoint = await log.checkpoint(consumer: "engine")

        let report = try await Self.backtest([Self.urgentEscalateEnterprise, Self.tagger, Self.staleUrgent], on: log)

        #expect(Self.digest(report) == [
            // T-3's customer is on the pro plan: escalated before, not now.
            "urgent-escalate: fired 1/2, same 1, new 0[], gone 1[T-3 e3], changed 0[]",
            "tagger: fired 4/4, same 4, new 0[], gone 0[], changed 0[]",
            // T-2's timer was armed before the window; T-3's was re-armed by
            // its comment (10:00 + 4h); T-1 is urgent from before the window.
            "stale-urgent: fired 4/0, same 0, new 4[T-2 T-2/idle/stale-urgent/2026-11-21T02:00:00Z, "
                + "T-3 T-3/idle/stale-urgent/2026-11-21T14:00:00Z, T-4 T-4/idle/stale-urgent/2026-11-21T13:00:00Z, "
                + "T-1 T-1/idle/stale-urgent/2026-11-21T20:00:00Z], gone 0[], changed 0[]",
        ])
        let escalate = try #require(report.workflows.first { $0.workflow == "urgent-escalate" })
        #expect(escalate.candidate.tickets["escalate"] == ["T-4"])
        #expect(escalate.deployed.tickets["escalate"] == ["T-3", "T-4"])
        #expect(escalate.candidateVersion != nil && escalate.deployedVersions.keys.first != escalate.candidateVersion)
        // Six timers fired; those of T-5 and T-6 (normal priority) did nothing.
        #expect(report.timerEvents == 6)
        // The log is only read.
        #expect(await log.lastPosition() == lastPosition)
        #expect(await log.checkpoint(consumer: "engine") == checkpoint)
    }

    @Test func backtest_untilATime_replaysOnlyTheEventsBeforeIt_andTheTimersDueByThen() async throws {
        let log = try await Self.recordedLog([Self.urgentEscalate, Self.tagger], events: Self.history)
        let until = Timestamp.parse("2026-11-21T14:30:00Z")!

        let report = try await Self.backtest(
            [Self.urgentEscalate, Self.tagger, Self.staleUrgent], on: log, options: Backtest.Options(since: Self.since, until: until))

        #expect(report.eventsReplayed == 4)
        #expect(report.end == until)
        // T-1's timer (20:00) is after the end; T-3's (14:00) and T-4's (13:00) are before it.
        let stale = try #require(report.workflows.first { $0.workflow == "stale-urgent" })
        #expect(stale.onlyCandidate.examples.map(\.ticket) == ["T-2", "T-3", "T-4"])
        #expect(Self.digest(report)[0] == "urgent-escalate: fired 2/2, same 2, new 0[], gone 0[], changed 0[]")
    }

    @Test func backtest_startsFromTheStateBeforeTheWindow_withTheDeployedEffectsInTheOrderTheyHappened() async throws {
        // In one deployed batch: T-7 is created (normal) and tagged `seen`,
        // then raised to urgent. The log holds the tag's event (with the
        // ticket as it was then, normal) after the raise.
        let events = [
            Self.created("a1", "T-7", at: "2026-11-20T10:00:00Z", priority: "normal"),
            Self.event("a2", "ticket.updated", "T-7", at: "2026-11-20T10:05:00Z", [("priority", "urgent")]),
            Self.event("a3", "ticket.commented", "T-7", at: "2026-11-21T09:00:00Z"),
        ]
        let log = try await Self.recordedLog([Self.tagger], events: events, batchSize: 3)
        let order = await log.records(after: 0, limit: 10).map(\.event.id)
        #expect(order == ["a1", "a2", "a3", "a1/tagger/1"])
        let urgentSeen = """
            workflow: urgent-seen
            on: ticket.commented
            if: ticket.priority == "urgent" and "seen" in ticket.tags
            steps:
              - tag: chased
            """

        let report = try await Self.backtest([Self.tagger, urgentSeen], on: log)

        // Urgent (from a2, not undone by the older snapshot) and tagged (by the deployed tagger).
        #expect(Self.digest(report) == [
            "tagger: fired 0/0, same 0, new 0[], gone 0[], changed 0[]",
            "urgent-seen: fired 1/0, same 0, new 1[T-7 a3], gone 0[], changed 0[]",
        ])
    }

    @Test func backtest_withTicketStatesParkedOutOfMemory_reportsWhatItReportsWithEverythingInMemory() async throws {
        let log = try await Self.recordedLog([Self.urgentEscalate, Self.tagger], events: Self.history)
        let candidate = [Self.urgentEscalateEnterprise, Self.tagger, Self.staleUrgent]

        let inMemory = try await Self.backtest(candidate, on: log)
        let parked = try await Self.backtest(
            candidate, on: log, options: Backtest.Options(since: Self.since, pageSize: 2, cachedTicketLimit: 1, followUpReach: 4))

        #expect(Self.digest(parked) == Self.digest(inMemory))
        #expect(parked.timerEvents == inMemory.timerEvents)
    }

    /// Near the window's start (folded before the replay) and far from it (merged during the replay).
    @Test(arguments: [Int64(100_000), 2])
    func backtest_ofAnEventDatedBeforeTheWindowButStoredInIt_mergesItIntoState_withoutReplayingIt(reach: Int64) async throws {
        var events = Self.history
        // Delivered late: stored after e5, dated before the window.
        events.insert(
            Self.event("late", "ticket.updated", "T-5", at: "2026-11-20T23:00:00Z", [("priority", "urgent")]), at: 5)
        let log = try await Self.recordedLog([Self.urgentEscalate, Self.tagger], events: events)
        let urgentComment = """
            workflow: urgent-comment
            on: ticket.commented
            if: ticket.priority == "urgent"
            steps:
              - tag: chased
            """

        let report = try await Self.backtest(
            [Self.tagger, urgentComment], on: log,
            options: Backtest.Options(since: Self.since, pageSize: 2, followUpReach: reach))

        #expect(report.lateEvents == 1)
        #expect(report.eventsReplayed == 7)
        // e6 (T-3, urgent since e3) and e9 (T-5, urgent only through the late event).
        let comment = try #require(report.workflows.first { $0.workflow == "urgent-comment" })
        #expect(comment.onlyCandidate.examples.map(\.ticket) == ["T-3", "T-5"])
    }

    @Test func backtest_ofARemovedWorkflow_reportsItsDeployedFiringsAsGone() async throws {
        let log = try await Self.recordedLog([Self.urgentEscalate, Self.tagger], events: Self.history)

        let report = try await Self.backtest([Self.tagger], on: log)

        #expect(Self.digest(report) == [
            "tagger: fired 4/4, same 4, new 0[], gone 0[], changed 0[]",
            "urgent-escalate: fired 0/2, same 0, new 0[], gone 2[T-3 e3, T-4 e4], changed 0[]",
        ])
        #expect(report.workflows.last?.candidateVersion == nil)
    }

    @Test func backtest_ofChangedParameters_reportsTheFiringAsChanged() async throws {
        let log = try await Self.recordedLog([Self.urgentEscalate], events: Self.history)
        let otherQueue = Self.urgentEscalate.replacingOccurrences(of: "to: tier2", with: "to: tier3")

        let report = try await Self.backtest([otherQueue], on: log)

        #expect(Self.digest(report) == ["urgent-escalate: fired 2/2, same 0, new 0[], gone 0[], changed 2[T-3 e3, T-4 e4]"])
    }
}
