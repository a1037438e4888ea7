import Actions
import Core
import Engine
import EventLog
import Foundation
import SQLiteEventLog
import Testing
import Workflows

/// `file_product_recommendation` and `suggest_guide` driven through the
/// engine and the log consumer, as `run` drives them.
@Suite struct RecurrenceTests {
    static let recurring = """
        workflow: export-failures-recur
        on: ticket.created
        if: ticket.product_area == "reports"
        steps:
          - file_product_recommendation:
              title: Customers keep failing to export reports
              when_recurs: { key: "reports/export", at_least: 3, within: 7d }
              cooldown: 2h
        """

    static func workflows(_ texts: [String]) throws -> WorkflowSet {
        let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)
        return WorkflowSet(try texts.enumerated().map { index, text in
            let (workflow, diagnostics) = loader.loadText(Array(text.utf8), file: "w\(index).yaml")
            guard let workflow, !diagnostics.hasErrors else { throw DiagnosticsError(diagnostics) }
            return workflow
        })
    }

    /// A ticket.created event `minutes` after a fixed start.
    static func created(_ number: Int, minutes: Int, area: String = "reports", subject: String = "Export fails") -> Event {
        let time = Timestamp.parse("2026-11-16T09:00:00Z")!.adding(.minutes(Int64(minutes)))
        let payload: Value = [
            "id": .string("e\(number)"), "type": "ticket.created", "occurred_at": .string(time.description),
            "ticket": ["id": .string("T-\(number)"), "subject": .string(subject), "product_area": .string(area)],
        ]
        return try! EventDecoder.decode(payload).get()
    }

    /// Runs events through a log consumer over `store`; a new consumer each
    /// call, as after a restart.
    static func run(
        _ events: [Event], workflows: WorkflowSet, store: any EventStore, actions: ActionRegistry = BuiltinActions.registry
    ) async throws -> [String] {
        _ = try await store.append(events, recordedAt: Timestamp(millisecondsSinceEpoch: 0))
        var consumer = LogConsumer(
            engine: Engine(workflows: workflows, actions: actions), store: store,
            now: { Timestamp(millisecondsSinceEpoch: 0) })
        var statistics = LogConsumer.Statistics()
        var types: [String] = []
        try await consumer.drain(into: &statistics) { outcome in
            types += outcome.cascade.map(\.event.type)
        }
        return types
    }

    @Test func recommendation_isFiledOnceThresholdIsReached_thenUpdatedNotDuplicated() async throws {
        let store = MemoryEventStore()
        let workflows = try Self.workflows([Self.recurring])
        let first = try await Self.run(
            (1...3).map { Self.created($0, minutes: $0 * 10) }, workflows: workflows, store: store)
        #expect(first == ["recommendation.filed"])
        // Three hours later, past the cooldown: one update listing the new ticket.
        let later = try await Self.run([Self.created(4, minutes: 200)], workflows: workflows, store: store)
        #expect(later == ["recommendation.updated"])
        let state = try #require(try await store.tickets(["~recurrence/reports/export"])["~recurrence/reports/export"])
        #expect(state["recommendation"]?["tickets"] == ["T-1", "T-2", "T-3", "T-4"])
        #expect(state["recommendation"]?["updates"] == 1)
    }

    @Test func recommendation_withinTheCooldown_listsTheTicketWithoutAnUpdateEvent() async throws {
        let store = MemoryEventStore()
        let workflows = try Self.workflows([Self.recurring])
        let types = try await Self.run((1...6).map { Self.created($0, minutes: $0) }, workflows: workflows, store: store)
        #expect(types == ["recommendation.filed"])
        let state = try await store.tickets(["~recurrence/reports/export"])["~recurrence/reports/export"]
        #expect(state?["recommendation"]?["tickets"]?.arrayValue?.count == 6)
    }

    @Test func recommendation_acrossARestartWithTheSQLiteLog_isFiledOncePerWindow() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rec-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let workflows = try Self.workflows([Self.recurring])
        var types: [String] = []
        for number in 1...5 {
            // A new store and consumer for every event: as many restarts as events.
            let store = try SQLiteEventStore(path: path)
            types += try await Self.run([Self.created(number, minutes: number)], workflows: workflows, store: store)
        }
        #expect(types == ["recommendation.filed"])
        // Eight days later the window is over: the problem recurring again files a new one.
        for number in 6...8 {
            let store = try SQLiteEventStore(path: path)
            types += try await Self.run([Self.created(number, minutes: 8 * 24 * 60 + number)], workflows: workflows, store: store)
        }
        #expect(types == ["recommendation.filed", "recommendation.filed"])
    }

    static let recurringByText = """
        workflow: same-problem-by-text
        on: ticket.created
        steps:
          - file_product_recommendation:
              title: The same problem keeps coming back
              when_recurs: { by: text, at_least: 2, within: 7d }
              cooldown: 0m
        """

    /// Tickets in four wordings of three problems, and some one-offs.
    static func textTickets(_ range: ClosedRange<Int>, offset: Int = 0) -> [Event] {
        let subjects = [
            "export to csv fails with a timeout", "csv export times out on the big sheet",
            "invoice shows the wrong currency", "billed in dollars instead of euros",
            "two factor code rejected", "the 2fa code never works",
            "how do I change my avatar", "dark mode please",
        ]
        return range.map { created($0, minutes: $0 * 7 + offset, subject: subjects[($0 * 5) % subjects.count]) }
    }

    @Test func recommendationByText_keepingTheDecodedIndexBetweenEvents_recordsWhatRebuildingItEachTimeRecords() async throws {
        let workflows = try Self.workflows([Self.recurringByText])
        // One consumer and one set of actions for all events: the index stays decoded.
        let kept = MemoryEventStore()
        let shared = BuiltinActions.registry
        let keptTypes = try await Self.run(Self.textTickets(1...40), workflows: workflows, store: kept, actions: shared)
        // A fresh consumer and fresh actions per event: the index is decoded from the log every time.
        let rebuilt = MemoryEventStore()
        var rebuiltTypes: [String] = []
        for event in Self.textTickets(1...40) {
            rebuiltTypes += try await Self.run([event], workflows: workflows, store: rebuilt)
        }
        #expect(keptTypes == rebuiltTypes)
        #expect(keptTypes.contains("recommendation.filed"))
        let keptState = try await kept.tickets(withPrefix: "~")
        let rebuiltState = try await rebuilt.tickets(withPrefix: "~")
        #expect(keptState.keys.contains { $0.hasPrefix("~text-groups/") })
        #expect(keptState == rebuiltState)

        // The same actions on another log: its index differs, so the kept one must not be used.
        let other = MemoryEventStore()
        let otherTypes = try await Self.run(Self.textTickets(3...30, offset: 1), workflows: workflows, store: other, actions: shared)
        let fresh = MemoryEventStore()
        let freshTypes = try await Self.run(Self.textTickets(3...30, offset: 1), workflows: workflows, store: fresh)
        #expect(otherTypes == freshTypes)
        let otherState = try await other.tickets(withPrefix: "~")
        let freshState = try await fresh.tickets(withPrefix: "~")
        #expect(otherState == freshState)

        // Back to the first log with the same actions, which now keep the other log's index.
        let moreKept = try await Self.run(Self.textTickets(41...50), workflows: workflows, store: kept, actions: shared)
        var moreRebuilt: [String] = []
        for event in Self.textTickets(41...50) {
            moreRebuilt += try await Self.run([event], workflows: workflows, store: rebuilt)
        }
        #expect(moreKept == moreRebuilt)
        let keptAfter = try await kept.tickets(withPrefix: "~")
        let rebuiltAfter = try await rebuilt.tickets(withPrefix: "~")
        #expect(keptAfter == rebuiltAfter)
    }

    @Test func recommendation_belowTheThreshold_saysHowManyItHas() async throws {
        var engine = Engine(workflows: try Self.workflows([Self.recurring]), actions: BuiltinActions.registry)
        var tickets = TicketProjection()
        _ = engine.process(Self.created(1, minutes: 0), tickets: &tickets)
        let outcome = engine.process(Self.created(2, minutes: 1), tickets: &tickets)
        #expect(outcome.allEffects.first?.outcome == .unchanged(reason: "2 tickets of 3 within 7d"))
    }

    @Test func recommendation_ticketsOutsideTheWindowDoNotCount() async throws {
        var engine = Engine(workflows: try Self.workflows([Self.recurring]), actions: BuiltinActions.registry)
        var tickets = TicketProjection()
        _ = engine.process(Self.created(1, minutes: 0), tickets: &tickets)
        _ = engine.process(Self.created(2, minutes: 1), tickets: &tickets)
        let outcome = engine.process(Self.created(3, minutes: 8 * 24 * 60), tickets: &tickets)
        #expect(outcome.allEffects.first?.outcome == .unchanged(reason: "1 ticket of 3 within 7d"))
    }

    @Test func recommendation_withAnIntent_countsOnlyTicketsThatReadThatWay() async throws {
        let problemsOnly = Self.recurring.replacingOccurrences(
            of: "at_least: 3, within: 7d", with: "at_least: 2, within: 7d, intent: problem")
        var engine = Engine(workflows: try Self.workflows([problemsOnly]), actions: BuiltinActions.registry)
        var tickets = TicketProjection()
        _ = engine.process(Self.created(1, minutes: 0, subject: "export fails with an error"), tickets: &tickets)
        let asked = engine.process(Self.created(2, minutes: 1, subject: "how do I export to pdf?"), tickets: &tickets)
        #expect(asked.allEffects.first?.outcome == .unchanged(reason: "the ticket reads as a request, not a problem"))
        let second = engine.process(Self.created(3, minutes: 2, subject: "export is missing rows"), tickets: &tickets)
        #expect(second.cascade.map(\.event.type).contains("recommendation.filed"))

        let unknown = Self.recurring.replacingOccurrences(of: "within: 7d", with: "within: 7d, intent: wish")
        let error = try #require(throws: DiagnosticsError.self) { try Self.workflows([unknown]) }
        #expect("\(error)".contains("when_recurs.intent` must be one of any, problem, request, got \"wish\""), "\(error)")

        // A templated value is checked when the step runs.
        let templated = Self.recurring.replacingOccurrences(of: "within: 7d", with: "within: 7d, intent: \"{{ ticket.subject }}\"")
        var checked = Engine(workflows: try Self.workflows([templated]), actions: BuiltinActions.registry)
        var others = TicketProjection()
        let failed = checked.process(Self.created(4, minutes: 0), tickets: &others)
        #expect(failed.allEffects.first?.outcome == .failed(
            message: "`when_recurs.intent` is \"Export fails\"; use any, problem or request", retryable: false))
    }

    @Test func recommendationByText_withAnIntent_groupsOnlyThatKind() async throws {
        let workflow = """
            workflow: recurring-wishes
            on: ticket.created
            steps:
              - file_product_recommendation:
                  title: Customers keep asking
                  when_recurs: { by: text, at_least: 2, within: 7d, intent: request }
            """
        var engine = Engine(workflows: try Self.workflows([workflow]), actions: BuiltinActions.registry)
        var tickets = TicketProjection()
        let fault = engine.process(Self.created(1, minutes: 0, subject: "the pdf export has the wrong page size"), tickets: &tickets)
        #expect(fault.allEffects.first?.outcome == .unchanged(reason: "the ticket reads as a problem, not a request"))
        _ = engine.process(Self.created(2, minutes: 1, subject: "can the pdf export use A4 page size?"), tickets: &tickets)
        let second = engine.process(Self.created(3, minutes: 2, subject: "can we get the pdf export in A4 page size"), tickets: &tickets)
        let filed = try #require(second.cascade.first { $0.event.type == "recommendation.filed" })
        #expect(filed.event.payload["effect"]?["details"]?["tickets"] == ["T-2", "T-3"], "\(filed.event.payload)")
    }

    @Test func recommendationByText_twoStepsGroupingTheSameTicket_countTheirOwnGroupsOnly() async throws {
        // Both steps begin a group with T-1; each then sees one more ticket
        // that the other does not. Neither group has 3 tickets.
        func grouping(_ name: String, area: String) -> String {
            """
            workflow: \(name)
            on: ticket.created
            if: ticket.product_area == "\(area)" or ticket.subject == "csv export fails with a timeout"
            steps:
              - file_product_recommendation:
                  title: \(name)
                  when_recurs: { by: text, at_least: 3, within: 7d }
            """
        }
        var engine = Engine(
            workflows: try Self.workflows([grouping("reports-recur", area: "reports"), grouping("billing-recur", area: "billing")]),
            actions: BuiltinActions.registry)
        var tickets = TicketProjection()
        var types: [String] = []
        for (number, area) in [(1, "both"), (2, "reports"), (3, "billing")] {
            let subject = number == 1 ? "csv export fails with a timeout" : "the csv export times out and fails"
            let outcome = engine.process(Self.created(number, minutes: number, area: area, subject: subject), tickets: &tickets)
            types += outcome.cascade.map(\.event.type)
        }
        #expect(!types.contains("recommendation.filed"), "\(types)")
        let keys = tickets.tickets.keys.filter { $0.hasPrefix("~recurrence/") }.sorted()
        #expect(keys == ["~recurrence/text:billing-recur/1/T-1", "~recurrence/text:reports-recur/1/T-1"])
    }

    @Test func recommendation_pastTheListedEvidence_countsATicketOnceHoweverManyEventsItHas() async throws {
        let onEveryEvent = Self.recurring.replacingOccurrences(of: "on: ticket.created", with: "on: [ticket.created, ticket.commented]")
        var engine = Engine(workflows: try Self.workflows([onEveryEvent]), actions: BuiltinActions.registry)
        var tickets = TicketProjection()
        let listed = 200
        for number in 1...(listed + 2) { _ = engine.process(Self.created(number, minutes: 0), tickets: &tickets) }
        let commented: Value = [
            "id": "c1", "type": "ticket.commented", "occurred_at": "2026-11-16T09:30:00Z",
            "ticket": ["id": .string("T-\(listed + 2)")], "comment": ["author_role": "end_user", "body": "any news?"],
        ]
        let outcome = engine.process(try EventDecoder.decode(commented).get(), tickets: &tickets)
        #expect(outcome.allEffects.first?.outcome == .unchanged(reason: "already counted in \(tickets["~recurrence/reports/export"]?["recommendation"]?["id"]?.stringValue ?? "")"))
        let recommendation = try #require(tickets["~recurrence/reports/export"]?["recommendation"])
        #expect(recommendation["tickets"]?.arrayValue?.count == listed)
        #expect(recommendation["count"] == .int(listed + 2))
    }

    @Test func recommendation_sharingAKeyWithAShorterWindow_stillCountsItsOwnWindow() async throws {
        // Both rules count the key "export": one within an hour, one within a
        // week. A ticket a day never recurs within the hour, and must still
        // count towards the week.
        let withinAnHour = """
            workflow: export-storm
            on: ticket.created
            steps:
              - file_product_recommendation:
                  title: Export failures right now
                  when_recurs: { key: "export", at_least: 2, within: 1h }
            """
        let withinAWeek = """
            workflow: export-recurs
            on: ticket.created
            steps:
              - file_product_recommendation:
                  title: Exports keep failing this week
                  when_recurs: { key: "export", at_least: 3, within: 7d }
            """
        var engine = Engine(workflows: try Self.workflows([withinAnHour, withinAWeek]), actions: BuiltinActions.registry)
        var tickets = TicketProjection()
        var filed: [String] = []
        for number in 1...3 {
            let outcome = engine.process(Self.created(number, minutes: number * 24 * 60), tickets: &tickets)
            filed += outcome.cascade.filter { $0.event.type == "recommendation.filed" }.compactMap {
                $0.event.payload["effect"]?["details"]?["title"]?.stringValue
            }
        }
        #expect(filed == ["Exports keep failing this week"])
        let state = try #require(tickets["~recurrence/export"])
        #expect(state["recommendation"]?["tickets"] == ["T-1", "T-2", "T-3"], "\(state)")
    }
}

