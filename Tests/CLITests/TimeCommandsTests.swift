import Foundation
import Testing

/// Time triggers through the commands: the clock moved by `--now`, and
/// schedule and timer state kept in the log between runs.
@Suite struct TimeCommandsTests {
    static let hourly = """
        workflow: hourly-open
        on: { schedule: "0 * * * *" }
        if: ticket.status == "open"
        steps:
          - tag: checked

        """

    @Test func run_withNowOnly_firesScheduleTicksRunAfterRun() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/hourly.yaml", Self.hourly)
        try scratch.write(
            "events.jsonl",
            #"{"id":"e1","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-1","status":"open"}}"# + "\n")
        var result = try await scratch.run("run", "--workflows", "wf", "--log", "log.sqlite", "--now", "2026-11-22T10:30:00Z", "events.jsonl")
        #expect(result.status == 0, "\(result.stderr)")
        // No new events: only the clock moves on, twice.
        for now in ["2026-11-22T12:30:00Z", "2026-11-22T14:30:00Z"] {
            result = try await scratch.run("run", "--workflows", "wf", "--log", "log.sqlite", "--now", now, "-")
            #expect(result.status == 0, "\(result.stderr)")
        }
        let timeline = try await scratch.run("log", "ticket", "T-1", "--log", "log.sqlite")
        let scheduled = timeline.stdoutLines.filter { $0.contains("ticket.scheduled") }.map {
            $0.split(separator: " ").first { $0.hasPrefix("T-1/schedule/") }.map(String.init) ?? $0
        }
        // Between runs nobody watched the clock: 11:00 and 12:00 collapse into 12:00, then 14:00 (13:00 collapses into it).
        #expect(scheduled == [
            "T-1/schedule/hourly-open/2026-11-22T12:00:00Z", "T-1/schedule/hourly-open/2026-11-22T14:00:00Z",
        ])
    }

    @Test func dryRun_fromLog_firesTheTimersStoredInTheLog() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/stale.yaml", "workflow: stale\non: { idle: 4h }\nsteps:\n  - tag: stale\n")
        try scratch.write(
            "events.jsonl",
            #"{"id":"e1","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-1"}}"# + "\n")
        let ran = try await scratch.run("run", "--workflows", "wf", "--log", "log.sqlite", "events.jsonl")
        #expect(ran.status == 0)
        try scratch.write("none.jsonl", "")
        let planned = try await scratch.run(
            "dry-run", "--format", "json", "--from-log", "log.sqlite", "--now", "2026-11-22T15:00:00Z", "--workflows", "wf",
            "none.jsonl")
        #expect(planned.status == 0, "\(planned.stderr)")
        let events = try jsonObjects(planned.stdout).compactMap { $0["event"] as? String }
        #expect(events == ["T-1/idle/stale/2026-11-22T14:00:00Z"])
    }
}
