import ArgumentParser
import PostgresEventLog
import SQLiteEventLog

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the event log's tables, or upgrade them to this version.",
        discussion: """
            A PostgreSQL log must be migrated before any other command uses it; the other \
            commands only check its schema. Run it once per upgrade: it is safe to run again, \
            and several daemons' deployments running it at once migrate once. An SQLite file is \
            also migrated whenever it is opened for writing.
            """
    )

    @Option(name: [.customLong("store"), .customLong("log")], help: "The event log: an SQLite file, or a postgres://user@host:port/database URL.")
    var store: String = "ticketflow.sqlite"

    func run() async throws {
        let name = Composition.storeName(store)
        let output = Output()
        do {
            if PostgresLocation.isPostgresURL(store) {
                let applied = try await PostgresEventStore.migrate(url: store)
                output.line(applied.isEmpty
                    ? "migrate: \(name) is up to date (schema \(PostgresEventStore.schemaVersion))"
                    : "migrate: applied \(applied.joined(separator: ", ")) to \(name)")
            } else {
                let log = try SQLiteEventStore(path: store)
                try log.close()
                output.line("migrate: \(name) is at schema \(SQLiteEventStore.schemaVersion)")
            }
            output.flush()
        } catch {
            Output.standardError.line("migrate: cannot migrate \(name): \(error)")
            Output.standardError.flush()
            throw ExitCode.problemsFound
        }
    }
}
