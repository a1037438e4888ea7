import Core
import EventLog

/// Folds the log's records from before a backtest window into the ticket
/// states as they stood when the window opened, running no workflow.
///
/// Help-desk events are merged field by field, as the engine merges them.
/// Events the engine appended carry the ticket as it was right after their
/// effect, so they bring in what the deployed workflows changed (tags,
/// priority, assignee). But the log stores a batch's help-desk events first
/// and the engine's events after them: a tag added for a ticket's first
/// event sits after the ticket's second event. Taking that snapshot as is
/// would undo the second event, so the fold finds the help-desk event each
/// engine event descends from, and merges again, from the log, the ticket's
/// help-desk events that came after it.
///
/// Memory is bounded: descent is tracked only for the last
/// `followUpReach` positions (an engine event is appended right after the
/// batch that caused it), and per ticket only its last few help-desk events.
struct HistoryFold {
    private struct Incoming {
        var position: Int64
        var id: String
        var time: Timestamp
    }

    /// How far after its help-desk event an engine event may be appended.
    let followUpReach: Int64
    /// Recent help-desk events per ticket, oldest first, in two generations
    /// so that old ones are forgotten wholesale.
    private var recent: [String: [Incoming]] = [:]
    private var olderRecent: [String: [Incoming]] = [:]
    /// For recent engine events, the help-desk event they descend from.
    private var owners: [String: String] = [:]
    private var olderOwners: [String: String] = [:]
    private var generationStart: Int64 = 0
    /// Each ticket's last help-desk event since `idleHorizon`: the idle
    /// timers it left running must be armed when the window opens.
    private(set) var lastIncoming: [String: (id: String, time: Timestamp)] = [:]
    private let idleHorizon: Timestamp?
    private(set) var recordsFolded = 0
    /// Engine events whose snapshot was older than a later help-desk event of its ticket.
    private(set) var snapshotsCorrected = 0

    private static let keptPerTicket = 32

    init(followUpReach: Int64, idleHorizon: Timestamp?) {
        self.followUpReach = followUpReach
        self.idleHorizon = idleHorizon
    }

    /// Folds one record (records must come in position order).
    mutating func fold(_ record: LogRecord, into tickets: inout TicketProjection, log: any EventStore) async throws {
        recordsFolded += 1
        if record.position - generationStart > followUpReach {
            olderRecent = recent
            olderOwners = owners
            recent = [:]
            owners = [:]
            generationStart = record.position
        }
        let event = record.event
        let ticket = event.ticketID
        guard let causation = record.causation else {
            _ = tickets.merge(event)
            if recent[ticket] == nil, let older = olderRecent[ticket] { recent[ticket] = older }
            // Appended in place: no copy of the list per event.
            recent[ticket, default: []].append(Incoming(position: record.position, id: event.id, time: event.occurredAt))
            if let count = recent[ticket]?.count, count > Self.keptPerTicket {
                recent[ticket]!.removeFirst(count - Self.keptPerTicket)
            }
            if let idleHorizon, event.occurredAt >= idleHorizon { lastIncoming[ticket] = (event.id, event.occurredAt) }
            return
        }
        let list = recent[ticket] ?? olderRecent[ticket] ?? []
        let cause = causation.eventID
        let owner: Int?
        if let index = list.lastIndex(where: { $0.id == cause }) {
            owner = index
        } else if let root = owners[cause] ?? olderOwners[cause], let index = list.lastIndex(where: { $0.id == root }) {
            owner = index
        } else {
            // A schedule tick, or a timer armed long ago: it ran at its own time.
            owner = list.lastIndex { $0.time <= event.occurredAt }
        }
        if let owner { owners[event.id] = list[owner].id }
        _ = tickets.merge(event)
        let later = list[(owner.map { $0 + 1 } ?? 0)...]
        guard let first = later.first else { return }
        snapshotsCorrected += 1
        let laterPositions = Set(later.map(\.position))
        for earlier in try await log.records(ticket: ticket)
        where earlier.position >= first.position && laterPositions.contains(earlier.position) {
            _ = tickets.merge(earlier.event)
        }
    }
}
