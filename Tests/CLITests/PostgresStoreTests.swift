import Foundation
import PostgresEventLog
import PostgresTestSupport
import Testing

/// The commands on a PostgreSQL store: `migrate`, then `run`, `log`,
/// `explain` behave exactly as on an SQLite file, and a store that cannot
/// be used is reported at once, without its password.
@Suite("CLI on PostgreSQL", .enabled(if: PostgresScratch.isEnabled))
struct PostgresStoreTests {
    @Test func run_logAndExplain_onPostgreSQL_printWhatTheyPrintOnSQLite() async throws {
        try await PostgresScratch.withDatabase { url in
            let scratch = try Scratch()
            try LogCommandsTests.writeWorkflows(scratch)
            try scratch.write("events.jsonl", [LogCommandsTests.e1, LogCommandsTests.e2].joined(separator: "\n") + "\n")

            // `withDatabase` migrated it; migrating again changes nothing.
            let migrate = try await scratch.run("migrate", "--store", url)
            #expect(migrate.status == 0)
            #expect(migrate.stdoutLines == [
                "migrate: \(PostgresLocation.redacted(url)) is up to date (schema \(PostgresEventStore.schemaVersion))",
            ])

            for arguments in [
                ["run", "--quiet", "--workflows", "wf", "events.jsonl"],
                ["log", "tail", "-n", "50"],
                ["log", "ticket", "T-1"],
                ["explain", "e1", "--workflows", "wf"],
            ] {
                let onSQLite = try await scratch.run(arguments + ["--log", "log.sqlite"])
                let onPostgres = try await scratch.run(arguments + ["--store", url])
                #expect(onPostgres.status == onSQLite.status, "\(arguments)")
                #expect(
                    Self.normalised(onPostgres.stdout, log: url) == Self.normalised(onSQLite.stdout, log: "log.sqlite"),
                    "\(arguments)")
                #expect(
                    Self.normalised(onPostgres.stderr, log: url) == Self.normalised(onSQLite.stderr, log: "log.sqlite"),
                    "\(arguments)")
            }
        }
    }

    /// Output with the store's name as LOG, and the times at which records
    /// were stored (the wall clock of each run) as TIME.
    static func normalised(_ text: String, log: String) -> String {
        text.replacingOccurrences(of: log, with: "LOG").replacingOccurrences(
            of: #"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, with: "TIME", options: .regularExpression)
    }

    @Test func aStoreThatCannotBeUsed_isReportedAtOnce_withoutItsPassword() async throws {
        let scratch = try Scratch()
        let refused = try await scratch.run("log", "tail", "--store", "postgres://ana:hunter2@127.0.0.1:1/support?sslmode=disable")

        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error[E0001]: cannot connect to postgres://ana@127.0.0.1:1/support: "))
        #expect(!refused.stderr.contains("hunter2"))
    }
}
