import Core
import EventLog
import Foundation
import GRDB
@testable import SQLiteEventLog
import Testing

/// What only the SQLite store has to prove: the file, its schema, and what
/// survives closing it. Raw SQL goes through a separate GRDB connection, as
/// another program touching the file would.
@Suite("SQLite event store")
struct SQLiteEventStoreTests {
    private typealias Fixture = EventStoreConformance

    /// Runs `body` with the path of a log file in a new scratch directory.
    private func withLogPath(_ body: (String) async throws -> Void) async throws {
        let directory = try Fixture.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("log.sqlite").path)
    }

    // MARK: - Schema

    @Test func open_createsTheFileWithTheCurrentSchemaInWALMode_andTheWriterSyncsFully() async throws {
        try await withLogPath { path in
            let store = try SQLiteEventStore(path: path)
            #expect(try store.writerSynchronousSetting() == 2)  // FULL
            try store.close()

            let raw = try DatabaseQueue(path: path)
            try raw.read { (db: Database) throws in
                #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
                #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == ["v1"])
                for table in ["events", "effects", "evaluations", "tickets", "checkpoints"] {
                    #expect(try db.tableExists(table), "missing table \(table)")
                }
            }
            #expect(SQLiteEventStore.schemaVersion == "v1")
        }
    }

    @Test func schema_refusesToUpdateOrDeleteEvents() async throws {
        try await withLogPath { path in
            let store = try SQLiteEventStore(path: path)
            _ = try await store.append([Fixture.event("e1")], recordedAt: Fixture.t0)

            let raw = try DatabaseQueue(path: path)
            try await raw.write { (db: Database) throws -> Void in
                let update = #expect(throws: DatabaseError.self) {
                    try db.execute(sql: "UPDATE events SET type = 'ticket.solved' WHERE event_id = 'e1'")
                }
                #expect(update?.message == "the event log is append-only: events cannot be updated")
                let delete = #expect(throws: DatabaseError.self) {
                    try db.execute(sql: "DELETE FROM events")
                }
                #expect(delete?.message == "the event log is append-only: events cannot be deleted")
            }
            #expect(try await store.record(eventID: "e1")?.event == Fixture.event("e1"))
        }
    }

    @Test func schema_refusesToUpdateOrDeleteEffects() async throws {
        try await withLogPath { path in
            let store = try SQLiteEventStore(path: path)
            _ = try await store.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 0, effects: [Fixture.effect(on: "e1")]))

            let raw = try DatabaseQueue(path: path)
            try await raw.write { (db: Database) throws -> Void in
                let update = #expect(throws: DatabaseError.self) {
                    try db.execute(sql: "UPDATE effects SET outcome = 'failed'")
                }
                #expect(update?.message == "the event log is append-only: effects cannot be updated")
                let delete = #expect(throws: DatabaseError.self) {
                    try db.execute(sql: "DELETE FROM effects WHERE event_id = 'e1'")
                }
                #expect(delete?.message == "the event log is append-only: effects cannot be deleted")
            }
            #expect(try await store.effects(eventID: "e1") == [Fixture.effect(on: "e1")])
        }
    }

    @Test func schema_refusesHalfACausation() async throws {
        try await withLogPath { path in
            _ = try SQLiteEventStore(path: path)

            let raw = try DatabaseQueue(path: path)
            try await raw.write { (db: Database) throws -> Void in
                #expect(throws: DatabaseError.self) {
                    try db.execute(sql: """
                        INSERT INTO events (event_id, ticket_id, type, occurred_at, recorded_at, payload, caused_by_event)
                        VALUES ('x', 'T-1', 'ticket.tagged', 0, 0, '{}', 'e1')
                        """)
                }
            }
        }
    }

    @Test func integrityCheck_ofAWrittenLog_isOK() async throws {
        try await withLogPath { path in
            let store = try SQLiteEventStore(path: path)
            _ = try await store.append((1...50).map { Fixture.event("e\($0)") }, recordedAt: Fixture.t0)

            #expect(try store.integrityCheck() == "ok")
        }
    }

    // MARK: - Atomicity

    @Test func append_thatFailsPartWay_storesNone_andLeavesNoGapInPositions() async throws {
        try await withLogPath { path in
            let store = try SQLiteEventStore(path: path)
            _ = try await store.append([Fixture.event("e1")], recordedAt: Fixture.t0)
            try Self.installFailure(in: path, sql: """
                CREATE TRIGGER test_failure BEFORE INSERT ON events WHEN NEW.event_id = 'boom'
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """)

            await #expect(throws: DatabaseError.self) {
                try await store.append(
                    [Fixture.event("e2"), Fixture.event("e3"), Fixture.event("boom")], recordedAt: Fixture.t0)
            }

            #expect(try await store.lastPosition() == 1)
            #expect(try await store.record(eventID: "e2") == nil)
            let retried = try await store.append([Fixture.event("e2")], recordedAt: Fixture.t0)
            #expect(retried == [.appended(position: 2)])
        }
    }

    @Test func commit_thatFailsPartWay_appliesNothing_andLeavesNoGapInPositions() async throws {
        try await withLogPath { path in
            let store = try SQLiteEventStore(path: path)
            _ = try await store.append([Fixture.event("e1")], recordedAt: Fixture.t0)
            try Self.installFailure(in: path, sql: """
                CREATE TRIGGER test_failure BEFORE INSERT ON tickets WHEN NEW.ticket_id = 'T-boom'
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """)

            await #expect(throws: DatabaseError.self) {
                try await store.commit(ConsumerBatch(
                    consumer: "engine", fromPosition: 0, toPosition: 1,
                    followUps: [(Fixture.event("f1", type: "ticket.tagged"), Fixture.causation("e1"))],
                    effects: [Fixture.effect(on: "e1", followUp: "f1")],
                    evaluations: [EvaluationRecord(eventID: "e1", recordedAt: Fixture.t0, entries: [])],
                    tickets: ["T-boom": ["status": "new"]]))
            }

            #expect(try await store.checkpoint(consumer: "engine") == 0)
            #expect(try await store.effects(eventID: "e1").isEmpty)
            #expect(try await store.evaluation(eventID: "e1") == nil)
            #expect(try await store.record(eventID: "f1") == nil)
            #expect(try await store.append([Fixture.event("e2")], recordedAt: Fixture.t0) == [.appended(position: 2)])
        }
    }

    private static func installFailure(in path: String, sql: String) throws {
        let raw = try DatabaseQueue(path: path)
        try raw.write { db in try db.execute(sql: sql) }
        try raw.close()
    }

    // MARK: - Reopening

    @Test func reopening_keepsRecordsEffectsEvaluationsTicketsAndCheckpoints() async throws {
        try await withLogPath { path in
            let evaluation = EvaluationRecord(eventID: "e1", recordedAt: Fixture.t0, entries: [
                .init(workflow: "urgent-billing", version: "sha-1", result: "not_matched", reason: "priority was normal"),
            ])
            let written = try SQLiteEventStore(path: path)
            _ = try await written.append([Fixture.event("e1"), Fixture.event("e2")], recordedAt: Fixture.t0)
            _ = try await written.commit(ConsumerBatch(
                consumer: "engine", fromPosition: 0, toPosition: 2,
                followUps: [(Fixture.event("f1", type: "ticket.tagged"), Fixture.causation("e1"))],
                effects: [Fixture.effect(on: "e1", followUp: "f1")], evaluations: [evaluation],
                tickets: ["T-1": ["status": "open"]]))
            let before = try await written.records(after: 0, limit: 10)
            try written.close()

            let reopened = try SQLiteEventStore(path: path)

            #expect(try await reopened.records(after: 0, limit: 10) == before)
            #expect(try await reopened.checkpoint(consumer: "engine") == 2)
            #expect(try await reopened.effects(ticket: "T-1") == [Fixture.effect(on: "e1", followUp: "f1")])
            #expect(try await reopened.evaluation(eventID: "e1") == evaluation)
            #expect(try await reopened.tickets(["T-1"]) == ["T-1": ["status": "open"]])
            #expect(try await reopened.append([Fixture.event("e3")], recordedAt: Fixture.t0) == [.appended(position: 4)])
        }
    }

    // MARK: - Read-only

    @Test func readOnlyOpen_readsTheLog_leavesTheFileUntouched_andRefusesWrites() async throws {
        try await withLogPath { path in
            let written = try SQLiteEventStore(path: path)
            _ = try await written.append([Fixture.event("e1"), Fixture.event("e2")], recordedAt: Fixture.t0)
            try written.close()
            let before = try Self.snapshot(of: path)

            let reader = try SQLiteEventStore(path: path, readOnly: true)
            #expect(try await reader.records(after: 0, limit: 10).map(\.event.id) == ["e1", "e2"])
            #expect(try await reader.lastPosition() == 2)
            #expect(try reader.integrityCheck() == "ok")
            await #expect(throws: SQLiteEventStoreError.openedReadOnly(path)) {
                try await reader.append([Fixture.event("e3")], recordedAt: Fixture.t0)
            }
            await #expect(throws: SQLiteEventStoreError.openedReadOnly(path)) {
                try await reader.commit(ConsumerBatch(consumer: "engine", fromPosition: 0, toPosition: 2))
            }
            await #expect(throws: SQLiteEventStoreError.openedReadOnly(path)) {
                try await reader.pruneEvaluations(before: Fixture.t0)
            }
            try reader.close()

            #expect(try Self.snapshot(of: path) == before)
        }
    }

    @Test func readOnlyOpen_ofAMissingFile_throwsNoEventLog_andCreatesNothing() async throws {
        try await withLogPath { path in
            let error = #expect(throws: SQLiteEventStoreError.missingFile(path)) {
                try SQLiteEventStore(path: path, readOnly: true)
            }

            #expect(error?.description == "no event log at \(path)")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func readOnlyOpen_ofAnotherSQLiteFile_throwsNotAnEventLog() async throws {
        try await withLogPath { path in
            let other = try DatabaseQueue(path: path)
            try other.write { db in try db.execute(sql: "CREATE TABLE notes (body TEXT)") }
            try other.close()

            let error = #expect(throws: SQLiteEventStoreError.notAnEventLog(path)) {
                try SQLiteEventStore(path: path, readOnly: true)
            }

            #expect(error?.description == """
                \(path) is not a Ticketflow event log of this version \
                (an older log is upgraded the first time it is opened for writing)
                """)
        }
    }

    /// The bytes, size and modification time of a file.
    private struct FileSnapshot: Equatable {
        var contents: Data
        var size: Int
        var modified: Date
    }

    private static func snapshot(of path: String) throws -> FileSnapshot {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return FileSnapshot(
            contents: try Data(contentsOf: URL(fileURLWithPath: path)),
            size: try #require(attributes[.size] as? Int),
            modified: try #require(attributes[.modificationDate] as? Date))
    }
}
