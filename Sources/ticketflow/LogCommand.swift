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
