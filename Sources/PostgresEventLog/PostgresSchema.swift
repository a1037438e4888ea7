/// The tables of a PostgreSQL event log, created and upgraded by named
/// migrations recorded in `ticketflow_migrations`.
///
/// - Important: A migration is frozen once it has shipped: never edit one,
///   add the next instead. Migrations are plain SQL and never refer to app
///   types, so an old database always upgrades the same way.
///
/// The database enforces the log's invariants as the SQLite schema does:
/// unique event ids and effect keys, causation columns set all together or
/// not at all, and triggers that refuse any UPDATE, DELETE or TRUNCATE of
/// events and effects.
enum PostgresSchema {
    struct Migration: Sendable {
        var name: String
        /// One statement each: the extended query protocol takes one at a time.
        var statements: [String]
    }

    /// Every migration, in the order they apply.
    static let migrations: [Migration] = [
        Migration(name: "v1", statements: v1),
        Migration(name: "v2-shards", statements: v2Shards),
    ]

    /// The last migration; a database that completed it has the current schema.
    static var version: String { migrations[migrations.count - 1].name }

    static let createMigrationsTable = """
        CREATE TABLE IF NOT EXISTS ticketflow_migrations (
            name TEXT PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """

    // Frozen: shipped with the first release of the PostgreSQL store.
    //
    // `position` is not a sequence: sequences hand out values that commit
    // out of order and leave gaps after a rollback. The store computes the
    // next position under a transaction-level advisory lock (see
    // PostgresEventStore), so positions are contiguous from 1 and become
    // visible in order. `ticket_hash` is `ShardID.hash(ticket_id)`, kept so
    // a shard's records can be selected in SQL. Ticket ids in `tickets`
    // compare byte by byte (COLLATE "C") whatever the database's locale, so
    // a prefix is an index range.
    private static let v1: [String] = [
        """
        CREATE TABLE events (
            position BIGINT PRIMARY KEY CHECK (position > 0),
            event_id TEXT NOT NULL UNIQUE,
            ticket_id TEXT NOT NULL,
            ticket_hash BIGINT NOT NULL CHECK (ticket_hash >= 0 AND ticket_hash < 4294967296),
            type TEXT NOT NULL,
            occurred_at BIGINT NOT NULL,
            recorded_at BIGINT NOT NULL,
            payload TEXT NOT NULL,
            caused_by_event TEXT,
            caused_by_workflow TEXT,
            caused_by_workflow_version TEXT,
            caused_by_step TEXT,
            CHECK (num_nulls(caused_by_event, caused_by_workflow, caused_by_workflow_version, caused_by_step) IN (0, 4))
        )
        """,
        """
        CREATE INDEX events_by_ticket ON events (ticket_id, position)
        """,
        """
        CREATE FUNCTION ticketflow_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the event log is append-only: % cannot be %', TG_TABLE_NAME,
                CASE TG_OP WHEN 'UPDATE' THEN 'updated' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END
                USING ERRCODE = 'restrict_violation';
        END
        $$
        """,
        """
        CREATE TRIGGER events_refuse_change BEFORE UPDATE OR DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION ticketflow_refuse_change()
        """,
        """
        CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION ticketflow_refuse_change()
        """,
        """
        CREATE TABLE effects (
            seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            event_id TEXT NOT NULL,
            workflow TEXT NOT NULL,
            step TEXT NOT NULL,
            workflow_version TEXT NOT NULL,
            ticket_id TEXT NOT NULL,
            action TEXT NOT NULL,
            params TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT,
            follow_up_event_id TEXT,
            recorded_at BIGINT NOT NULL,
            PRIMARY KEY (event_id, workflow, step)
        )
        """,
        """
        CREATE INDEX effects_by_ticket ON effects (ticket_id, seq)
        """,
        """
        CREATE TRIGGER effects_refuse_change BEFORE UPDATE OR DELETE ON effects
            FOR EACH ROW EXECUTE FUNCTION ticketflow_refuse_change()
        """,
        """
        CREATE TRIGGER effects_refuse_truncate BEFORE TRUNCATE ON effects
            FOR EACH STATEMENT EXECUTE FUNCTION ticketflow_refuse_change()
        """,
        """
        CREATE TABLE evaluations (
            event_id TEXT PRIMARY KEY,
            recorded_at BIGINT NOT NULL,
            entries TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE tickets (
            ticket_id TEXT COLLATE "C" PRIMARY KEY,
            state TEXT NOT NULL,
            position BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE checkpoints (
            consumer TEXT PRIMARY KEY,
            position BIGINT NOT NULL CHECK (position >= 0)
        )
        """,
    ]

    // Frozen: shipped with the first release of the PostgreSQL store.
    //
    // A shard's lease: who holds it until when (milliseconds on the lease
    // clock), and the fencing token, larger on every acquisition. A row is
    // never deleted, so a token is never handed out twice. Each shard has
    // its own checkpoint; the consumer's shard count is kept on both.
    private static let v2Shards: [String] = [
        """
        CREATE TABLE shard_leases (
            consumer TEXT NOT NULL,
            shard INTEGER NOT NULL,
            shard_count INTEGER NOT NULL,
            owner TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            fencing_token BIGINT NOT NULL CHECK (fencing_token > 0),
            PRIMARY KEY (consumer, shard),
            CHECK (shard_count > 0 AND shard >= 0 AND shard < shard_count)
        )
        """,
        """
        CREATE TABLE shard_checkpoints (
            consumer TEXT NOT NULL,
            shard INTEGER NOT NULL,
            shard_count INTEGER NOT NULL,
            position BIGINT NOT NULL CHECK (position >= 0),
            PRIMARY KEY (consumer, shard),
            CHECK (shard_count > 0 AND shard >= 0 AND shard < shard_count)
        )
        """,
    ]
}
