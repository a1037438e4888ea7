import Core

/// The event log: append-only records with a global position, the effects
/// of actions keyed so each happens at most once, the projected state of
/// every ticket, and the consumers' checkpoints.
///
/// One protocol with several stores (in memory for dry-runs and tests,
/// SQLite by default, PostgreSQL for several daemons); every store passes
/// the same conformance suite.
public protocol EventStore: Sendable {
    /// Appends incoming events in order, in one transaction. An event whose
    /// id is already stored is not stored again: it is a duplicate when its
    /// body is the same, a conflict otherwise.
    func append(_ events: [Event], recordedAt: Timestamp) async throws -> [AppendOutcome]

    /// Up to `limit` records after `position`, in position order.
    func records(after position: Int64, limit: Int) async throws -> [LogRecord]

    /// The last `count` records, in position order.
    func tail(_ count: Int) async throws -> [LogRecord]

    /// Every record of one ticket, in position order.
    func records(ticket: String) async throws -> [LogRecord]

    func record(eventID: String) async throws -> LogRecord?

    /// The position of the last record, 0 for an empty log.
    func lastPosition() async throws -> Int64

    /// How far a consumer has processed the log; 0 if it never ran.
    func checkpoint(consumer: String) async throws -> Int64

    /// The projected state of these tickets (missing ids are unknown tickets).
    func tickets(_ ids: [String]) async throws -> [String: Value]

    /// Every stored state whose id starts with `prefix`: the engine keeps
    /// state shared across tickets (recurrence, recommendations) under `~…` ids.
    func tickets(withPrefix prefix: String) async throws -> [String: Value]

    /// Commits a consumer batch atomically; see `ConsumerBatch`.
    func commit(_ batch: ConsumerBatch) async throws -> CommitOutcome

    /// The effects recorded for a trigger event, in the order recorded.
    func effects(eventID: String) async throws -> [EffectRecord]

    /// The effects recorded on a ticket, in the order recorded.
    func effects(ticket: String) async throws -> [EffectRecord]

    /// The effects recorded for any of these trigger events, in one call:
    /// grouped by event in the order of `eventIDs` (an id named twice counts
    /// once), each event's effects in the order recorded. Lets a reader of a
    /// long log (a backtest) fetch a page's effects with one query.
    func effects(eventIDs: [String]) async throws -> [EffectRecord]

    func evaluation(eventID: String) async throws -> EvaluationRecord?

    /// Deletes evaluation records older than `time`; returns how many.
    func pruneEvaluations(before time: Timestamp) async throws -> Int
}
