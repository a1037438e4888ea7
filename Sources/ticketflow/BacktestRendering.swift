import Core
import Engine

/// How `backtest` prints its report: lines of text for people, or one JSON
/// object per workflow and a summary object for CI.
enum BacktestRendering {
    static func text(_ report: BacktestReport, workflows: String, diffOnly: Bool) -> [String] {
        var lines: [String] = []
        var header = "backtest of \(workflows): \(counted(report.eventsReplayed, "event")) replayed from \(report.since)"
        if let end = report.end { header += " to \(end)" }
        if let first = report.firstPosition, let last = report.lastPosition { header += " (log positions \(first)-\(last))" }
        var parts = [counted(report.timerEvents, "timer event"), "\(counted(report.recordsFolded, "earlier record")) folded into the starting state"]
        if report.lateEvents > 0 { parts.append(counted(report.lateEvents, "late event") + " merged, not replayed") }
        lines.append(header + "; " + parts.joined(separator: ", "))
        for workflow in report.workflows where !diffOnly || workflow.hasDifferences {
            lines.append("")
            lines += text(workflow, diffOnly: diffOnly)
        }
        lines.append("")
        lines.append(summaryText(report))
        return lines
    }

    private static func text(_ workflow: WorkflowComparison, diffOnly: Bool) -> [String] {
        let deployed = workflow.deployedVersions.isEmpty
            ? "no effects in the log"
            : "deployed " + workflow.deployedVersions.sorted { $0.key < $1.key }.map(\.key).joined(separator: ", ")
        let candidate = workflow.candidateVersion.map { "candidate \($0)" } ?? "not in the candidate workflows"
        var lines = ["\(workflow.workflow)  (\(candidate); \(deployed))"]
        if !diffOnly {
            lines.append("  fired \(counted(workflow.candidate.fired, "time")) (deployed \(workflow.deployed.fired))")
            let actions = Set(workflow.candidate.tickets.keys).union(workflow.deployed.tickets.keys).sorted()
            if !actions.isEmpty {
                let counts = actions.map {
                    "\($0) \(workflow.candidate.tickets[$0]?.count ?? 0) (deployed \(workflow.deployed.tickets[$0]?.count ?? 0))"
                }
                lines.append("  tickets: " + counts.joined(separator: ", "))
            }
        }
        func difference(_ label: String, _ difference: FiringDifference) {
            guard difference.count > 0 else { return }
            var line = "  \(label): \(difference.count)"
            if !difference.examples.isEmpty {
                line += ", e.g. " + difference.examples.map { "\($0.ticket) (\($0.eventID))" }.joined(separator: ", ")
            }
            lines.append(line)
        }
        difference("fires now, not before", workflow.onlyCandidate)
        difference("fired before, not now", workflow.onlyDeployed)
        difference("fires in both, differently", workflow.changed)
        if !diffOnly, workflow.same > 0 { lines.append("  fires in both, the same: \(workflow.same)") }
        return lines
    }

    private static func summaryText(_ report: BacktestReport) -> String {
        let differing = report.workflows.filter(\.hasDifferences)
        guard !differing.isEmpty else {
            return "summary: no differences in \(counted(report.workflows.count, "workflow"))"
        }
        let onlyCandidate = differing.reduce(0) { $0 + $1.onlyCandidate.count }
        let onlyDeployed = differing.reduce(0) { $0 + $1.onlyDeployed.count }
        let changed = differing.reduce(0) { $0 + $1.changed.count }
        return "summary: \(differing.count) of \(counted(report.workflows.count, "workflow")) fire differently: "
            + "\(counted(onlyCandidate, "firing")) new, \(onlyDeployed) gone, \(changed) changed"
    }

    static func json(_ report: BacktestReport, diffOnly: Bool) -> [Value] {
        var objects: [Value] = []
        for workflow in report.workflows where !diffOnly || workflow.hasDifferences {
            var fields: [(String, Value)] = [
                ("workflow", .string(workflow.workflow)),
                ("candidate_version", workflow.candidateVersion.map(Value.string) ?? .null),
                ("deployed_versions", .object(Value.Object(
                    workflow.deployedVersions.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))),
            ]
            if !diffOnly {
                fields.append(("candidate", json(workflow.candidate)))
                fields.append(("deployed", json(workflow.deployed)))
                fields.append(("same", .int(workflow.same)))
            }
            fields += [
                ("only_candidate", json(workflow.onlyCandidate)), ("only_deployed", json(workflow.onlyDeployed)),
                ("changed", json(workflow.changed)),
            ]
            objects.append(.object(Value.Object([("workflow", .object(Value.Object(fields)))])))
        }
        let differing = report.workflows.filter(\.hasDifferences)
        var summary: [(String, Value)] = [
            ("since", .string(report.since.description)), ("end", report.end.map { .string($0.description) } ?? .null),
            ("events", .int(report.eventsReplayed)), ("timer_events", .int(report.timerEvents)),
            ("records_folded", .int(report.recordsFolded)), ("late_events", .int(report.lateEvents)),
            ("workflows", .int(report.workflows.count)), ("workflows_differing", .int(differing.count)),
            ("only_candidate", .int(differing.reduce(0) { $0 + $1.onlyCandidate.count })),
            ("only_deployed", .int(differing.reduce(0) { $0 + $1.onlyDeployed.count })),
            ("changed", .int(differing.reduce(0) { $0 + $1.changed.count })),
        ]
        if let first = report.firstPosition, let last = report.lastPosition {
            summary += [("first_position", .int(Int(first))), ("last_position", .int(Int(last)))]
        }
        objects.append(.object(Value.Object([("summary", .object(Value.Object(summary)))])))
        return objects
    }

    private static func json(_ activity: WorkflowActivity) -> Value {
        .object(Value.Object([
            ("fired", .int(activity.fired)),
            ("effects", .object(Value.Object(activity.effects.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))),
            ("tickets", .object(Value.Object(activity.tickets.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value.count)) }))),
        ]))
    }

    private static func json(_ difference: FiringDifference) -> Value {
        .object(Value.Object([
            ("count", .int(difference.count)),
            ("examples", .array(difference.examples.map {
                .object(Value.Object([("ticket", .string($0.ticket)), ("event", .string($0.eventID))]))
            })),
        ]))
    }
}
