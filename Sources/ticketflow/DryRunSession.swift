import Core
import Engine

/// The state of one dry-run: ticket projections, the ids seen so far (an id
/// delivered twice is processed once) and the counts for the summary.
struct DryRunSession {
    enum Admission {
        case new
        /// The same event again: skipped, as the log would store it once.
        case duplicate
        /// The same id with a different body: reported, not silently dropped.
        case conflict(Diagnostic)
    }

    var tickets = TicketProjection()
    var rejected = 0
    var duplicates = 0
    var conflicts = 0
    var processed = 0
    var followUps = 0
    var runs = 0
    var effects = 0
    var failures = 0
    var timersFired = 0
    private var seen: [String: (hash: Int, line: Int)] = [:]

    /// Same id and same body (as the log compares them: the JSON value, not
    /// its spacing) is a redelivery; same id and another body is a conflict.
    mutating func admit(_ event: Event, line: Int, file: String) -> Admission {
        let hash = event.payload.hashValue
        if let earlier = seen[event.id] {
            if earlier.hash == hash {
                duplicates += 1
                return .duplicate
            }
            conflicts += 1
            rejected += 1
            return .conflict(Diagnostic(
                .duplicateEvent,
                "event id \"\(event.id)\" was already used at line \(earlier.line) with a different body",
                at: SourceLocation(file: file, line: line, column: 1)))
        }
        seen[event.id] = (hash, line)
        return .new
    }

    mutating func count(_ outcome: EventOutcome) {
        if outcome.event.type == "ticket.idle" || outcome.event.type == "ticket.scheduled", outcome.depth == 0 {
            timersFired += 1
        } else if outcome.depth == 0 {
            processed += 1
        } else {
            followUps += 1
        }
        for evaluation in outcome.evaluations where evaluation.result == .fired {
            runs += 1
            if evaluation.failure != nil { failures += 1 }
            effects += evaluation.effects.filter { $0.outcome == .applied }.count
        }
        for child in outcome.cascade { count(child) }
    }

    var summaryText: String {
        var parts = [
            counted(processed, "event"), counted(runs, "workflow run"), counted(effects, "effect"),
            counted(followUps, "follow-up event"),
        ]
        if timersFired > 0 { parts.append(counted(timersFired, "timer event")) }
        if failures > 0 { parts.append(counted(failures, "failed run")) }
        if duplicates > 0 { parts.append(counted(duplicates, "duplicate") + " skipped") }
        if rejected > 0 { parts.append("\(rejected) rejected") }
        return "dry-run: " + parts.joined(separator: ", ")
    }

    var summaryJSON: Value {
        .object(Value.Object([
            ("events", .int(processed)), ("workflow_runs", .int(runs)), ("effects", .int(effects)),
            ("follow_up_events", .int(followUps)), ("timers_fired", .int(timersFired)), ("failed_runs", .int(failures)), ("duplicates", .int(duplicates)),
            ("rejected", .int(rejected)),
        ]))
    }
}
