import Actions
import Core
import Engine
import Testing
import Workflows

/// Builds workflows from YAML text and runs events through the engine.
struct EngineHarness {
    var engine: Engine
    var tickets = TicketProjection()

    init(_ files: [String], options: Engine.Options = Engine.Options()) throws {
        let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)
        var workflows: [Workflow] = []
        for (index, text) in files.enumerated() {
            let (workflow, diagnostics) = loader.loadText(Array(text.utf8), file: "w\(index).yaml")
            guard let workflow, !diagnostics.hasErrors else { throw DiagnosticsError(diagnostics) }
            workflows.append(workflow)
        }
        engine = Engine(workflows: WorkflowSet(workflows), actions: BuiltinActions.registry, options: options)
    }

    static func event(_ id: String, _ type: String = "ticket.created", ticket: Value, extra: Value.Object = .init()) -> Event {
        var object = Value.Object([
            ("id", .string(id)), ("type", .string(type)), ("occurred_at", "2026-11-22T10:00:00Z"), ("ticket", ticket),
        ])
        for (key, value) in extra.pairs { object[key] = value }
        return try! EventDecoder.decode(.object(object)).get()
    }

    mutating func run(_ event: Event) -> EventOutcome {
        engine.process(event, tickets: &tickets)
    }

    /// `workflow: action` for every applied effect, cascade included.
    mutating func effects(_ event: Event) -> [String] {
        run(event).allEffects.filter { $0.outcome == .applied }.map { "\($0.key.workflow): \($0.summary)" }
    }
}

@Suite struct EngineTests {
    static let urgentBilling = """
        workflow: urgent-billing
        on: [ticket.created, ticket.updated]
        if: ticket.priority == "urgent" and "billing" in ticket.tags
        steps:
          - tag: needs-tier2
          - escalate:
              to: billing-tier2
              reason: "Urgent billing issue from {{ ticket.requester.email }}"
        """

