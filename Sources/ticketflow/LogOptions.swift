import ArgumentParser

/// The options every `log` subcommand takes.
struct LogOptions: ParsableArguments {
    @Option(name: [.customLong("log"), .customLong("store")], help: "The event log: an SQLite file, or a postgres://user@host:port/database URL.")
    var log: String = "ticketflow.sqlite"

    @Option(help: "Output format: text, or json (one record per line).")
    var format: OutputFormat = .text
}