@Suite struct SuggestGuideTests {
    static let knowledgeBase = KnowledgeBase(guides: [
        Guide(id: "reset-password", title: "Reset your password", phrases: ["forgot my password", "cannot sign in"],
              body: "Open the sign-in page and choose Forgot password. The link is valid for one hour."),
        Guide(id: "export-csv", title: "Export a report to CSV", phrases: ["download my data"],
              body: "Open the report, choose Export, then CSV."),
    ])

    static let workflow = """
        workflow: suggest
        on: [ticket.created, ticket.commented]
        steps:
          - suggest_guide: { min_score: 0.2 }
        """

    @Test func suggestion_isRecordedWithScoreAndMatchedWords_andNeverRepeatedOnTheTicket() async throws {
        let workflows = try RecurrenceTests.workflows([Self.workflow])
        let actions = BuiltinActions.registry(knowledgeBases: ["guides": Self.knowledgeBase])
        let store = MemoryEventStore()
        func event(_ id: String, _ type: String) -> Event {
            try! EventDecoder.decode([
                "id": .string(id), "type": .string(type), "occurred_at": "2026-11-16T09:00:00Z",
                "ticket": ["id": "T-1", "subject": "I forgot my password and cannot sign in"],
            ]).get()
        }
        var followUps: [Event] = []
        for (id, type) in [("e1", "ticket.created"), ("e2", "ticket.commented")] {
            // A new consumer each time: the ticket's suggestions come back from the log.
            _ = try await store.append([event(id, type)], recordedAt: Timestamp(millisecondsSinceEpoch: 0))
            var consumer = LogConsumer(
                engine: Engine(workflows: workflows, actions: actions), store: store,
                now: { Timestamp(millisecondsSinceEpoch: 0) })
            var statistics = LogConsumer.Statistics()
            try await consumer.drain(into: &statistics) { followUps += $0.cascade.map(\.event) }
        }
        #expect(followUps.map(\.type) == ["guide.suggested"])
        let guide = try #require(followUps.first?.payload["effect"]?["details"]?["guides"]?.arrayValue?.first)
        #expect(guide["id"] == "reset-password")
        #expect((guide["score"]?.doubleValue ?? 0) >= 0.2)
        #expect(guide["matched"]?.arrayValue?.isEmpty == false)
        let effects = try await store.effects(eventID: "e2")
        #expect(effects.first?.outcome == "unchanged")
        #expect(effects.first?.detail == "reset-password was already suggested")
    }

