import ArgumentParser
import Core
import Engine
import EventLog
import Workflows

struct DryRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Show what workflows would do with a file of events, changing nothing.",
        discussion: """
            Reads JSON Lines (one event per line; `-` for standard input) and prints, event by \
            event, which workflows fired and what each step would do with its parameters rendered. \
            Nothing is written anywhere and no plugin is called. A malformed line is reported with \
            its line number and field path and the rest of the file still runs; the exit code is \
            then 1.
            """
    )

    @Option(name: .long, help: "Folder (or file) of workflows.")
    var workflows: String = "workflows"

    @OptionGroup var pluginOptions: PluginOptions

    @Argument(help: "Events file in JSON Lines; `-` reads standard input.")
    var events: String

    @Option(help: "Output format: text for people, json (one object per line) for scripts and CI.")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "Also show events where nothing fired, and why each workflow did not.")
    var all = false

    @Option(name: .customLong("from-log"), help: "Start from the tickets of this event log (an SQLite file or a postgres:// URL; read, never written); events already in it are skipped.")
    var fromLog: String?

    @Option(name: .long, help: "After the last event, move the clock to this time (RFC 3339, or `now`) and fire the idle timers due by then.")
    var now: String?

    @Option(name: .long, help: "How many generations of follow-up events to process.")
    var maxCascadeDepth: Int = 4

    func validate() throws {
        guard maxCascadeDepth >= 0 else { throw ValidationError("--max-cascade-depth must be 0 or more") }
        _ = try Clock.parse(now)
    }

    func run() async throws {
        guard let (workflowSet, config, actions) = Composition.loadRunnable(workflows, plugins: pluginOptions.plugins) else { throw ExitCode.problemsFound }
        let plugins = Composition.installedPlugins(pluginOptions.plugins)
        var baseLog: (any EventStore)?
        if let fromLog {
            guard let store = await Composition.openStore(fromLog, readOnly: true) else { throw ExitCode.problemsFound }
            baseLog = store
        }
        guard let reader = Composition.openEvents(events) else { throw ExitCode.problemsFound }
        var engine = Engine(
            workflows: workflowSet, actions: actions,
            options: Engine.Options(
                maxCascadeDepth: maxCascadeDepth, explainNonMatches: all, evaluateAllListeners: all,
                calendar: config.businessCalendar))
        var session = DryRunSession()
        let preview = PluginRequestPreview(plugins: plugins)
        if let baseLog {
            // A sharded daemon keeps a schedule's state per shard: take the latest.
            let shared = ShardLogView.mergingShardSchedules(try await baseLog.tickets(withPrefix: "~"))
            for (id, state) in shared { session.tickets.load(id, state) }
            engine.restoreTimers(from: session.tickets)
        }
        /// Timers and ticks may concern tickets of the log that this file never mentions.
        func loadDue(by time: Timestamp) async throws {
            guard let baseLog else { return }
            if engine.scheduleTickDue(by: time, tickets: session.tickets) {
                for (id, state) in ShardLogView.mergingShardSchedules(try await baseLog.tickets(withPrefix: ""))
                where session.tickets[id] == nil {
                    session.tickets.load(id, state)
                }
            }
            let unknown = engine.ticketsWithTimersDue(by: time).filter { session.tickets[$0] == nil }
            if !unknown.isEmpty {
                for (id, state) in try await baseLog.tickets(Array(unknown)) { session.tickets.load(id, state) }
            }
        }
        let output = Output()
        let lines = BackgroundEventReader(reader)
        for line in lines {
            switch line.result {
            case .failure(let diagnostic):
                session.rejected += 1
                report(diagnostic, to: output)
            case .success(let event):
                switch session.admit(event, line: line.number, file: lines.path) {
                case .duplicate:
                    continue
                case .conflict(let diagnostic):
                    report(diagnostic, to: output)
                    continue
                case .new:
                    break
                }
                if let baseLog {
                    if let stored = try await baseLog.record(eventID: event.id) {
                        if stored.event.payload == event.payload {
                            session.duplicates += 1
                        } else {
                            session.conflicts += 1
                            session.rejected += 1
                            report(Diagnostic(
                                .duplicateEvent,
                                "event id \"\(event.id)\" is already in the log (position \(stored.position)) with a different body",
                                at: SourceLocation(file: lines.path, line: line.number, column: 1)), to: output)
                        }
                        continue
                    }
                    if session.tickets[event.ticketID] == nil,
                        let state = try await baseLog.tickets([event.ticketID])[event.ticketID]
                    {
                        session.tickets[event.ticketID] = state
                    }
                }
                // The clock follows the events: timers due before this one fire first.
                engine.primeSchedules(at: event.occurredAt, tickets: &session.tickets)
                try await loadDue(by: event.occurredAt)
                for fired in engine.fireTimers(until: event.occurredAt, tickets: &session.tickets) {
                    show(fired, session: &session, output: output, preview: preview)
                }
                show(engine.process(event, tickets: &session.tickets), session: &session, output: output, preview: preview)
            }
        }
        if let until = try Clock.parse(now) {
            try await loadDue(by: until)
            for fired in engine.fireTimers(until: until, tickets: &session.tickets) {
                show(fired, session: &session, output: output, preview: preview)
            }
        }
        switch format {
        case .json: output.line(JSONWriter.string(.object(Value.Object([("summary", session.summaryJSON)]))))
        case .text: output.line(session.summaryText)
        }
        output.flush()
        if session.rejected > 0 { throw ExitCode.problemsFound }
    }

    private func show(_ outcome: EventOutcome, session: inout DryRunSession, output: Output, preview: PluginRequestPreview) {
        session.count(outcome)
        guard all || outcome.anythingFired else { return }
        switch format {
        case .json: output.line(JSONWriter.string(preview.json(outcome, includeAll: all)))
        case .text:
            output.line(outcome.text(includeAll: all))
            for line in preview.lines(for: outcome) { output.line(line) }
        }
    }

    private func report(_ diagnostic: Diagnostic, to output: Output) {
        switch format {
        case .json:
            var error = Value.Object([("code", .string(diagnostic.code.rawValue)), ("message", .string(diagnostic.message))])
            if let location = diagnostic.location {
                error["file"] = .string(location.file)
                error["line"] = .int(location.line)
                error["column"] = .int(location.column)
            }
            if let hint = diagnostic.hint { error["hint"] = .string(hint) }
            output.line(JSONWriter.string(.object(Value.Object([("error", .object(error))]))))
        case .text:
            Output.standardError.line(diagnostic.description)
            Output.standardError.flush()
        }
    }
}
