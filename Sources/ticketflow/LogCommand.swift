import ArgumentParser
import Core
import EventLog

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the event log: its last records, or one ticket's timeline.",
        subcommands: [LogTailCommand.self, LogTicketCommand.self]
    )
}

struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "The event log (an SQLite file).")
    var log: String = "ticketflow.sqlite"

    @Option(help: "Output format: text, or json (one record per line).")
    var format: DryRunCommand.Format = .text
}

struct LogTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "Print the last records of the log.")

    @OptionGroup var options: LogOptions

    @Option(name: [.customShort("n"), .long], help: "How many records.")
    var count: Int = 20

    func run() async throws {
        guard let store = Composition.openLog(options.log, readOnly: true) else { throw ExitCode.problemsFound }
        let output = Output()
        for record in try await store.tail(max(0, count)) {
            output.line(options.format == .json ? JSONWriter.string(LogRendering.json(record)) : LogRendering.line(record))
        }
        output.flush()
    }
}

struct LogTicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Print one ticket's timeline: every event, and what each workflow did and why."
    )

    @OptionGroup var options: LogOptions

    @Argument(help: "The ticket id, e.g. T-1042.")
    var ticket: String

    func run() async throws {
        guard let store = Composition.openLog(options.log, readOnly: true) else { throw ExitCode.problemsFound }
        let records = LogRendering.causalOrder(try await store.records(ticket: ticket))
        guard !records.isEmpty else {
            Output.standardError.line("error: the log has no events for ticket \(ticket)")
            Output.standardError.flush()
            throw ExitCode.problemsFound
        }
        let effects = try await store.effects(ticket: ticket)
        let output = Output()
        for record in records {
            if options.format == .json {
                output.line(JSONWriter.string(LogRendering.json(record)))
                continue
            }
            output.line(LogRendering.line(record))
            // Effects that changed nothing or failed leave no event; show them under their trigger.
            for effect in effects where effect.eventID == record.event.id && effect.outcome != "applied" {
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
