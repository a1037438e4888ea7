import ArgumentParser
import Core
import Engine
import EventLog
import Foundation
import Plugins
import Workflows

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Append events to the log and run the workflows on them, durably.",
        discussion: """
            Events (JSON Lines from a file, or `-` for standard input) are appended to the log \
            in batches; after each batch the engine processes everything not yet processed and \
            commits effects, the events they cause, and its checkpoint in one transaction. Kill \
            it at any moment and run the same command again: nothing is lost, and no action is \
            applied twice (events already in the log are reported as duplicates). Exits 1 if a \
            line was rejected or an id was reused with a different body.
            """
    )

    @Option(name: .long, help: "Folder (or file) of workflows.")
    var workflows: String = "workflows"

    @OptionGroup var pluginOptions: PluginOptions

    @Option(name: [.customLong("log"), .customLong("store")], help: "The event log: an SQLite file (created if missing), or a postgres://user@host:port/database URL (made by `ticketflow migrate`).")
    var log: String = "ticketflow.sqlite"

    @Argument(help: "Events file in JSON Lines; `-` reads standard input.")
    var events: String = "-"

    @Option(name: .long, help: "Events appended and processed per transaction.")
    var batchSize: Int = 500

    @Option(name: .long, help: "Keep evaluation records (for explain) this long, e.g. 30d; default: forever.")
    var keepEvaluations: String?

    @Option(name: .long, help: "After the last event, move the clock to this time (RFC 3339, or `now`) and fire the idle timers due by then.")
    var now: String?

    @Flag(name: .long, help: "After the input, keep running on the real clock: fire idle timers and schedule ticks as they fall due, until stopped.")
    var follow = false

    @Option(name: .long, help: "How long to wait for a plugin call's next try before leaving it waiting in the log, e.g. 30s or 5m.")
    var pluginWait: String = "1m"

    @Flag(name: .long, help: "Print only problems and the summary.")
    var quiet = false

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        _ = try Clock.parse(now)
        guard Duration.parseSpan(pluginWait) != nil else { throw ValidationError("--plugin-wait must be a duration such as 30s or 5m") }
        if let keepEvaluations, TimeSpan.parse(keepEvaluations) == nil {
            throw ValidationError("--keep-evaluations must be a duration such as 7d or 12h")
        }
    }

    func run() async throws {
        guard let (workflowSet, config, actions) = Composition.loadRunnable(workflows, plugins: pluginOptions.plugins) else { throw ExitCode.problemsFound }
        let plugins = Composition.installedPlugins(pluginOptions.plugins)
        guard let store = await Composition.openStore(log) else { throw ExitCode.problemsFound }
        guard let reader = Composition.openEvents(events) else { throw ExitCode.problemsFound }
        let engine = Engine(
            workflows: workflowSet, actions: actions, options: Engine.Options(explainNonMatches: true, calendar: config.businessCalendar))
        var consumer = LogConsumer(engine: engine, store: store, now: Composition.now, batchSize: batchSize)
        var statistics = LogConsumer.Statistics()
        var counts = RunCounts()
        let progress = ProgressLine()
        // Whatever an earlier, interrupted run stored but did not process comes first.
        try await consumer.drain(into: &statistics)

        var pending: [(event: Event, line: Int)] = []
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let recordedAt = Composition.now()
            let outcomes = try await store.append(pending.map(\.event), recordedAt: recordedAt)
            var appended: [LogRecord] = []
            for ((event, line), outcome) in zip(pending, outcomes) {
                switch outcome {
                case .appended(let position):
                    counts.stored += 1
                    appended.append(LogRecord(position: position, event: event, recordedAt: recordedAt, causation: nil))
                case .duplicate: counts.duplicates += 1
                case .conflict(let position):
                    counts.conflicts += 1
                    Output.standardError.line(Diagnostic(
                        .duplicateEvent,
                        "event id \"\(event.id)\" is already in the log (position \(position)) with a different body; not stored",
                        at: SourceLocation(file: reader.path, line: line, column: 1)).description)
                }
            }
            pending.removeAll(keepingCapacity: true)
            try await consumer.drain(into: &statistics, known: appended)
            progress.update("\(counts.read) events read, \(statistics.eventsProcessed) processed")
        }
        for line in BackgroundEventReader(reader) {
            switch line.result {
            case .failure(let diagnostic):
                counts.rejected += 1
                Output.standardError.line(diagnostic.description)
            case .success(let event):
                counts.read += 1
                pending.append((event, line.number))
                if pending.count >= batchSize { try await flush() }
            }
        }
        try await flush()
        if let until = try Clock.parse(now) { try await consumer.fireTimers(until: until, into: &statistics) }
        progress.finish()
        // Plugin steps recorded requests; the dispatcher sends them now.
        // Only when a workflow uses a plugin: the dispatcher's first round reads the whole log.
        let used = plugins.filter { plugin in
            workflowSet.workflows.contains { $0.steps.contains { $0.action.hasPrefix(plugin.name + ".") } }
        }
        let dispatcher = used.isEmpty ? nil : PluginDispatcher(store: store, plugins: plugins, now: Composition.now)
        if follow {
            if let dispatcher { Task { try await dispatcher.run() } }
            Output.standardError.line(counts.summary(statistics, log: Composition.storeName(log), pruned: 0))
            Output.standardError.line("following the clock: timers and schedules fire as they fall due (stop with Ctrl-C)")
            Output.standardError.flush()
            while true {
                // Wake at the next due time, and at least every minute (a new schedule may start counting).
                let nowTime = Composition.now()
                let wake = try await consumer.nextWakeUp() ?? nowTime.adding(.minutes(1))
                let wait = min(max(0, wake.millisecondsSinceEpoch - nowTime.millisecondsSinceEpoch), 60_000)
                if wait > 0 { try await Task.sleep(for: .milliseconds(wait)) }
                let before = statistics.timersFired
                try await consumer.fireTimers(until: Composition.now(), into: &statistics)
                if statistics.timersFired > before, !quiet {
                    Output.standardError.line("\(Composition.now()): \(counted(statistics.timersFired - before, "timer event"))")
                    Output.standardError.flush()
                }
            }
        }
        var pluginReport: PluginDispatcher.Report?
        if let dispatcher {
            pluginReport = try await dispatcher.settle(maxWait: Duration.parseSpan(pluginWait) ?? .seconds(60))
            await dispatcher.shutdown()
        }
        var pruned = 0
        if let keepEvaluations, let span = TimeSpan.parse(keepEvaluations) {
            pruned = try await store.pruneEvaluations(before: Composition.now().adding(TimeSpan(milliseconds: -span.milliseconds)))
        }
        let output = Output()
        if !quiet {
            for warning in statistics.warnings.prefix(20) { Output.standardError.line("warning: " + warning) }
            if statistics.warnings.count > 20 {
                Output.standardError.line("warning: … and \(statistics.warnings.count - 20) more")
            }
        }
        Output.standardError.flush()
        output.line(counts.summary(statistics, log: Composition.storeName(log), pruned: pruned))
        if let pluginReport {
            var parts = ["\(pluginReport.succeeded) succeeded"]
            if pluginReport.failed > 0 { parts.append(counted(pluginReport.failed, "failed try", "failed tries")) }
            parts.append("\(pluginReport.parked) parked")
            parts.append("\(pluginReport.waiting) waiting")
            output.line("plugin calls: " + parts.joined(separator: ", "))
        }
        output.flush()
        if counts.rejected > 0 || counts.conflicts > 0 { throw ExitCode.problemsFound }
    }
}
