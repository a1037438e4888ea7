import Core
import EventLog
import Foundation
import GRDB

/// The default event log: one SQLite file, read and written through GRDB.
///
/// The file is in WAL mode, so readers (`ticketflow log tail`, a dry-run
/// from the log) never block the writer nor each other.
///
/// Durability: the writer runs with `synchronous = FULL`, so a commit that
/// returned survives a power loss, not only a crash of the process. The log
/// is the single source of truth, and an effect whose record was lost could
/// be applied a second time on replay. The cost, one fsync per transaction,
/// is paid per batch: `append` and `commit` each take many records in one
/// transaction, so the fsync is shared by all of them.
///
/// Positions are the rowid of `events`, declared AUTOINCREMENT, and stay
/// contiguous from 1: every position is handed out inside the transaction
/// that stores its event, and a transaction that aborts rolls back the
/// sequence together with the rows, leaving no gap.
///
/// - Important: Never insert into `events` with `INSERT … ON CONFLICT DO
///   NOTHING` or `INSERT OR IGNORE`: SQLite allocates the AUTOINCREMENT
///   value before it finds the conflict, and the ignored row burns a
///   position (measured on SQLite 3.40.1). The store runs a plain INSERT
///   and treats its unique-constraint failure as "already stored".
public final class SQLiteEventStore: EventStore {
    /// The name of the last schema migration this version knows.
    public static let schemaVersion = SQLiteSchema.version

    /// The path of the log file.
    public let path: String
    public let isReadOnly: Bool
    private let pool: DatabasePool

