import Core
import Workflows

/// The armed idle timers, ordered by due time, for finding the next one
/// without scanning every ticket.
///
/// The durable truth is the projection (`~timers/TICKET`: workflow → due
/// time and the event that armed it), committed with everything else; this
/// queue is an index over it, rebuilt from the projection after a restart.
/// Re-arming pushes a new entry and leaves the old one in place: an entry
/// whose due time no longer matches the projection is skipped when popped.
struct IdleTimers: Sendable {
    struct Entry: Sendable, Comparable {
        var due: Timestamp
        var ticket: String
        var workflow: String

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.due, lhs.ticket, lhs.workflow) < (rhs.due, rhs.ticket, rhs.workflow)
        }
    }

    static let prefix = "~timers/"
    /// Where a ticket's timer state keeps the time of its latest help-desk
    /// event; no workflow can have this name.
    static let latestActivityKey = "@latest"
    private var heap: [Entry] = []

    var count: Int { heap.count }

    static func stateKey(_ ticket: String) -> String { prefix + ticket }

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    var earliest: Entry? { heap.first }

    /// Tickets with a timer due at or before `time` (possibly superseded ones).
    func tickets(dueBy time: Timestamp) -> Set<String> {
        Set(heap.lazy.filter { $0.due <= time }.map(\.ticket))
    }

    mutating func popEarliest() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left] < heap[smallest] { smallest = left }
            if right < heap.count, heap[right] < heap[smallest] { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    /// Rebuilds the queue from the timers stored in the projection.
    mutating func restore(from tickets: TicketProjection) {
        heap = []
        for (key, state) in tickets.tickets where key.hasPrefix(Self.prefix) {
            let ticket = String(key.dropFirst(Self.prefix.count))
            for (workflow, timer) in state.objectValue?.pairs ?? Value.Object().pairs {
                if let due = timer["due"]?.stringValue.flatMap(Timestamp.parse) {
                    push(Entry(due: due, ticket: ticket, workflow: workflow))
                }
            }
        }
    }
}
