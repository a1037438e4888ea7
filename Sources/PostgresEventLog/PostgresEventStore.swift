import Core
import EventLog
import Logging
import PostgresNIO

/// The event log shared by several daemons: one PostgreSQL database, read
/// and written through postgres-nio's `PostgresClient`.
///
/// It behaves as `SQLiteEventStore` does and passes the same conformance
/// suite; on top of that it is a `ShardedEventStore` (shards, leases and
/// fencing tokens, see PostgresEventStore+Shards.swift).
///
/// Positions: SQLite has one writer at a time; PostgreSQL runs writers
/// concurrently, and values from a sequence become visible out of order
/// (a transaction that took position 7 may commit after one that took 8,
/// and a reader that saw 8 would never look back at 7). So every write that
/// adds records takes one transaction-level advisory lock first, computes
/// the next position from the largest stored one, and keeps the lock until
/// it commits. Positions are therefore handed out and made visible in
/// order, contiguous from 1 (a rolled-back transaction leaves no gap), and
/// a reader following the log never skips a record that commits late. The
/// cost: transactions that add records run one at a time, each holding the
/// lock through its commit's WAL flush; batching is what keeps throughput
/// up (see docs/event-log.md).
///
/// Durability is the server's: with the default `synchronous_commit = on`,
/// a commit that returned survives a crash of the server.
///
/// - Important: `PostgresClient` only works while its `run()` is running.
///   `open` starts it in a task of its own and `close()` stops it: call
///   `close()` when done.
public final class PostgresEventStore: ShardedEventStore {
    /// The name of the last schema migration this version knows.
    public static let schemaVersion = PostgresSchema.version

    public let location: PostgresLocation
    public let isReadOnly: Bool
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    /// The clock of leases; `nil` is the database server's clock, which
    /// every daemon shares whatever their own clocks say.
    let leaseClock: (@Sendable () -> Timestamp)?

    /// Held while a transaction adds records to `events`, so positions are
    /// handed out and committed in order. ASCII "tktflow" + 1.
    static let appendLockKey: Int64 = 0x746B_7466_6C6F_7701
    /// Held while migrations run, so daemons starting together migrate once.
    static let migrationLockKey: Int64 = 0x746B_7466_6C6F_7702
    /// Held by a shard's commit that changes state shared across tickets,
    /// from its check of what the batch read to its end.
    static let sharedStateLockKey: Int64 = 0x746B_7466_6C6F_7703

