import ArgumentParser
import Core
import EventLog

struct LogTicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Print one ticket's timeline: every event, and what each workflow did and why."
    )

    @OptionGroup var options: LogOptions

    @Argument(help: "The ticket id, e.g. T-1042.")
    var ticket: String

    func run() async throws {
        guard let store = await Composition.openStore(options.log, readOnly: true) else { throw ExitCode.problemsFound }
        let records = LogRendering.causalOrder(try await store.records(ticket: ticket))
        guard !records.isEmpty else {
            Output.standardError.line("error: the log has no events for ticket \(ticket)")
            Output.standardError.flush()
            throw ExitCode.problemsFound
        }
        let quiet = Dictionary(grouping: try await store.effects(ticket: ticket).filter { $0.outcome != "applied" }, by: \.eventID)
        let output = Output()
        for record in records {
            if options.format == .json {
                output.line(JSONWriter.string(record.json))
                continue
            }
            output.line(LogRendering.line(record))
            // Effects that changed nothing or failed leave no event; show them under their trigger.
            for effect in quiet[record.event.id] ?? [] {
                output.line("        \(effect.workflow) step \(effect.step): \(effect.action) \(effect.outcome)"
                    + (effect.detail.map { " (\($0))" } ?? ""))
            }
        }
        if options.format == .text, let state = try await store.tickets([ticket])[ticket] {
            output.line("now: " + LogRendering.ticketSummary(state))
        }
        output.flush()
    }
}
