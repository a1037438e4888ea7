import ArgumentParser
import Core
import Engine
import EventLog
import Foundation
import SQLiteEventLog
import Workflows

struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Try workflow changes on the log's history: what they would have done, next to what really ran.",
        discussion: """
            Replays the help-desk events of a window of the log through the candidate workflows, \
            in memory, on a clock that follows the events (idle timers and schedules fire as they \
            would have), starting from the ticket states as they stood when the window opened. \
            The log is only read. For each workflow it reports how often it would have fired and \
            on how many tickets each action would have acted, next to what the deployed workflows \
            did according to the log's effects, and the firings that differ, with example tickets. \
            A duration given to --since or --until counts back from the last event in the log.
            """
    )

    @Option(name: .long, help: "The event log (an SQLite file), read and never written.")
    var log: String = "ticketflow.sqlite"

    @Option(name: .long, help: "Folder (or file) of candidate workflows.")
    var workflows: String = "workflows"

    @Option(name: .long, help: "Start of the window: a duration before the log's last event (7d, 12h) or an RFC 3339 time.")
    var since: String

    @Option(name: .long, help: "End of the window (exclusive), written like --since; default: the end of the log.")
    var until: String?

    @Option(help: "Output format: text for people, json (one object per line) for scripts and CI.")
    var format: OutputFormat = .text

    @Flag(name: .customLong("diff-only"), help: "Show only the workflows that fire differently, and only the differences.")
    var diffOnly = false

    @Option(name: .long, help: "Example tickets shown per difference.")
    var examples: Int = 5

    @Option(name: .long, help: "How many generations of follow-up events to process.")
    var maxCascadeDepth: Int = 4

    func validate() throws {
        _ = try WindowBound(parsing: since, option: "--since")
        if let until { _ = try WindowBound(parsing: until, option: "--until") }
        guard examples >= 0 else { throw ValidationError("--examples must be 0 or more") }
        guard maxCascadeDepth >= 0 else { throw ValidationError("--max-cascade-depth must be 0 or more") }
    }

    func run() async throws {
        guard let (workflowSet, config, actions) = Composition.loadRunnable(workflows) else { throw ExitCode.problemsFound }
        guard let store = await Composition.openStore(log, readOnly: true) else { throw ExitCode.problemsFound }
        guard let lastEvent = try await Backtest.lastEventTime(in: store) else {
            Output.standardError.line("error: the log \(log) has no ticket events to replay")
            Output.standardError.flush()
            throw ExitCode.problemsFound
        }
        let start = try WindowBound(parsing: since, option: "--since").resolve(lastEvent: lastEvent)
        let end = try until.map { try WindowBound(parsing: $0, option: "--until").resolve(lastEvent: lastEvent) }
        if let end, end <= start {
            Output.standardError.line("error: the window is empty: --until (\(end)) is not after --since (\(start))")
            Output.standardError.flush()
            throw ExitCode.problemsFound
        }
        let engine = Engine(
            workflows: workflowSet, actions: actions,
            options: Engine.Options(maxCascadeDepth: maxCascadeDepth, calendar: config.businessCalendar))

        // Ticket states that do not fit in memory go to a scratch file, removed afterwards.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ticketflow-backtest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let scratch = try SQLiteEventStore(path: folder.appendingPathComponent("tickets.sqlite").path)
        defer { try? scratch.close() }

        var backtest = Backtest(
            engine: engine, log: store, scratch: scratch,
            options: Backtest.Options(since: start, until: end, examples: examples))
        let progress = ProgressLine()
        let report = try await backtest.run { step in
            progress.update(Self.progressText(step))
        }
        progress.finish()

        let output = Output()
        switch format {
        case .text:
            for line in BacktestRendering.text(report, workflows: workflows, diffOnly: diffOnly) { output.line(line) }
        case .json:
            for object in BacktestRendering.json(report, diffOnly: diffOnly) { output.line(JSONWriter.string(object)) }
        }
        output.flush()
    }

    /// `backtest [########............]  40%  400000 of 1000000 records, 240000 events replayed`
    static func progressText(_ step: Backtest.Progress) -> String {
        let fraction = step.lastPosition > 0 ? min(1, Double(step.position) / Double(step.lastPosition)) : 1
        let width = 20
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let percent = Int((fraction * 100).rounded(.down))
        return "backtest [\(bar)] \(String(repeating: " ", count: max(0, 3 - String(percent).count)))\(percent)%  "
            + "\(step.position) of \(step.lastPosition) records, \(counted(step.eventsReplayed, "event")) replayed"
    }
}