    private init(location: PostgresLocation, readOnly: Bool, leaseClock: (@Sendable () -> Timestamp)?) {
        self.location = location
        self.isReadOnly = readOnly
        self.leaseClock = leaseClock
        self.logger = Logger(label: "ticketflow.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = PostgresClient(configuration: location.clientConfiguration(readOnly: readOnly))
        self.client = client
        self.runner = Task { await client.run() }
    }

    /// Opens the log at `url` and checks it has the current schema (made by
    /// `migrate`); read-only, the server refuses every write as well.
    ///
    /// - Parameter leaseClock: the clock leases are measured on; by default
    ///   the database server's. Tests inject one to expire leases without waiting.
    public static func open(
        url: String, readOnly: Bool = false, leaseClock: (@Sendable () -> Timestamp)? = nil
    ) async throws -> PostgresEventStore {
        let store = PostgresEventStore(location: try PostgresLocation(url: url), readOnly: readOnly, leaseClock: leaseClock)
        do {
            try await store.checkSchema()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Creates or upgrades the log's tables at `url`; returns the names of
    /// the migrations applied (none when the schema was current).
    public static func migrate(url: String) async throws -> [String] {
        let store = PostgresEventStore(location: try PostgresLocation(url: url), readOnly: false, leaseClock: nil)
        do {
            let applied = try await store.migrate()
            await store.close()
            return applied
        } catch {
            await store.close()
            throw error
        }
    }

    // A store dropped without `close()` still stops its client.
    deinit { runner.cancel() }

    /// Stops the client; any later use of the store throws.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    // MARK: - Schema

    private func migrate() async throws -> [String] {
        let connection = try await directConnection()
        do {
            let applied = try await migrate(on: connection)
            try? await connection.close()
            return applied
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private func migrate(on connection: PostgresConnection) async throws -> [String] {
        try await Self.transaction(on: connection, logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", logger: self.logger)
            try await connection.query(PostgresQuery(unsafeSQL: PostgresSchema.createMigrationsTable), logger: self.logger)
            let done = try await self.appliedMigrations(connection)
            try self.refuseUnknown(done)
            var applied: [String] = []
            for migration in PostgresSchema.migrations where !done.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query(
                    "INSERT INTO ticketflow_migrations (name) VALUES (\(migration.name))", logger: self.logger)
                applied.append(migration.name)
            }
            return applied
        }
    }

    /// A connection of its own, outside the pool, for opening and
    /// migrating: a pool retries failed connections for a minute and then
    /// reports only that it gave up, where one connection fails at once with
    /// the server's reason (no such database, authentication failed, refused).
    private func directConnection() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(
                configuration: try location.connectionConfiguration(readOnly: isReadOnly), id: 0, logger: logger)
        } catch {
            throw PostgresEventStoreError.unreachable(location.description, reason: Self.reason(error))
        }
    }

    /// Checks the schema on a connection of its own (see `directConnection`).
    private func checkSchema() async throws {
        let connection = try await directConnection()
        do {
            try await checkSchema(on: connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    /// The server's message for an error, or the error itself.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    private func checkSchema(on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            "SELECT to_regclass('ticketflow_migrations') IS NOT NULL", logger: logger)
        var exists = false
        for try await value in rows.decode(Bool.self) { exists = value }
        guard exists else { throw PostgresEventStoreError.noSchema(location.description) }
        let done = try await appliedMigrations(connection)
        try refuseUnknown(done)
        if PostgresSchema.migrations.contains(where: { !done.contains($0.name) }) {
            let found = PostgresSchema.migrations.last(where: { done.contains($0.name) })?.name ?? "none"
            throw PostgresEventStoreError.schemaBehind(location.description, found: found)
        }
    }

    private func appliedMigrations(_ connection: PostgresConnection) async throws -> Set<String> {
        var names: Set<String> = []
        let rows = try await connection.query("SELECT name FROM ticketflow_migrations", logger: logger)
        for try await name in rows.decode(String.self) { names.insert(name) }
        return names
    }

    private func refuseUnknown(_ done: Set<String>) throws {
        let known = Set(PostgresSchema.migrations.map(\.name))
        if let unknown = done.subtracting(known).sorted().first {
            throw PostgresEventStoreError.schemaAhead(location.description, unknown: unknown)
        }
    }

    // MARK: - Appending

    public func append(_ events: [Event], recordedAt: Timestamp) async throws -> [AppendOutcome] {
        try await append(events, recordedAt: recordedAt, beforeCommit: {})
    }

    /// `append`, running `beforeCommit` after the records are written and
    /// before the transaction commits: tests use it to hold transactions
    /// open for a while, as a slow network or a busy server would.
    func append(
        _ events: [Event], recordedAt: Timestamp, beforeCommit: @Sendable () async throws -> Void
    ) async throws -> [AppendOutcome] {
        guard !events.isEmpty else { return [] }
        try requireWritable()
        // Serialised before the transaction: most of an append's CPU cost,
        // and the append lock need not be held for it.
        let candidates = events.map { NewEvent(event: $0, payload: JSONWriter.string($0.payload), causation: nil) }
        return try await transaction { connection in
            let outcomes = try await self.place(candidates, recordedAt: recordedAt, on: connection)
            try await beforeCommit()
            return outcomes
        }
    }

    /// An event to store, with its payload as stored.
    struct NewEvent: Sendable {
        var event: Event
        var payload: String
        var causation: Causation?
    }

    /// Takes the append lock, stores the events whose id is new at the next
    /// positions, and judges the others against what is stored (or against
    /// the first of the same id in `candidates`).
    func place(_ candidates: [NewEvent], recordedAt: Timestamp, on connection: PostgresConnection) async throws -> [AppendOutcome] {
        // A separate statement, before anything is read: in READ COMMITTED
        // each statement sees what committed before it started, so only
        // statements after this one see the previous holder's records.
        try await lockForAppend(on: connection)
        let ids = Array(Set(candidates.map(\.event.id)))
        var known: [String: (position: Int64, payload: String)] = [:]
        var next: Int64 = 1
        // The events already stored, and the last position, in one round trip.
        let rows = try await connection.query("""
            SELECT event_id, position, payload FROM events WHERE event_id = ANY(\(ids))
            UNION ALL
            SELECT NULL, COALESCE(MAX(position), 0)::int8, NULL FROM events
            """, logger: logger)
        for try await (id, position, payload) in rows.decode((String?, Int64, String?).self) {
            if let id, let payload {
                known[id] = (position, payload)
            } else {
                next = position + 1
            }
        }

        var outcomes: [AppendOutcome] = []
        outcomes.reserveCapacity(candidates.count)
        var fresh: [(position: Int64, candidate: NewEvent)] = []
        for candidate in candidates {
            if let stored = known[candidate.event.id] {
                outcomes.append(
                    stored.payload == candidate.payload
                        ? .duplicate(position: stored.position) : .conflict(position: stored.position))
            } else {
                known[candidate.event.id] = (next, candidate.payload)
                fresh.append((next, candidate))
                outcomes.append(.appended(position: next))
                next += 1
            }
        }
        try await insert(fresh, recordedAt: recordedAt, on: connection)
        return outcomes
    }

    /// One INSERT for all rows, their columns bound as arrays.
    private func insert(
        _ rows: [(position: Int64, candidate: NewEvent)], recordedAt: Timestamp, on connection: PostgresConnection
    ) async throws {
        guard !rows.isEmpty else { return }
        let positions = rows.map(\.position)
        let ids = rows.map(\.candidate.event.id)
        let tickets = rows.map(\.candidate.event.ticketID)
        let hashes = rows.map { Int64(ShardID.hash($0.candidate.event.ticketID)) }
        let types = rows.map(\.candidate.event.type)
        let occurred = rows.map(\.candidate.event.occurredAt.millisecondsSinceEpoch)
        let payloads = rows.map(\.candidate.payload)
        let caused = rows.map { $0.candidate.causation != nil }
        let causeEvents = rows.map { $0.candidate.causation?.eventID ?? "" }
        let causeWorkflows = rows.map { $0.candidate.causation?.workflow ?? "" }
        let causeVersions = rows.map { $0.candidate.causation?.workflowVersion ?? "" }
        let causeSteps = rows.map { $0.candidate.causation?.step ?? "" }
        try await connection.query("""
            INSERT INTO events (position, event_id, ticket_id, ticket_hash, type, occurred_at, recorded_at, payload,
                caused_by_event, caused_by_workflow, caused_by_workflow_version, caused_by_step)
            SELECT p, i, t, h, ty, o, \(recordedAt.millisecondsSinceEpoch), pl,
                CASE WHEN c THEN ce END, CASE WHEN c THEN cw END, CASE WHEN c THEN cv END, CASE WHEN c THEN cs END
            FROM unnest(\(positions), \(ids), \(tickets), \(hashes), \(types), \(occurred), \(payloads),
                \(caused), \(causeEvents), \(causeWorkflows), \(causeVersions), \(causeSteps))
                AS e(p, i, t, h, ty, o, pl, c, ce, cw, cv, cs)
            ORDER BY p
            """, logger: logger)
    }

    func maxPosition(on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("SELECT COALESCE(MAX(position), 0)::int8 FROM events", logger: logger)
        var last: Int64 = 0
        for try await value in rows.decode(Int64.self) { last = value }
        return last
    }

    // MARK: - Reading records

    static let recordColumns = """
        position, event_id, ticket_id, type, occurred_at, recorded_at, payload,
        caused_by_event, caused_by_workflow, caused_by_workflow_version, caused_by_step
        """

    public func records(after position: Int64, limit: Int) async throws -> [LogRecord] {
        guard limit > 0 else { return [] }
        return try await records("""
            SELECT \(unescaped: Self.recordColumns) FROM events WHERE position > \(position)
            ORDER BY position LIMIT \(limit)
            """)
    }

    public func tail(_ count: Int) async throws -> [LogRecord] {
        guard count > 0 else { return [] }
        return Array(try await records(
            "SELECT \(unescaped: Self.recordColumns) FROM events ORDER BY position DESC LIMIT \(count)").reversed())
    }

    public func records(ticket: String) async throws -> [LogRecord] {
        try await records(
            "SELECT \(unescaped: Self.recordColumns) FROM events WHERE ticket_id = \(ticket) ORDER BY position")
    }

    public func record(eventID: String) async throws -> LogRecord? {
        try await records("SELECT \(unescaped: Self.recordColumns) FROM events WHERE event_id = \(eventID)").first
    }

    public func lastPosition() async throws -> Int64 {
        try await client.withConnection { connection in try await self.maxPosition(on: connection) }
    }

    func records(_ query: PostgresQuery) async throws -> [LogRecord] {
        let rows = try await client.query(query, logger: logger)
        var records: [LogRecord] = []
        for try await row in rows {
            // One decode for the whole row: each decode reads from the first column.
            let (position, eventID, ticketID, type, occurredAt, recordedAt, payloadText, causeID, workflow, version, step)
                = try row.decode((Int64, String, String, String, Int64, Int64, String, String?, String?, String?, String?).self)
            let payload = try value(fromJSON: payloadText, table: "events", key: "position \(position)")
            let event = Event(
                id: eventID, type: type, occurredAt: Timestamp(millisecondsSinceEpoch: occurredAt), ticketID: ticketID,
                payload: payload)
            var causation: Causation?
            if let causeID, let workflow, let version, let step {
                causation = Causation(eventID: causeID, workflow: workflow, workflowVersion: version, step: step)
            }
            records.append(LogRecord(
                position: position, event: event, recordedAt: Timestamp(millisecondsSinceEpoch: recordedAt),
                causation: causation))
        }
        return records
    }

    // MARK: - Consumers

    public func checkpoint(consumer: String) async throws -> Int64 {
        let rows = try await client.query(
            "SELECT position FROM checkpoints WHERE consumer = \(consumer)", logger: logger)
        var position: Int64 = 0
        for try await value in rows.decode(Int64.self) { position = value }
        return position
    }

    public func tickets(_ ids: [String]) async throws -> [String: Value] {
        guard !ids.isEmpty else { return [:] }
        return try await ticketStates(
            "SELECT ticket_id, state FROM tickets WHERE ticket_id = ANY(\(Array(Set(ids))))")
    }

    public func tickets(withPrefix prefix: String) async throws -> [String: Value] {
        // A range on the primary key (byte order, COLLATE "C"): `prefix` <= id
        // < `prefix` followed by the highest code point.
        try await ticketStates("""
            SELECT ticket_id, state FROM tickets WHERE ticket_id >= \(prefix) AND ticket_id < \(prefix + "\u{10FFFF}")
            """)
    }

    private func ticketStates(_ query: PostgresQuery) async throws -> [String: Value] {
        let rows = try await client.query(query, logger: logger)
        var found: [String: Value] = [:]
        for try await (id, state) in rows.decode((String, String).self) {
            found[id] = try value(fromJSON: state, table: "tickets", key: id)
        }
        return found
    }

    public func commit(_ batch: ConsumerBatch) async throws -> CommitOutcome {
        try requireWritable()
        let encoded = EncodedBatch(batch)
        return try await transaction { connection in
            let current = try await self.lockCheckpoint(of: batch.consumer, on: connection)
            guard current == batch.fromPosition else {
                throw CheckpointMoved(consumer: batch.consumer, expected: batch.fromPosition, found: current)
            }
            let outcome = try await self.apply(encoded, on: connection)
            try await connection.query(
                "UPDATE checkpoints SET position = \(batch.toPosition) WHERE consumer = \(batch.consumer)",
                logger: self.logger)
            return outcome
        }
    }

    /// A batch with its values serialised, done before the transaction so
    /// locks are held only to write.
    struct EncodedBatch: Sendable {
        var batch: ConsumerBatch
        var followUps: [NewEvent]
        var params: [String]
        /// By event id, the last of each id winning, as in memory.
        var evaluations: [(id: String, recordedAt: Int64, entries: String)]
        /// Sorted by id, so concurrent commits lock shared rows in one order.
        var tickets: [(id: String, state: String)]
        /// `batch.sharedBasis` as the JSON text the store would hold (`nil`: no row), sorted by id.
        var sharedBasis: [(id: String, state: String?)]

        init(_ batch: ConsumerBatch) {
            self.batch = batch
            followUps = batch.followUps.map {
                NewEvent(event: $0.event, payload: JSONWriter.string($0.event.payload), causation: $0.causation)
            }
            params = batch.effects.map { JSONWriter.string($0.parameters) }
            var latest: [String: EvaluationRecord] = [:]
            for evaluation in batch.evaluations { latest[evaluation.eventID] = evaluation }
            evaluations = latest.keys.sorted().map { id in
                let evaluation = latest[id]!
                return (id, evaluation.recordedAt.millisecondsSinceEpoch, EvaluationRecord.encodeEntries(evaluation.entries))
            }
            tickets = batch.tickets.keys.sorted().map { ($0, JSONWriter.string(batch.tickets[$0]!)) }
            sharedBasis = batch.sharedBasis.keys.sorted().map { ($0, batch.sharedBasis[$0]!.map(JSONWriter.string)) }
        }
    }

    /// Writes a batch's effects, follow-ups, evaluations and ticket states,
    /// once the caller has checked the checkpoint (and the lease), inside its transaction.
    func apply(_ encoded: EncodedBatch, on connection: PostgresConnection) async throws -> CommitOutcome {
        let batch = encoded.batch
        var appended = 0
        if !encoded.followUps.isEmpty {
            // First, so the append lock is taken before any row lock of
            // this batch: every transaction takes its locks in one order.
            // Same rule as the other stores: follow-ups are stamped with the
            // time of the batch's first effect.
            let recordedAt = batch.effects.first?.recordedAt ?? Timestamp(millisecondsSinceEpoch: 0)
            let outcomes = try await place(encoded.followUps, recordedAt: recordedAt, on: connection)
            appended = outcomes.count { if case .appended = $0 { true } else { false } }
        }

        var recorded = 0
        if !batch.effects.isEmpty {
            let effects = batch.effects
            let rows = try await connection.query("""
                INSERT INTO effects (event_id, workflow, step, workflow_version, ticket_id, action, params, outcome,
                    detail, follow_up_event_id, recorded_at)
                SELECT e, w, s, v, t, a, p, o, CASE WHEN hd THEN d END, CASE WHEN hf THEN f END, r
                FROM unnest(\(effects.map(\.eventID)), \(effects.map(\.workflow)), \(effects.map(\.step)),
                    \(effects.map(\.workflowVersion)), \(effects.map(\.ticketID)), \(effects.map(\.action)),
                    \(encoded.params), \(effects.map(\.outcome)),
                    \(effects.map { $0.detail != nil }), \(effects.map { $0.detail ?? "" }),
                    \(effects.map { $0.followUpEventID != nil }), \(effects.map { $0.followUpEventID ?? "" }),
                    \(effects.map(\.recordedAt.millisecondsSinceEpoch)))
                    WITH ORDINALITY AS x(e, w, s, v, t, a, p, o, hd, d, hf, f, r, n)
                ORDER BY n
                ON CONFLICT (event_id, workflow, step) DO NOTHING
                RETURNING 1
                """, logger: logger)
            for try await _ in rows { recorded += 1 }
        }

        if !encoded.evaluations.isEmpty {
            try await connection.query("""
                INSERT INTO evaluations (event_id, recorded_at, entries)
                SELECT * FROM unnest(\(encoded.evaluations.map(\.id)), \(encoded.evaluations.map(\.recordedAt)),
                    \(encoded.evaluations.map(\.entries)))
                ON CONFLICT (event_id) DO UPDATE SET recorded_at = excluded.recorded_at, entries = excluded.entries
                """, logger: logger)
        }

        if !encoded.tickets.isEmpty {
            try await connection.query("""
                INSERT INTO tickets (ticket_id, state, position)
                SELECT i, s, \(batch.toPosition) FROM unnest(\(encoded.tickets.map(\.id)), \(encoded.tickets.map(\.state)))
                    WITH ORDINALITY AS x(i, s, n)
                ORDER BY n
                ON CONFLICT (ticket_id) DO UPDATE SET state = excluded.state, position = excluded.position
                """, logger: logger)
        }

        return CommitOutcome(
            effectsRecorded: recorded, effectsAlreadyRecorded: batch.effects.count - recorded,
            followUpsAppended: appended, lastPosition: try await maxPosition(on: connection))
    }

    // MARK: - Effects and evaluations

    private static let effectColumns = """
        event_id, workflow, step, workflow_version, ticket_id, action, params, outcome, detail,
        follow_up_event_id, recorded_at
        """

    public func effects(eventID: String) async throws -> [EffectRecord] {
        try await effects("SELECT \(unescaped: Self.effectColumns) FROM effects WHERE event_id = \(eventID) ORDER BY seq")
    }

    public func effects(ticket: String) async throws -> [EffectRecord] {
        try await effects("SELECT \(unescaped: Self.effectColumns) FROM effects WHERE ticket_id = \(ticket) ORDER BY seq")
    }

    public func effects(eventIDs: [String]) async throws -> [EffectRecord] {
        guard !eventIDs.isEmpty else { return [] }
        let found = try await effects(
            "SELECT \(unescaped: Self.effectColumns) FROM effects WHERE event_id = ANY(\(eventIDs)::text[]) ORDER BY seq")
        var order: [String: Int] = [:]
        for (index, id) in eventIDs.enumerated() where order[id] == nil { order[id] = index }
        // A stable sort keeps each event's effects in the order recorded.
        return found.enumerated().sorted { (order[$0.element.eventID]!, $0.offset) < (order[$1.element.eventID]!, $1.offset) }.map(\.element)
    }

    private func effects(_ query: PostgresQuery) async throws -> [EffectRecord] {
        let rows = try await client.query(query, logger: logger)
        var effects: [EffectRecord] = []
        for try await row in rows {
            let (eventID, workflow, step, version, ticketID, action, params, outcome, detail, followUp, recordedAt)
                = try row.decode((String, String, String, String, String, String, String, String, String?, String?, Int64).self)
            let parameters = try value(fromJSON: params, table: "effects", key: "\(eventID) / \(workflow) / \(step)")
            effects.append(EffectRecord(
                eventID: eventID, workflow: workflow, step: step, workflowVersion: version, ticketID: ticketID,
                action: action, parameters: parameters, outcome: outcome, detail: detail, followUpEventID: followUp,
                recordedAt: Timestamp(millisecondsSinceEpoch: recordedAt)))
        }
        return effects
    }

    public func evaluation(eventID: String) async throws -> EvaluationRecord? {
        let rows = try await client.query(
            "SELECT recorded_at, entries FROM evaluations WHERE event_id = \(eventID)", logger: logger)
        var found: EvaluationRecord?
        for try await (recordedAt, text) in rows.decode((Int64, String).self) {
            guard let entries = EvaluationRecord.decodeEntries(text) else {
                throw PostgresEventStoreError.unreadableRow(
                    location.description, table: "evaluations", key: eventID,
                    problem: "entries are not [workflow, version, result, reason?] lists")
            }
            found = EvaluationRecord(eventID: eventID, recordedAt: Timestamp(millisecondsSinceEpoch: recordedAt), entries: entries)
        }
        return found
    }

    public func pruneEvaluations(before time: Timestamp) async throws -> Int {
        try requireWritable()
        let rows = try await client.query("""
            WITH pruned AS (DELETE FROM evaluations WHERE recorded_at < \(time.millisecondsSinceEpoch) RETURNING 1)
            SELECT count(*)::int8 FROM pruned
            """, logger: logger)
        var count: Int64 = 0
        for try await value in rows.decode(Int64.self) { count = value }
        return Int(count)
    }

    // MARK: - Helpers

    /// Runs `body` in a transaction on one connection: committed if it
    /// returns, rolled back if it throws (its error is thrown as it is).
    func transaction<Result: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            try await Self.transaction(on: connection, logger: self.logger, body)
        }
    }

    static func transaction<Result: Sendable>(
        on connection: PostgresConnection, logger: Logger, _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await connection.query("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return result
    }

    /// How long the server lets a transaction of ours that holds a lock
    /// others wait for sit idle: far longer than any pause between its
    /// statements, shorter than a shard's lease. A daemon stopped in such a
    /// transaction (SIGSTOP, a hung host) would otherwise stall every other
    /// daemon until it woke; the server ends the transaction and frees its
    /// locks instead. Set in the statement that takes the lock, for that
    /// transaction only (`set_config(…, true)`), so no round trip is added
    /// and poolers such as PgBouncer pass it through.
    static let idleInTransactionTimeout = "5s"
    /// The call that sets `idleInTransactionTimeout` for the transaction.
    static let idleTimeoutSetting =
        "set_config('idle_in_transaction_session_timeout', '\(idleInTransactionTimeout)', true)"

    /// Takes the append lock, held to the end of the transaction.
    func lockForAppend(on connection: PostgresConnection) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(\(Self.appendLockKey)), \(unescaped: Self.idleTimeoutSetting)", logger: logger)
    }

    /// Takes the row lock on a consumer's checkpoint, held to the end of the
    /// transaction, with the same idle limit as the append lock; returns the
    /// checkpoint's position.
    func lockCheckpoint(of consumer: String, on connection: PostgresConnection) async throws -> Int64 {
        // Creating the row first gives the row lock to take even for a
        // consumer that never committed: two first commits then queue on it,
        // and the second finds the checkpoint moved.
        try await connection.query("""
            INSERT INTO checkpoints (consumer, position) VALUES (\(consumer), 0)
            ON CONFLICT (consumer) DO NOTHING
            """, logger: logger)
        let rows = try await connection.query(
            "SELECT position, \(unescaped: Self.idleTimeoutSetting) FROM checkpoints WHERE consumer = \(consumer) FOR UPDATE",
            logger: logger)
        var position: Int64 = 0
        for try await (value, _) in rows.decode((Int64, String).self) { position = value }
        return position
    }

    func value(fromJSON text: String, table: String, key: String) throws -> Value {
        do {
            return try JSONReader.read(text)
        } catch {
            throw PostgresEventStoreError.unreadableRow(location.description, table: table, key: key, problem: error.description)
        }
    }

    func requireWritable() throws {
        if isReadOnly { throw PostgresEventStoreError.openedReadOnly(location.description) }
    }
}
