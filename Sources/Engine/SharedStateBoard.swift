import Core
import Foundation

/// The latest committed value of each state several shards write
/// (recurrence counts, text groups), as the shard consumers of one daemon
/// committed them. Each consumer catches up with the board before a batch,
/// so the shards of one process, which take turns, never work from a copy
/// another of them has since changed; only other daemons' changes are
/// caught by the store's check (`SharedStateMoved`).
public final class SharedStateBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var states: [String: Value?] = [:]
    /// Which id changed at each generation, oldest first. Consumers catch
    /// up every batch, so only the recent past is needed: it is cut back to
    /// `historyLimit` entries when it reaches twice that (so cutting is
    /// rare), and a consumer further behind takes every state.
    private var history: [(generation: Int, id: String)] = []
    private var generation = 0
    static let historyLimit = 10_000

    public init() {}

    /// The board's generation now: what a consumer has seen after reading
    /// the store, which is at least as new as anything published before.
    public var current: Int { lock.withLock { generation } }

    /// Records committed values (`nil`: the state was removed).
    func publish(_ changes: [String: Value?]) {
        guard !changes.isEmpty else { return }
        lock.withLock {
            for (id, value) in changes {
                generation += 1
                states[id] = value
                history.append((generation, id))
            }
            if history.count > 2 * Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
        }
    }

    /// What changed after generation `seen`, and the generation now.
    func changes(since seen: Int) -> (changes: [String: Value?], generation: Int) {
        lock.withLock {
            guard seen < generation else { return ([:], generation) }
            if let oldest = history.first, oldest.generation > seen + 1 { return (states, generation) }
            var changed: [String: Value?] = [:]
            for entry in history.reversed() {
                if entry.generation <= seen { break }
                if changed[entry.id] == nil { changed[entry.id] = .some(states[entry.id] ?? nil) }
            }
            return (changed, generation)
        }
    }
}
