import Actions
import Core
import Engine
import Testing
import Workflows

/// The trigger index may only skip workflows that could not have fired: an
/// engine with it must agree with evaluating every workflow on every event.
@Suite struct TriggerIndexTests {
    @Test func index_agreesWithEvaluatingEveryWorkflow() throws {
        let areas = ["reports", "billing", "sso", "api"]
        let plans = ["free", "pro", "enterprise"]
        var files: [String] = []
        for index in 0..<60 {
            let area = areas[index % areas.count]
            let plan = plans[index % plans.count]
            let condition = switch index % 4 {
            case 0: #"ticket.product_area == "\#(area)" and ticket.priority in ["high", "urgent"]"#
            case 1: #"'"\#(area)" in ticket.tags and ticket.requester.plan == "\#(plan)"'"#
            case 2: #"ticket.requester.plan in ["\#(plan)", "free"] or ticket.channel == "phone""#
            default: #"lower(ticket.subject) contains "\#(area)""#
            }
            files.append("workflow: w\(index)\non: [ticket.created, ticket.updated]\nif: \(condition)\nsteps:\n  - add_note: n\(index)\n")
        }
        var indexed = try EngineHarness(files)
        var events: [Event] = []
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        for number in 0..<500 {
            let ticket: Value = [
                "id": .string("T-\(next(50))"),
                "subject": .string("Problem with \(areas[next(4)])"),
                "priority": .string(EventSchema.priorities[next(4)]),
                "product_area": .string(areas[next(4)]),
                "channel": .string(["email", "phone", "chat"][next(3)]),
                "tags": .array([.string(areas[next(4)]), .string(areas[next(4)])]),
                "requester": ["plan": .string(plans[next(3)])],
            ]
            events.append(EngineHarness.event("e\(number)", number % 3 == 0 ? "ticket.updated" : "ticket.created", ticket: ticket))
        }
        var fired = 0
        for event in events {
            let outcome = indexed.run(event)
            let ticket = try #require(indexed.tickets[event.ticketID])
            let context = EvaluationContext(event: event.payload, ticket: ticket, previousTicket: nil, now: event.occurredAt)
            let expected = indexed.engine.workflows.workflows.filter { $0.condition?.evaluate(context) ?? true }.map(\.name)
            #expect(outcome.firedWorkflows.map(\.workflow) == expected, "event \(event.id)")
            fired += expected.count
        }
        #expect(fired > 500)
    }
}
