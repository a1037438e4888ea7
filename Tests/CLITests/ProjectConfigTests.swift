import Foundation
import Testing

/// `ticketflow.yaml` and the business-hours functions that need it.
@Suite struct ProjectConfigTests {
    static let slaWorkflow = """
        workflow: sla
        on: ticket.updated
        if: business_hours_since(ticket.created_at) >= 8
        steps:
          - tag: sla-breached

        """

    @Test func validate_whenAWorkflowCountsBusinessHoursWithoutACalendar_saysWhatIsMissing() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/sla.yaml", Self.slaWorkflow)
        let result = try await scratch.run("validate", "wf")
        #expect(result.status == 1)
        #expect(result.stdoutLines == [
            "wf/sla.yaml:1:1: error[E0215]: workflow `sla` counts business hours, but ticketflow.yaml has no `business_hours` calendar",
            "1 error in 1 file",
        ])
    }

    @Test func validate_whenTheCalendarIsMalformed_namesTheField() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/sla.yaml", Self.slaWorkflow)
        try scratch.write("ticketflow.yaml", "business_hours:\n  time_zone: Europe/Berlin\n  weekly: { mon-fri: \"9-17\" }\n")
        let result = try await scratch.run("validate", "wf")
        #expect(result.status == 1)
        #expect(result.stdoutLines.first
            == #"ticketflow.yaml:2:3: error[E0215]: business_hours.weekly.mon-fri: "9-17" is not HH:MM-HH:MM"#)
    }

    @Test func dryRun_countsBusinessHoursInTheConfiguredCalendar() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/sla.yaml", Self.slaWorkflow)
        try scratch.write("ticketflow.yaml", "business_hours:\n  time_zone: UTC\n  weekly: { mon-fri: \"09:00-17:00\" }\n")
        // Created Friday 13:00: four business hours that day, none over the weekend,
        // none before Monday 09:00; the eighth is reached Monday at 13:00.
        let events = [
            #"{"id":"e1","type":"ticket.created","occurred_at":"2026-11-27T13:00:00Z","ticket":{"id":"T-1","created_at":"2026-11-27T13:00:00Z"}}"#,
            #"{"id":"e2","type":"ticket.updated","occurred_at":"2026-11-30T08:00:00Z","ticket":{"id":"T-1"}}"#,
            #"{"id":"e3","type":"ticket.updated","occurred_at":"2026-11-30T13:00:00Z","ticket":{"id":"T-1"}}"#,
        ]
        try scratch.write("events.jsonl", events.joined(separator: "\n") + "\n")
        let result = try await scratch.run("dry-run", "--format", "json", "--workflows", "wf", "events.jsonl")
        #expect(result.status == 0, "\(result.stderr)")
        let fired = try jsonObjects(result.stdout).compactMap { $0["event"] as? String }
        #expect(fired == ["e3"])
    }
}