    /// A ticket that says almost nothing gets no guide, though ranking alone
    /// would still put one first; the customer is not sent a guess.
    @Test(arguments: ["help", "not working!!", "asdfgh qwerty", "password"])
    func suggestion_forATicketThatSaysTooLittle_isNotMade(subject: String) throws {
        var engine = Engine(
            workflows: try RecurrenceTests.workflows([Self.workflow.replacingOccurrences(of: "min_score: 0.2", with: "min_score: 0")]),
            actions: BuiltinActions.registry(knowledgeBases: ["guides": Self.knowledgeBase]))
        var tickets = TicketProjection()
        let created: Value = [
            "id": "e1", "type": "ticket.created", "occurred_at": "2026-11-16T09:00:00Z", "ticket": ["id": "T-1", "subject": .string(subject)],
        ]
        let outcome = engine.process(try EventDecoder.decode(created).get(), tickets: &tickets)
        #expect(outcome.allEffects.first?.outcome == .unchanged(
            reason: "the ticket says too little to choose a guide (fewer than 2 words the guides know)"))

        let enough: Value = [
            "id": "e2", "type": "ticket.created", "occurred_at": "2026-11-16T09:01:00Z",
            "ticket": ["id": "T-2", "subject": .string(subject + " reset link")],
        ]
        let suggested = engine.process(try EventDecoder.decode(enough).get(), tickets: &tickets)
        #expect(suggested.allEffects.first?.outcome == .applied, "\(suggested.allEffects)")
    }

    /// A `product_area` no guide has is the reason given, not a low score.
    @Test func suggestion_inAProductAreaNoGuideHas_saysSo() throws {
        var engine = Engine(
            workflows: try RecurrenceTests.workflows([
                Self.workflow.replacingOccurrences(of: "min_score: 0.2", with: "min_score: 0.2, product_area: billng"),
            ]),
            actions: BuiltinActions.registry(knowledgeBases: ["guides": Self.knowledgeBase]))
        var tickets = TicketProjection()
        let created: Value = [
            "id": "e1", "type": "ticket.created", "occurred_at": "2026-11-16T09:00:00Z",
            "ticket": ["id": "T-1", "subject": "I forgot my password and cannot sign in"],
        ]
        let outcome = engine.process(try EventDecoder.decode(created).get(), tickets: &tickets)
        #expect(outcome.allEffects.first?.outcome == .unchanged(reason: "no guide has product_area \"billng\""))
    }
}
