import Actions
import ArgumentParser
import Core
import Engine
import EventLog
import Plugins
import Workflows

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Why did — or didn't — each workflow fire on an event?",
        discussion: """
            Shows what the log recorded for the event (each workflow considered, fired or not, \
            and its effects), and for every workflow listening to the event's type, the part of \
            its condition that was false with the values it saw. The reasons come from replaying \
            the ticket's history through the current workflow files; when a file changed since \
            the event was processed, that is said.
            """
    )

    @Option(name: [.customLong("log"), .customLong("store")], help: "The event log: an SQLite file, or a postgres://user@host:port/database URL.")
    var log: String = "ticketflow.sqlite"

    @Option(name: .long, help: "Folder (or file) of workflows, to explain conditions.")
    var workflows: String = "workflows"

    @OptionGroup var pluginOptions: PluginOptions

    @Argument(help: "The event id, e.g. evt-7f3a.")
    var eventID: String

    func run() async throws {
        guard let store = await Composition.openStore(log, readOnly: true) else { throw ExitCode.problemsFound }
        guard let record = try await store.record(eventID: eventID) else {
            Output.standardError.line("error: the log has no event with id \"\(eventID)\"")
            Output.standardError.flush()
            throw ExitCode.problemsFound
        }
        let output = Output()
        output.line(LogRendering.line(record))
        if let cause = record.causation {
            output.line("  appended by workflow \(cause.workflow) (version \(cause.workflowVersion)), step \(cause.step), for event \(cause.eventID)")
        }
        let recorded = try await store.evaluation(eventID: eventID)
        let effects = try await store.effects(eventID: eventID)
        let outbox = try await store.tickets([PluginOutbox.stateKey])[PluginOutbox.stateKey]
        let replayed = try await replay(record, store: store)
        var names: [String] = recorded?.entries.map { $0.workflow } ?? []
        for evaluation in replayed?.evaluations ?? [] where !names.contains(evaluation.workflow) {
            names.append(evaluation.workflow)
        }
        if names.isEmpty { output.line("  no workflow listens to \(record.event.type)") }
        if recorded == nil, !names.isEmpty {
            output.line("  (no evaluation record is kept for this event; the reasons below come from a replay)")
        }
        var changedFiles: [String] = []
        for name in names {
            let entry = recorded?.entries.first { $0.workflow == name }
            let now = replayed?.evaluations.first { $0.workflow == name }
            let result = entry?.result ?? now?.result.rawValue ?? "not_matched"
            switch result {
            case "fired":
                output.line("  ✓ \(name) fired")
                for effect in effects where effect.workflow == name {
                    var line = "      step \(effect.step): \(effect.action) \(JSONWriter.string(effect.parameters)) → \(effect.outcome)"
                    if let detail = effect.detail { line += " (\(detail))" }
                    output.line(line)
                    // A plugin call still open says where it stands.
                    if let followUp = effect.followUpEventID, !effect.step.contains("#"),
                        let status = PluginOutbox.describe(followUp, in: outbox)
                    {
                        output.line("        plugin call \(followUp): \(status)")
                    }
                }
            case "skipped":
                output.line("  · \(name) skipped: \(entry?.reason ?? now?.reason ?? "")")
            default:
                // Without a record (pruned, or an older log) nobody knows whether the index ruled it out.
                let considered = recorded != nil && entry == nil ? " (ruled out by the trigger index)" : ""
                output.line("  ✗ \(name) did not fire\(considered)")
                for line in (entry?.reason ?? now?.reason ?? "its condition was false").split(separator: "\n") {
                    output.line("      " + line)
                }
            }
            if let entry, let now, entry.version != now.version { changedFiles.append(name) }
        }
        if !changedFiles.isEmpty {
            output.line("  note: \(changedFiles.joined(separator: ", ")) changed since this event was processed; reasons not recorded then come from the current files")
        }
        output.flush()
    }

    /// Runs the ticket's incoming events through the current workflows, with
    /// every listener evaluated and explained, and returns the outcome for
    /// this event (found in the cascade when it is an engine event).
    private func replay(_ record: LogRecord, store: some EventStore) async throws -> EventOutcome? {
        let plugins = PluginManifestLoader.loadAll(folder: pluginOptions.plugins, reserved: Composition.actions.catalog.names).plugins
        let loaded = Composition.loader(plugins: plugins).load(workflows)
        guard !loaded.diagnostics.hasErrors else { return nil }
        var engine = Engine(
            workflows: loaded.workflows,
            actions: Composition.actions(for: loaded.workflows, plugins: plugins)
                ?? ActionRegistry(BuiltinActions.all() + Composition.pluginActions(plugins)),
            options: Engine.Options(
                explainNonMatches: true, evaluateAllListeners: true, calendar: ProjectConfig.load().0.businessCalendar))
        var tickets = TicketProjection()
        for earlier in try await store.records(ticket: record.event.ticketID) where earlier.isIncoming {
            let outcome = engine.process(earlier.event, tickets: &tickets)
            if let found = Self.find(record.event.id, in: outcome) { return found }
            if earlier.position >= record.position { break }
        }
        return nil
    }

    static func find(_ id: String, in outcome: EventOutcome) -> EventOutcome? {
        if outcome.event.id == id { return outcome }
        for child in outcome.cascade {
            if let found = find(id, in: child) { return found }
        }
        return nil
    }
}
