import Foundation
import Testing

/// `ticketflow backtest` through the binary: a log written by `run` with
/// the deployed workflows, then candidates replayed over a window of it.
@Suite struct BacktestCommandTests {
    static let deployedUrgent = """
        workflow: urgent
        on: ticket.created
        if: ticket.priority == "urgent"
        steps:
          - escalate: { to: tier2, reason: urgent }

        """

    /// The candidate tightens the condition and adds a timer.
    static let candidateUrgent = """
        workflow: urgent
        on: ticket.created
        if: ticket.priority == "urgent" and ticket.requester.plan == "enterprise"
        steps:
          - escalate: { to: tier2, reason: urgent }

        """

    static let candidateStale = """
        workflow: stale
        on: { idle: 4h }
        if: ticket.priority == "urgent"
        steps:
          - tag: stale

        """

    static func created(_ id: String, _ ticket: String, _ time: String, _ priority: String, _ plan: String) -> String {
        #"{"id":"\#(id)","type":"ticket.created","occurred_at":"\#(time)","ticket":{"id":"\#(ticket)","priority":"\#(priority)","requester":{"plan":"\#(plan)"}}}"#
    }

    /// A scratch folder with a log of four events run through the deployed workflow.
    static func recorded() async throws -> Scratch {
        let scratch = try Scratch()
        try scratch.write("deployed/urgent.yaml", deployedUrgent)
        try scratch.write("candidate/urgent.yaml", candidateUrgent)
        try scratch.write("candidate/stale.yaml", candidateStale)
        try scratch.write("events.jsonl", [
            created("e1", "T-1", "2026-11-20T10:00:00Z", "urgent", "pro"),
            created("e2", "T-2", "2026-11-21T08:00:00Z", "urgent", "pro"),
            created("e3", "T-3", "2026-11-21T09:00:00Z", "urgent", "enterprise"),
            created("e4", "T-4", "2026-11-21T13:30:00Z", "normal", "pro"),
        ].joined(separator: "\n") + "\n")
        let run = try await scratch.run("run", "--quiet", "--workflows", "deployed", "--log", "log.sqlite", "events.jsonl")
        #expect(run.status == 0, "\(run.stderr)")
        return scratch
    }

    @Test func backtest_diffOnly_printsTheFiringsThatChange_withExampleTickets() async throws {
        let scratch = try await Self.recorded()
        let json = try await scratch.run("backtest", "--log", "log.sqlite", "--since", "1d", "--workflows", "candidate", "--format", "json")
        let versions = try jsonObjects(json.stdout).compactMap { $0["workflow"] as? [String: Any] }.reduce(into: [String: String]()) {
            $0[$1["workflow"] as! String] = $1["candidate_version"] as? String
        }
        let deployed = try jsonObjects(json.stdout).compactMap { $0["workflow"] as? [String: Any] }
            .first { $0["workflow"] as? String == "urgent" }?["deployed_versions"] as? [String: Int]

        let result = try await scratch.run("backtest", "--log", "log.sqlite", "--since", "1d", "--workflows", "candidate", "--diff-only")

        #expect(result.status == 0, "\(result.stderr)")
        // A day before the last event (13:30): e1 is before the window, but
        // the timer it armed (due 14:00) fires in it.
        #expect(result.stdoutLines == [
            "backtest of candidate: 3 events replayed from 2026-11-20T13:30:00Z to 2026-11-21T13:30:00Z (log positions 2-4); "
                + "3 timer events, 2 earlier records folded into the starting state",
            "",
            "stale  (candidate \(versions["stale"] ?? "?"); no effects in the log)",
            "  fires now, not before: 3, e.g. T-1 (T-1/idle/stale/2026-11-20T14:00:00Z), T-2 (T-2/idle/stale/2026-11-21T12:00:00Z), "
                + "T-3 (T-3/idle/stale/2026-11-21T13:00:00Z)",
            "",
            "urgent  (candidate \(versions["urgent"] ?? "?"); deployed \(deployed?.keys.first ?? "?"))",
            "  fired before, not now: 1, e.g. T-2 (e2)",
            "",
            "summary: 2 of 2 workflows fire differently: 3 firings new, 1 gone, 0 changed",
        ])
    }

    @Test func backtest_json_reportsCountsPerWorkflow_andASummaryForCI() async throws {
        let scratch = try await Self.recorded()

        let result = try await scratch.run(
            "backtest", "--log", "log.sqlite", "--since", "2026-11-21T00:00:00Z", "--workflows", "candidate", "--format", "json")

        #expect(result.status == 0, "\(result.stderr)")
        let objects = try jsonObjects(result.stdout)
        let urgent = try #require(objects.compactMap { $0["workflow"] as? [String: Any] }.first { $0["workflow"] as? String == "urgent" })
        #expect((urgent["candidate"] as? [String: Any])?["fired"] as? Int == 1)
        #expect((urgent["deployed"] as? [String: Any])?["fired"] as? Int == 2)
        #expect(((urgent["deployed"] as? [String: Any])?["tickets"] as? [String: Int]) == ["escalate": 2])
        #expect(urgent["same"] as? Int == 1)
        let gone = try #require(urgent["only_deployed"] as? [String: Any])
        #expect(gone["count"] as? Int == 1)
        #expect((gone["examples"] as? [[String: String]]) == [["ticket": "T-2", "event": "e2"]])
        let summary = try #require(objects.last?["summary"] as? [String: Any])
        #expect(summary["events"] as? Int == 3)
        #expect(summary["since"] as? String == "2026-11-21T00:00:00Z")
        #expect(summary["workflows_differing"] as? Int == 2)
        // From midnight, T-1's timer (due the day before, at 14:00) is not in the window.
        #expect(summary["only_candidate"] as? Int == 2)
        #expect(summary["only_deployed"] as? Int == 1)
    }

    @Test func backtest_ofTheDeployedWorkflows_findsNoDifference() async throws {
        let scratch = try await Self.recorded()

        let result = try await scratch.run("backtest", "--log", "log.sqlite", "--since", "1d", "--workflows", "deployed", "--diff-only")

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.last == "summary: no differences in 1 workflow")
        #expect(result.stdoutLines.count == 3)
    }

    @Test func backtest_withASinceThatIsNeitherADurationNorATime_isAUsageError() async throws {
        let scratch = try Scratch()

        let result = try await scratch.run("backtest", "--since", "last week")

        #expect(result.status == 64)
        #expect(result.stderr.contains(
            "--since must be a duration counted back from the log's last event (7d, 12h) or an RFC 3339 time such as 2026-11-15T00:00:00Z"))
    }
}
