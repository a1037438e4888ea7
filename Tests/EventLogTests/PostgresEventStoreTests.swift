import Core
import EventLog
import Foundation
import PostgresNIO
import PostgresTestSupport
@testable import PostgresEventLog
import Testing

/// What only the PostgreSQL store has to show: its schema, its migrations,
/// and positions that stay contiguous and in commit order under
/// concurrent writers. The behaviour shared with the other stores is in
/// `EventStoreConformance`.
@Suite("PostgreSQL event store", .enabled(if: PostgresScratch.isEnabled))
struct PostgresEventStoreTests {
    static let t0 = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)

    static func event(_ id: String, ticket: String = "T-1") -> Event {
        Event(
            id: id, type: "ticket.created", occurredAt: t0, ticketID: ticket,
            payload: ["id": .string(id), "type": "ticket.created", "ticket": ["id": .string(ticket)]])
    }

    /// Runs `body` with an open store on a fresh database, and the database's URL.
    private func withStore(_ body: (PostgresEventStore, String) async throws -> Void) async throws {
        try await PostgresScratch.withDatabase { url in
            let store = try await PostgresEventStore.open(url: url)
            do {
                try await body(store, url)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }

    /// Runs one statement on the database at `url`, outside the store.
    private func execute(_ sql: String, on url: String) async throws {
        try await PostgresScratch.admin(try PostgresLocation(url: url)) { client in
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    private func serverMessage(of error: any Error) -> String {
        (error as? PSQLError)?.serverInfo?[.message] ?? "\(error)"
    }

    // MARK: - Schema

    @Test func migrate_isIdempotent_andOpenChecksTheSchema() async throws {
        try await withStore { _, url in
            // `withDatabase` migrated it already.
            #expect(try await PostgresEventStore.migrate(url: url) == [])

            try await execute("DELETE FROM ticketflow_migrations WHERE name = 'v2-shards'", on: url)
            let behind = await #expect(throws: PostgresEventStoreError.self) {
                try await PostgresEventStore.open(url: url)
            }
            #expect(behind?.description.contains("has schema v1, not \(PostgresEventStore.schemaVersion)") == true)

            try await execute("INSERT INTO ticketflow_migrations (name) VALUES ('v2-shards'), ('v99')", on: url)
            let ahead = await #expect(throws: PostgresEventStoreError.self) {
                try await PostgresEventStore.open(url: url)
            }
            #expect(ahead?.description.contains("migrated by a newer Ticketflow (migration v99)") == true)
        }
    }

    @Test func open_ofADatabaseWithoutTheLog_saysToRunMigrate() async throws {
        try await PostgresScratch.withDatabase { url in
            try await execute("DROP TABLE ticketflow_migrations", on: url)

            let error = await #expect(throws: PostgresEventStoreError.self) {
                try await PostgresEventStore.open(url: url)
            }

            #expect(error?.description.hasSuffix("has no Ticketflow event log; create it with `ticketflow migrate --store \(try PostgresLocation(url: url))`") == true)
        }
    }

    @Test func schema_refusesToUpdateDeleteOrTruncateEventsAndEffects() async throws {
        try await withStore { store, url in
            _ = try await store.append([Self.event("e1")], recordedAt: Self.t0)
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 1,
                effects: [EffectRecord(
                    eventID: "e1", workflow: "w", step: "1", workflowVersion: "v", ticketID: "T-1", action: "tag",
                    parameters: [:], outcome: "applied", detail: nil, followUpEventID: nil, recordedAt: Self.t0)]))

            for (sql, message) in [
                ("UPDATE events SET type = 'x'", "the event log is append-only: events cannot be updated"),
                ("DELETE FROM events", "the event log is append-only: events cannot be deleted"),
                ("TRUNCATE events CASCADE", "the event log is append-only: events cannot be truncated"),
                ("UPDATE effects SET outcome = 'x'", "the event log is append-only: effects cannot be updated"),
                ("DELETE FROM effects", "the event log is append-only: effects cannot be deleted"),
            ] {
                do {
                    try await execute(sql, on: url)
                    Issue.record("\(sql) succeeded")
                } catch {
                    #expect(serverMessage(of: error) == message)
                }
            }
            #expect(try await store.lastPosition() == 1)
            #expect(try await store.effects(eventID: "e1").count == 1)
        }
    }

    @Test func schema_refusesHalfACausation() async throws {
        try await withStore { _, url in
            await #expect(throws: (any Error).self) {
                try await execute("""
                    INSERT INTO events (position, event_id, ticket_id, ticket_hash, type, occurred_at, recorded_at,
                        payload, caused_by_event) VALUES (1, 'x', 'T-1', 0, 't', 0, 0, '{}', 'e0')
                    """, on: url)
            }
        }
    }

    @Test func readOnlyOpen_readsTheLog_andRefusesWrites_evenThroughTheServer() async throws {
        try await withStore { store, url in
            _ = try await store.append([Self.event("e1")], recordedAt: Self.t0)
            let reader = try await PostgresEventStore.open(url: url, readOnly: true)

            #expect(try await reader.records(after: 0, limit: 10).map(\.event.id) == ["e1"])
            await #expect(throws: PostgresEventStoreError.openedReadOnly(reader.location.description)) {
                try await reader.append([Self.event("e2")], recordedAt: Self.t0)
            }
            // The session itself is read-only: even SQL the store never runs is refused.
            await #expect(throws: (any Error).self) {
                try await reader.client.query("CREATE TABLE sneaky (x int)")
            }
            await reader.close()
        }
    }

    /// A daemon stopped inside a transaction must not hold the append or
    /// shared-state lock for good: the server ends sessions idle in one.
    @Test func transactionsLeftIdle_areEndedByTheServer() async throws {
        try await withStore { store, _ in
            let shown = try await store.transaction { connection in
                try await store.lockForAppend(on: connection)
                var shown: [String] = []
                for try await value in try await connection.query("SHOW idle_in_transaction_session_timeout", logger: store.logger).decode(String.self) {
                    shown.append(value)
                }
                return shown
            }
            #expect(shown == ["5s"])
            // The same for a single consumer's commit, which locks its checkpoint.
            let shownInCommit = try await store.transaction { connection in
                _ = try await store.lockCheckpoint(of: "consumer", on: connection)
                var shown: [String] = []
                for try await value in try await connection.query("SHOW idle_in_transaction_session_timeout", logger: store.logger).decode(String.self) {
                    shown.append(value)
                }
                return shown
            }
            #expect(shownInCommit == ["5s"])
        }
    }

    @Test func aStoredSharedState_isItsBasis_byteForByte_orOnceReadAndWrittenAgain() {
        #expect(PostgresEventStore.holds(#"{"a":1}"#, #"{"a":1}"#))
        #expect(PostgresEventStore.holds(nil, nil))
        #expect(!PostgresEventStore.holds(#"{"a":1}"#, nil))
        #expect(!PostgresEventStore.holds(nil, #"{"a":1}"#))
        // Written by hand, or by another version: same meaning, other spacing.
        #expect(PostgresEventStore.holds(#"{ "a" : 1 }"#, #"{"a":1}"#))
        #expect(!PostgresEventStore.holds(#"{"a":2}"#, #"{"a":1}"#))
        #expect(!PostgresEventStore.holds("not json", #"{"a":1}"#))
    }

    @Test func location_parsesTheURL_andNeverShowsThePassword() throws {
        let location = try PostgresLocation(url: "postgres://ana:s%40cret@db.example:6543/tickets?sslmode=require")

        #expect(location.username == "ana")
        #expect(location.password == "s@cret")
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.database == "tickets")
        #expect(location.tls == .require)
        #expect(location.description == "postgres://ana@db.example:6543/tickets")
        #expect(throws: PostgresEventStoreError.self) { try PostgresLocation(url: "postgres://db.example/tickets") }
        let error = #expect(throws: PostgresEventStoreError.self) {
            try PostgresLocation(url: "postgres://ana:pw@db.example/tickets?sslmode=maybe")
        }
        #expect(error?.description.contains("pw") == false)
    }

    // MARK: - Positions under concurrent writers

    /// Writers hold their transactions open for random times after their
    /// records are written, some of them rolling back, while a reader
    /// follows the log from a cursor, as a consumer does. The reader must
    /// never see a gap (a position committed late behind one it already
    /// passed), and in the end it must have seen exactly the events whose
    /// append committed.
    @Test func concurrentWritersWithRandomDelays_aFollowerSeesEveryCommittedEvent_andNoGap() async throws {
        try await withStore { store, _ in
            let writersDone = Flag()
            // The follower reads as a consumer does: after its cursor, a page at a time.
            let follower = Task {
                var cursor: Int64 = 0
                var seen: [String] = []
                var gaps: [String] = []
                while true {
                    let page = try await store.records(after: cursor, limit: 5)
                    for record in page {
                        if record.position != cursor + 1 { gaps.append("after \(cursor) came \(record.position)") }
                        cursor = record.position
                        seen.append(record.event.id)
                    }
                    if page.isEmpty {
                        if writersDone.isSet, try await store.lastPosition() == cursor { break }
                        try await Task.sleep(for: .milliseconds(1))
                    }
                }
                return (cursor, seen, gaps)
            }

            let committed: [String] = try await withThrowingTaskGroup(of: [String].self) { group in
                for writer in 0..<6 {
                    group.addTask {
                        var stored: [String] = []
                        for round in 0..<12 {
                            let events = (0..<Int.random(in: 1...4)).map {
                                Self.event("w\(writer)-r\(round)-\($0)", ticket: "T-\(Int.random(in: 1...20))")
                            }
                            let rollsBack = Int.random(in: 0..<6) == 0
                            do {
                                let outcomes = try await store.append(events, recordedAt: Self.t0) {
                                    try await Task.sleep(for: .milliseconds(Int.random(in: 0...20)))
                                    if rollsBack { throw RolledBack() }
                                }
                                #expect(outcomes.allSatisfy { if case .appended = $0 { true } else { false } })
                                stored += events.map(\.id)
                            } catch is RolledBack {}
                        }
                        return stored
                    }
                }
                var all: [String] = []
                for try await stored in group { all += stored }
                return all
            }
            writersDone.set()
            let (last, seen, gaps) = try await follower.value

            #expect(gaps.isEmpty)
            #expect(seen.count == committed.count)
            #expect(Set(seen) == Set(committed))
            #expect(last == Int64(committed.count))
            #expect(try await store.records(after: 0, limit: 10_000).map(\.position) == Array(1...last))
        }
    }

    private struct RolledBack: Error {}

    /// Set once, read from any task.
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }
}
