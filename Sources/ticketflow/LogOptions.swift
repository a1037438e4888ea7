import ArgumentParser

/// The options every `log` subcommand takes.
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "The event log (an SQLite file).")
    var log: String = "ticketflow.sqlite"

    @Option(help: "Output format: text, or json (one record per line).")
    var format: OutputFormat = .text
}
