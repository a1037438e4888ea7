import Core
import Engine

/// What `run` did with its input, for the summary line.
struct RunCounts {
    var read = 0
    var stored = 0
    var duplicates = 0
    var conflicts = 0
    var rejected = 0

    func summary(_ statistics: LogConsumer.Statistics, log: String, pruned: Int) -> String {
        var parts = [counted(read, "event") + " read", "\(stored) stored"]
        if duplicates > 0 { parts.append("\(duplicates) already in the log") }
        if conflicts > 0 { parts.append(counted(conflicts, "conflicting id")) }
        if rejected > 0 { parts.append(counted(rejected, "rejected line")) }
        var processing = [
            counted(statistics.eventsProcessed, "event") + " processed", counted(statistics.workflowRuns, "workflow run"),
            counted(statistics.effectsRecorded, "effect") + " recorded",
        ]
        if statistics.effectsAlreadyRecorded > 0 { processing.append("\(statistics.effectsAlreadyRecorded) already recorded") }
        if statistics.timersFired > 0 { processing.append(counted(statistics.timersFired, "timer event")) }
        if statistics.failedRuns > 0 { processing.append(counted(statistics.failedRuns, "failed run")) }
        if !statistics.warnings.isEmpty { processing.append(counted(statistics.warnings.count, "warning")) }
        if pruned > 0 { processing.append(counted(pruned, "old evaluation") + " pruned") }
        return "run: " + parts.joined(separator: ", ") + "; " + processing.joined(separator: ", ") + " → \(log)"
    }
}