    @Test func process_whenConditionHolds_runsStepsInOrderWithRenderedParameters() throws {
        var harness = try EngineHarness([Self.urgentBilling])
        let effects = harness.effects(EngineHarness.event("e1", ticket: [
            "id": "T-1", "priority": "urgent", "tags": ["billing"], "requester": ["email": "ana@example.com"],
        ]))
        #expect(effects == [
            #"urgent-billing: tag tags=["needs-tier2"]"#,
            #"urgent-billing: escalate to="billing-tier2" reason="Urgent billing issue from ana@example.com""#,
        ])
        #expect(harness.tickets["T-1"]?["tags"] == ["billing", "needs-tier2"])
        #expect(harness.tickets["T-1"]?["group"] == "billing-tier2")
    }

    @Test func process_whenConditionFails_explainsWhy() throws {
        var harness = try EngineHarness([Self.urgentBilling], options: .init(explainNonMatches: true, evaluateAllListeners: true))
        let outcome = harness.run(EngineHarness.event("e1", ticket: ["id": "T-1", "priority": "normal", "tags": ["billing"]]))
        #expect(outcome.allEffects.isEmpty)
        let evaluation = try #require(outcome.evaluations.first)
        #expect(evaluation.result == .notMatched)
        #expect(evaluation.reason == #"`ticket.priority == "urgent"` was false: ticket.priority is "normal""#)
    }

    @Test func process_whenEventTypeNotListened_considersNoWorkflow() throws {
        var harness = try EngineHarness([Self.urgentBilling])
        let outcome = harness.run(EngineHarness.event("e1", "ticket.solved", ticket: ["id": "T-1", "priority": "urgent", "tags": ["billing"]]))
        #expect(outcome.evaluations.isEmpty)
    }

    @Test func process_effectsCascadeToWorkflowsListeningForThem() throws {
        let onEscalated = """
            workflow: note-on-escalation
            on: ticket.escalated
            if: event.effect.params.to == "billing-tier2"
            steps:
              - add_note: "Escalated by {{ event.effect.workflow }}: {{ event.effect.params.reason }}"
            """
        var harness = try EngineHarness([Self.urgentBilling, onEscalated])
        let effects = harness.effects(EngineHarness.event("e1", ticket: [
            "id": "T-1", "priority": "urgent", "tags": ["billing"], "requester": ["email": "ana@example.com"],
        ]))
        #expect(effects.last == #"note-on-escalation: add_note body="Escalated by urgent-billing: Urgent billing issue from ana@example.com" public=false"#)
    }

    @Test func process_workflowNeverFiresOnItsOwnEffect() throws {
        let selfFeeding = """
            workflow: loop
            on: [ticket.created, ticket.tagged]
            steps:
              - tag: "seen-{{ event.id }}"
            """
        var harness = try EngineHarness([selfFeeding])
        let outcome = harness.run(EngineHarness.event("e1", ticket: ["id": "T-1"]))
        #expect(outcome.allEffects.count == 1)
        #expect(outcome.cascade.first?.evaluations.first?.result == .skipped)
    }

    @Test func process_pingPongBetweenWorkflowsStopsAtTheCascadeDepth() throws {
        let ping = "workflow: ping\non: [ticket.created, ticket.untagged]\nsteps:\n  - tag: ball\n"
        let pong = "workflow: pong\non: ticket.tagged\nsteps:\n  - untag: ball\n"
        var harness = try EngineHarness([ping, pong], options: .init(maxCascadeDepth: 3))
        let outcome = harness.run(EngineHarness.event("e1", ticket: ["id": "T-1"]))
        // ping (depth 0) -> pong (1); ping may not fire again on pong's effect: its own chain.
        #expect(outcome.allEffects.map(\.key.workflow) == ["ping", "pong"])
    }

    @Test func process_cascadeDepthIsBounded() throws {
        let chain = (0..<6).map { index in
            let on = index == 0 ? "ticket.created" : "ticket.tagged"
            // Reverse run order, so each link can only fire on the next follow-up event.
            return "workflow: w\(index)\norder: \(10 - index)\non: \(on)\nif: \(index == 0 ? "true" : "ticket.tags contains \"t\(index - 1)\"")\nsteps:\n  - tag: t\(index)\n"
        }
        var harness = try EngineHarness(chain, options: .init(maxCascadeDepth: 2))
        let outcome = harness.run(EngineHarness.event("e1", ticket: ["id": "T-1", "tags": []]))
        #expect(outcome.allEffects.map(\.key.workflow) == ["w0", "w1", "w2"])
        #expect(outcome.cascade.first?.cascade.first?.cascadeStopped == true)
    }

    @Test func process_stopPreventsLaterWorkflows() throws {
        let spam = "workflow: spam\norder: 1\nstop: true\non: ticket.created\nif: ticket.subject contains \"WIN\"\nsteps:\n  - tag: spam\n"
        let route = "workflow: route\non: ticket.created\nsteps:\n  - assign: agent-1\n"
        var harness = try EngineHarness([route, spam])
        #expect(harness.effects(EngineHarness.event("e1", ticket: ["id": "T-1", "subject": "WIN a prize"])) == [#"spam: tag tags=["spam"]"#])
        #expect(harness.effects(EngineHarness.event("e2", ticket: ["id": "T-2", "subject": "Help"])) == [#"route: assign to="agent-1""#])
    }

    @Test func process_stepConditionSeesEarlierStepsChanges() throws {
        let yaml = """
            workflow: steps
            on: ticket.created
            steps:
              - set_priority: high
              - tag: was-raised
                if: ticket.priority == "high"
            """
        var harness = try EngineHarness([yaml])
        #expect(harness.effects(EngineHarness.event("e1", ticket: ["id": "T-1", "priority": "low"])).count == 2)
    }

    @Test func process_whenRenderedValueInvalid_failsTheWorkflowAndRecordsIt() throws {
        let yaml = """
            workflow: copy-priority
            on: ticket.created
            steps:
              - set_priority: "{{ ticket.custom.wanted }}"
              - tag: never
            """
        var harness = try EngineHarness([yaml])
        let outcome = harness.run(EngineHarness.event("e1", ticket: ["id": "T-1", "custom": ["wanted": "asap"]]))
        #expect(outcome.evaluations.first?.failure == #"step 1 (set_priority) failed: priority must be one of low, normal, high, urgent, got "asap""#)
        #expect(outcome.allEffects.count == 1)
        #expect(outcome.cascade.first?.event.type == "workflow.failed")
    }

    @Test func process_changePredicatesSeeThePreviousTicket() throws {
        let yaml = """
            workflow: went-urgent
            on: ticket.updated
            if: changed(ticket.priority) and previous.ticket.priority == "normal" and ticket.priority == "urgent"
            steps:
              - tag: went-urgent
            """
        var harness = try EngineHarness([yaml])
        _ = harness.run(EngineHarness.event("e1", ticket: ["id": "T-1", "priority": "normal"]))
        #expect(harness.effects(EngineHarness.event("e2", "ticket.updated", ticket: ["id": "T-1", "priority": "urgent"])).count == 1)
        #expect(harness.effects(EngineHarness.event("e3", "ticket.updated", ticket: ["id": "T-1", "priority": "urgent"])).isEmpty)
    }

    @Test func process_partialTicketsMergeIntoKnownState() throws {
        let yaml = "workflow: w\non: ticket.commented\nif: ticket.subject contains \"export\"\nsteps:\n  - tag: export\n"
        var harness = try EngineHarness([yaml])
        _ = harness.run(EngineHarness.event("e1", ticket: ["id": "T-1", "subject": "CSV export fails"]))
        #expect(harness.effects(EngineHarness.event("e2", "ticket.commented", ticket: ["id": "T-1"])).count == 1)
    }

    @Test func process_followUpIdsAreDerivedFromTheEffectKey() throws {
        var first = try EngineHarness([Self.urgentBilling])
        var second = try EngineHarness([Self.urgentBilling])
        let event = EngineHarness.event("e1", ticket: ["id": "T-1", "priority": "urgent", "tags": ["billing"]])
        let ids = first.run(event).allEffects.compactMap(\.followUpEventID)
        #expect(ids == ["e1/urgent-billing/1", "e1/urgent-billing/2"])
        #expect(second.run(event).allEffects.compactMap(\.followUpEventID) == ids)
    }
}

@Suite struct EngineOrderTests {
    @Test func process_laterWorkflowsSeeChangesOfEarlierOnes_evenWhenIndexed() throws {
        let raise = "workflow: a-raise\non: ticket.created\nsteps:\n  - set_priority: high\n  - tag: billing\n"
        let onHigh = "workflow: b-high\non: ticket.created\nif: ticket.priority == \"high\"\nsteps:\n  - tag: saw-high\n"
        let onTag = "workflow: c-tag\non: ticket.created\nif: ticket.tags contains \"billing\"\nsteps:\n  - tag: saw-billing\n"
        let event = EngineHarness.event("e1", ticket: ["id": "T-1", "priority": "normal", "tags": []])
        var indexed = try EngineHarness([raise, onHigh, onTag])
        var explained = try EngineHarness([raise, onHigh, onTag], options: .init(explainNonMatches: true, evaluateAllListeners: true))
        let fired = indexed.run(event).firedWorkflows.map(\.workflow)
        #expect(fired == ["a-raise", "b-high", "c-tag"])
        #expect(explained.run(event).firedWorkflows.map(\.workflow) == fired)
    }
}
