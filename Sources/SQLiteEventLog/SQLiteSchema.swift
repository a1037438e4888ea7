import GRDB

/// The tables of an SQLite event log, created and upgraded by named migrations.
///
/// - Important: A migration is frozen once it has shipped: never edit one,
///   add the next (`"v2"`, …) instead. Migrations are plain SQL and never
///   refer to app types, so an old file always upgrades the same way.
///
/// The database itself enforces the log's invariants: unique event ids and
/// effect keys, causation columns set all together or not at all, and
/// triggers that refuse any UPDATE or DELETE of events and effects.
enum SQLiteSchema {
    /// The last migration; a file that completed it has the current schema.
    static let version = "v1"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        return migrator
    }

    // Frozen: shipped with the first release of the SQLite store.
    //
    // STRICT tables make SQLite check column types. `events.position` is the
    // rowid with AUTOINCREMENT, so a position is never handed out twice, even
    // after the last record of a rolled-back transaction.
    private static let v1 = """
        CREATE TABLE events (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            ticket_id TEXT NOT NULL,
            type TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            payload TEXT NOT NULL,
            caused_by_event TEXT,
            caused_by_workflow TEXT,
            caused_by_workflow_version TEXT,
            caused_by_step TEXT,
            CHECK (
                (caused_by_event IS NULL AND caused_by_workflow IS NULL
                    AND caused_by_workflow_version IS NULL AND caused_by_step IS NULL)
                OR (caused_by_event IS NOT NULL AND caused_by_workflow IS NOT NULL
                    AND caused_by_workflow_version IS NOT NULL AND caused_by_step IS NOT NULL)
            )
        ) STRICT;

        CREATE INDEX events_by_ticket ON events (ticket_id, position);

        CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
        BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only: events cannot be updated');
        END;

        CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
        BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted');
        END;

        CREATE TABLE effects (
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
            recorded_at INTEGER NOT NULL,
            PRIMARY KEY (event_id, workflow, step)
        ) STRICT;

        CREATE INDEX effects_by_ticket ON effects (ticket_id);

        CREATE TRIGGER effects_refuse_update BEFORE UPDATE ON effects
        BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only: effects cannot be updated');
        END;

        CREATE TRIGGER effects_refuse_delete BEFORE DELETE ON effects
        BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only: effects cannot be deleted');
        END;

        CREATE TABLE evaluations (
            event_id TEXT PRIMARY KEY NOT NULL,
            recorded_at INTEGER NOT NULL,
            entries TEXT NOT NULL
        ) STRICT;

        CREATE TABLE tickets (
            ticket_id TEXT PRIMARY KEY NOT NULL,
            state TEXT NOT NULL,
            position INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE checkpoints (
            consumer TEXT PRIMARY KEY NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 0)
        ) STRICT;
        """
}
