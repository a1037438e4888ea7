import Core
import EventLog

/// The ticket states of a long replay, with memory bounded: past a limit,
/// the states held in memory are parked in a scratch store (never the log
/// being replayed) and read back when their ticket shows up again.
///
/// State shared across tickets (`~…` ids: idle timers, schedules,
/// recurrence) always stays in memory, as in `LogConsumer`.
struct ReplayTickets {
    var projection = TicketProjection()
    private let scratch: any EventStore
    private let limit: Int
    private var scratchCheckpoint: Int64 = 0
    /// How many times states were parked; 0 means the scratch store is empty
    /// and need not be asked.
    private(set) var spills = 0
    private var sharedAtLastCount = 0

    static let scratchConsumer = "backtest-tickets"

    init(scratch: any EventStore, limit: Int) {
        self.scratch = scratch
        self.limit = limit
    }

    /// Loads the states of these tickets that are parked, so the replay finds them in memory.
    mutating func load(_ ids: Set<String>) async throws {
        guard spills > 0 else { return }
        let missing = ids.filter { projection[$0] == nil }
        guard !missing.isEmpty else { return }
        for (id, state) in try await scratch.tickets(Array(missing)) { projection.load(id, state) }
    }

    /// Loads every parked ticket: a schedule tick looks at all of them.
    mutating func loadAll() async throws {
        guard spills > 0 else { return }
        for (id, state) in try await scratch.tickets(withPrefix: "") where projection[id] == nil {
            projection.load(id, state)
        }
    }

    /// Parks the tickets held in memory when there are more than the limit.
    /// Only states changed since they were loaded are written; the others
    /// are already in the scratch store.
    mutating func parkIfFull() async throws {
        // Shared state is never parked and only grows (a `~timers/` entry
        // per ticket), so the total less the shared entries last counted
        // bounds the tickets held: the full count runs only when it may be over.
        guard projection.tickets.count - sharedAtLastCount > limit else { return }
        let held = projection.tickets.keys.lazy.filter { !$0.hasPrefix("~") }.count
        sharedAtLastCount = projection.tickets.count - held
        guard held > limit else { return }
        var changed: [String: Value] = [:]
        for id in projection.takeChanged() where !id.hasPrefix("~") {
            if let state = projection[id] { changed[id] = state }
        }
        _ = try await scratch.commit(ConsumerBatch(
            consumer: Self.scratchConsumer, fromPosition: scratchCheckpoint, toPosition: scratchCheckpoint + 1,
            tickets: changed))
        scratchCheckpoint += 1
        spills += 1
        projection.dropTickets()
    }
}