    /// Opens the log at `path`.
    ///
    /// Read-write, the file is created if missing and its schema migrated.
    /// Read-only, the file must exist and have the current schema, and it is
    /// left exactly as it was; every write then throws.
    ///
    /// - Note: A read-only open of a WAL file may leave SQLite's `-wal` and
    ///   `-shm` companion files next to it (SQLite needs them to read safely
    ///   while a writer may be active); the log file itself is not touched.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        self.isReadOnly = readOnly
        var configuration = Configuration()
        // Another process (a daemon, `ticketflow log`) may hold the lock briefly.
        configuration.busyMode = .timeout(5)
        if readOnly {
            guard FileManager.default.fileExists(atPath: path) else { throw SQLiteEventStoreError.missingFile(path) }
            configuration.readonly = true
            pool = try DatabasePool(path: path, configuration: configuration)
            let current = try pool.read { db in
                try db.tableExists("grdb_migrations")
                    && SQLiteSchema.migrator.hasCompletedMigrations(db)
            }
            guard current else { throw SQLiteEventStoreError.notAnEventLog(path) }
        } else {
            pool = try DatabasePool(path: path, configuration: configuration)
            // DatabasePool sets NORMAL on the writer after `prepareDatabase`
            // runs, so FULL has to be set here, once the pool is open.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try SQLiteSchema.migrator.migrate(pool)
        }
    }

    /// The result of `PRAGMA integrity_check`: `ok`, or one problem per line.
    public func integrityCheck() throws -> String {
        try pool.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }

    /// `PRAGMA synchronous` on the writer connection (2 is FULL), for tests.
    func writerSynchronousSetting() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Closes the file's connections; any later use of the store throws.
    public func close() throws {
        try pool.close()
    }

    // MARK: - Appending

    public func append(_ events: [Event], recordedAt: Timestamp) async throws -> [AppendOutcome] {
        guard !events.isEmpty else { return [] }
        try requireWritable()
        // Serialised before taking the writer: it is most of the CPU cost of
        // an append, and other writers need not wait for it.
        let payloads = events.map { JSONWriter.string($0.payload) }
        return try await pool.write { db in
            var outcomes: [AppendOutcome] = []
            outcomes.reserveCapacity(events.count)
            for (event, payload) in zip(events, payloads) {
                if let position = try Self.insertIfNew(
                    event, payload: payload, recordedAt: recordedAt, causation: nil, in: db)
                {
                    outcomes.append(.appended(position: position))
                } else {
                    let stored = try Self.storedEvent(id: event.id, in: db)
                    outcomes.append(
                        stored.payload == payload ? .duplicate(position: stored.position) : .conflict(position: stored.position))
                }
            }
            return outcomes
        }
    }

    /// The position and payload text of an event known to be stored.
    private static func storedEvent(id: String, in db: Database) throws -> (position: Int64, payload: String) {
        let statement = try db.cachedStatement(sql: "SELECT position, payload FROM events WHERE event_id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id]) else {
            throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "event \(id) violated uniqueness but is not stored")
        }
        return (row[0], row[1])
    }

    /// Stores an event and returns its position, or returns nil when an
    /// event with the same id is already stored.
    ///
    /// A plain INSERT whose unique constraint fails aborts that statement
    /// only, sequence update included, so it burns no position; and a new
    /// event, the common case, costs no lookup before the insert.
    private static func insertIfNew(
        _ event: Event, payload: String, recordedAt: Timestamp, causation: Causation?, in db: Database
    ) throws -> Int64? {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO events (event_id, ticket_id, type, occurred_at, recorded_at, payload,
                caused_by_event, caused_by_workflow, caused_by_workflow_version, caused_by_step)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        statement.setUncheckedArguments([
            event.id, event.ticketID, event.type, event.occurredAt.millisecondsSinceEpoch,
            recordedAt.millisecondsSinceEpoch, payload,
            causation?.eventID, causation?.workflow, causation?.workflowVersion, causation?.step,
        ])
        do {
            try statement.execute()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return nil
        }
        return db.lastInsertedRowID
    }

    // MARK: - Reading records

    private static let recordColumns = """
        position, event_id, ticket_id, type, occurred_at, recorded_at, payload,
        caused_by_event, caused_by_workflow, caused_by_workflow_version, caused_by_step
        """

    public func records(after position: Int64, limit: Int) async throws -> [LogRecord] {
        guard limit > 0 else { return [] }
        let path = path
        return try await pool.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(Self.recordColumns) FROM events WHERE position > ? ORDER BY position LIMIT ?")
            return try Self.records(statement, arguments: [position, limit], path: path)
        }
    }

    public func tail(_ count: Int) async throws -> [LogRecord] {
        guard count > 0 else { return [] }
        let path = path
        return try await pool.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(Self.recordColumns) FROM events ORDER BY position DESC LIMIT ?")
            return Array(try Self.records(statement, arguments: [count], path: path).reversed())
        }
    }

    public func records(ticket: String) async throws -> [LogRecord] {
        let path = path
        return try await pool.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(Self.recordColumns) FROM events WHERE ticket_id = ? ORDER BY position")
            return try Self.records(statement, arguments: [ticket], path: path)
        }
    }

    public func record(eventID: String) async throws -> LogRecord? {
        let path = path
        return try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.recordColumns) FROM events WHERE event_id = ?")
            return try Self.records(statement, arguments: [eventID], path: path).first
        }
    }

    public func lastPosition() async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) FROM events") ?? 0
        }
    }

    private static func records(_ statement: Statement, arguments: StatementArguments, path: String) throws -> [LogRecord] {
        var records: [LogRecord] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            let position: Int64 = row[0]
            let eventID: String = row[1]
            let payload = try value(
                fromJSON: row[6], path: path, table: "events", key: "position \(position)")
            let event = Event(
                id: eventID, type: row[3], occurredAt: Timestamp(millisecondsSinceEpoch: row[4]),
                ticketID: row[2], payload: payload)
            var causation: Causation?
            if let causeID = row[7] as String? {
                causation = Causation(eventID: causeID, workflow: row[8], workflowVersion: row[9], step: row[10])
            }
            records.append(LogRecord(
                position: position, event: event, recordedAt: Timestamp(millisecondsSinceEpoch: row[5]),
                causation: causation))
        }
        return records
    }

    // MARK: - Consumers

    public func checkpoint(consumer: String) async throws -> Int64 {
        try await pool.read { db in try Self.checkpoint(consumer, in: db) }
    }

    private static func checkpoint(_ consumer: String, in db: Database) throws -> Int64 {
        let statement = try db.cachedStatement(sql: "SELECT position FROM checkpoints WHERE consumer = ?")
        return try Int64.fetchOne(statement, arguments: [consumer]) ?? 0
    }

    public func tickets(_ ids: [String]) async throws -> [String: Value] {
        guard !ids.isEmpty else { return [:] }
        let path = path
        return try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT state FROM tickets WHERE ticket_id = ?")
            var found: [String: Value] = [:]
            for id in ids where found[id] == nil {
                if let state = try String.fetchOne(statement, arguments: [id]) {
                    found[id] = try Self.value(fromJSON: state, path: path, table: "tickets", key: id)
                }
            }
            return found
        }
    }

    public func tickets(withPrefix prefix: String) async throws -> [String: Value] {
        let path = path
        return try await pool.read { db in
            // A range on the primary key: `prefix` <= id < `prefix` followed by the highest code point.
            let rows = try Row.fetchAll(
                db, sql: "SELECT ticket_id, state FROM tickets WHERE ticket_id >= ? AND ticket_id < ?",
                arguments: [prefix, prefix + "\u{10FFFF}"])
            var found: [String: Value] = [:]
            for row in rows {
                let id: String = row["ticket_id"]
                found[id] = try Self.value(fromJSON: row["state"], path: path, table: "tickets", key: id)
            }
            return found
        }
    }

    public func commit(_ batch: ConsumerBatch) async throws -> CommitOutcome {
        try requireWritable()
        // Serialised before the transaction, so the writer holds its lock only to write.
        let params = batch.effects.map { JSONWriter.string($0.parameters) }
        let followUpPayloads = batch.followUps.map { JSONWriter.string($0.event.payload) }
        let entries = batch.evaluations.map { Self.encodeEntries($0.entries) }
        let states = batch.tickets.map { ($0.key, JSONWriter.string($0.value)) }
        return try await pool.write { db in
            let current = try Self.checkpoint(batch.consumer, in: db)
            guard current == batch.fromPosition else {
                throw CheckpointMoved(consumer: batch.consumer, expected: batch.fromPosition, found: current)
            }

            var recorded = 0
            var already = 0
            let insertEffect = try db.cachedStatement(sql: """
                INSERT INTO effects (event_id, workflow, step, workflow_version, ticket_id, action,
                    params, outcome, detail, follow_up_event_id, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (event_id, workflow, step) DO NOTHING
                """)
            for (effect, params) in zip(batch.effects, params) {
                insertEffect.setUncheckedArguments([
                    effect.eventID, effect.workflow, effect.step, effect.workflowVersion, effect.ticketID,
                    effect.action, params, effect.outcome, effect.detail,
                    effect.followUpEventID, effect.recordedAt.millisecondsSinceEpoch,
                ])
                try insertEffect.execute()
                if db.changesCount > 0 { recorded += 1 } else { already += 1 }
            }

            // Same rule as the in-memory store: follow-ups are stamped with
            // the time of the batch's first effect.
            let recordedAt = batch.effects.first?.recordedAt ?? Timestamp(millisecondsSinceEpoch: 0)
            var appended = 0
            for ((event, causation), payload) in zip(batch.followUps, followUpPayloads) {
                let position = try Self.insertIfNew(
                    event, payload: payload, recordedAt: recordedAt, causation: causation, in: db)
                if position != nil { appended += 1 }
            }

            let upsertEvaluation = try db.cachedStatement(sql: """
                INSERT INTO evaluations (event_id, recorded_at, entries) VALUES (?, ?, ?)
                ON CONFLICT (event_id) DO UPDATE SET recorded_at = excluded.recorded_at, entries = excluded.entries
                """)
            for (evaluation, encoded) in zip(batch.evaluations, entries) {
                upsertEvaluation.setUncheckedArguments([
                    evaluation.eventID, evaluation.recordedAt.millisecondsSinceEpoch, encoded,
                ])
                try upsertEvaluation.execute()
            }

            let upsertTicket = try db.cachedStatement(sql: """
                INSERT INTO tickets (ticket_id, state, position) VALUES (?, ?, ?)
                ON CONFLICT (ticket_id) DO UPDATE SET state = excluded.state, position = excluded.position
                """)
            for (id, state) in states {
                upsertTicket.setUncheckedArguments([id, state, batch.toPosition])
                try upsertTicket.execute()
            }

            try db.cachedStatement(sql: """
                INSERT INTO checkpoints (consumer, position) VALUES (?, ?)
                ON CONFLICT (consumer) DO UPDATE SET position = excluded.position
                """).execute(arguments: [batch.consumer, batch.toPosition])

            let last = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) FROM events") ?? 0
            return CommitOutcome(
                effectsRecorded: recorded, effectsAlreadyRecorded: already, followUpsAppended: appended,
                lastPosition: last)
        }
    }

    // MARK: - Effects and evaluations

    private static let effectColumns = """
        event_id, workflow, step, workflow_version, ticket_id, action, params, outcome, detail,
        follow_up_event_id, recorded_at
        """

    public func effects(eventID: String) async throws -> [EffectRecord] {
        let path = path
        return try await pool.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(Self.effectColumns) FROM effects WHERE event_id = ? ORDER BY rowid")
            return try Self.effects(statement, arguments: [eventID], path: path)
        }
    }

    public func effects(ticket: String) async throws -> [EffectRecord] {
        let path = path
        return try await pool.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(Self.effectColumns) FROM effects WHERE ticket_id = ? ORDER BY rowid")
            return try Self.effects(statement, arguments: [ticket], path: path)
        }
    }

    public func effects(eventIDs: [String]) async throws -> [EffectRecord] {
        guard !eventIDs.isEmpty else { return [] }
        let path = path
        // One JSON array bound as one argument: no limit on the number of ids,
        // and one cached statement whatever their number. The primary key
        // (event_id, workflow, step) serves each lookup.
        let ids = JSONWriter.string(.array(eventIDs.map(Value.string)))
        let found = try await pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.effectColumns) FROM effects
                WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY rowid
                """)
            return try Self.effects(statement, arguments: [ids], path: path)
        }
        var order: [String: Int] = [:]
        for (index, id) in eventIDs.enumerated() where order[id] == nil { order[id] = index }
        // A stable sort keeps each event's effects in the order recorded.
        return found.enumerated().sorted { (order[$0.element.eventID]!, $0.offset) < (order[$1.element.eventID]!, $1.offset) }.map(\.element)
    }

    private static func effects(_ statement: Statement, arguments: StatementArguments, path: String) throws -> [EffectRecord] {
        var effects: [EffectRecord] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            let eventID: String = row[0]
            let workflow: String = row[1]
            let step: String = row[2]
            let parameters = try value(
                fromJSON: row[6], path: path, table: "effects", key: "\(eventID) / \(workflow) / \(step)")
            effects.append(EffectRecord(
                eventID: eventID, workflow: workflow, step: step, workflowVersion: row[3], ticketID: row[4],
                action: row[5], parameters: parameters, outcome: row[7], detail: row[8], followUpEventID: row[9],
                recordedAt: Timestamp(millisecondsSinceEpoch: row[10])))
        }
        return effects
    }

    public func evaluation(eventID: String) async throws -> EvaluationRecord? {
        let path = path
        return try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT recorded_at, entries FROM evaluations WHERE event_id = ?")
            guard let row = try Row.fetchOne(statement, arguments: [eventID]) else { return nil }
            let entries = try Self.decodeEntries(row[1], path: path, eventID: eventID)
            return EvaluationRecord(
                eventID: eventID, recordedAt: Timestamp(millisecondsSinceEpoch: row[0]), entries: entries)
        }
    }

    public func pruneEvaluations(before time: Timestamp) async throws -> Int {
        try requireWritable()
        // No index on recorded_at: pruning is rare, and an index would cost
        // every commit; a full scan of the table is fine for the occasional prune.
        return try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM evaluations WHERE recorded_at < ?", arguments: [time.millisecondsSinceEpoch])
            return db.changesCount
        }
    }

    private static func encodeEntries(_ entries: [EvaluationRecord.Entry]) -> String {
        EvaluationRecord.encodeEntries(entries)
    }

    private static func decodeEntries(_ text: String, path: String, eventID: String) throws -> [EvaluationRecord.Entry] {
        // Not JSON at all is reported as such; JSON of the wrong shape, as a wrong shape.
        _ = try value(fromJSON: text, path: path, table: "evaluations", key: eventID)
        guard let entries = EvaluationRecord.decodeEntries(text) else {
            throw SQLiteEventStoreError.unreadableRow(
                path, table: "evaluations", key: eventID,
                problem: "entries are not [workflow, version, result, reason?] lists")
        }
        return entries
    }

    // MARK: - Helpers

    private static func value(fromJSON text: String, path: String, table: String, key: String) throws -> Value {
        do {
            return try JSONReader.read(text)
        } catch {
            throw SQLiteEventStoreError.unreadableRow(path, table: table, key: key, problem: error.description)
        }
    }

    private func requireWritable() throws {
        if isReadOnly { throw SQLiteEventStoreError.openedReadOnly(path) }
    }
}
