import Core
import Workflows

/// Finds the workflows that can fire on an event without evaluating them all.
///
/// First by event type; then, inside a type, by one conjunct of each
/// workflow's condition that must hold for it to fire (`ticket.priority ==
/// "urgent"`, `"billing" in ticket.tags`): the event's value at that path
/// selects the few workflows that can match. Workflows with no such conjunct
/// are always candidates. The cost per event therefore grows with the number
/// of workflows that *could* match, not with the size of the set.
struct TriggerIndex: Sendable {
    /// Candidates for one event type.
    struct Bucket: Sendable {
        var always: [Int] = []
        var equals: [(path: [String], table: [Value: [Int]])] = []
        var contains: [(path: [String], table: [Value: [Int]])] = []
    }

    private let workflows: [Workflow]
    private var buckets: [String: Bucket] = [:]

    init(_ workflows: [Workflow]) {
        self.workflows = workflows
    }

    /// Every workflow listening to the event's type, in run order: for
    /// explaining why each one did or did not fire.
    func listeners(for event: Event) -> [Int] {
        workflows.indices.filter { workflows[$0].triggers.contains { $0.matches(eventType: event.type) } }
    }

    /// Indexes of the workflows that may fire on `event`, in run order.
    mutating func candidates(for event: Event, root: (([String]) -> Value?)) -> [Int] {
        let bucket: Bucket
        if let cached = buckets[event.type] {
            bucket = cached
        } else {
            bucket = makeBucket(for: event.type)
            buckets[event.type] = bucket
        }
        if bucket.equals.isEmpty && bucket.contains.isEmpty { return bucket.always }
        var result = bucket.always
        for (path, table) in bucket.equals {
            if let value = root(path), let found = table[value] { result += found }
        }
        for (path, table) in bucket.contains {
            guard let items = root(path)?.arrayValue else { continue }
            for item in items {
                if let found = table[item] { result += found }
            }
        }
        result.sort()
        // A workflow listed under two list items appears twice.
        var unique: [Int] = []
        unique.reserveCapacity(result.count)
        for index in result where unique.last != index { unique.append(index) }
        return unique
    }

    private func makeBucket(for type: String) -> Bucket {
        var bucket = Bucket()
        var equals: [[String]: [Value: [Int]]] = [:]
        var contains: [[String]: [Value: [Int]]] = [:]
        for (index, workflow) in workflows.enumerated() where workflow.triggers.contains(where: { $0.matches(eventType: type) }) {
            let hints = workflow.condition?.indexHints ?? []
            // Prefer an equality (one lookup) over list membership.
            if let hint = hints.first(where: { if case .equals = $0 { true } else { false } }),
                case .equals(let path, let values) = hint
            {
                for value in Set(values) { equals[path, default: [:]][value, default: []].append(index) }
            } else if let hint = hints.first(where: { if case .listContains = $0 { true } else { false } }),
                case .listContains(let path, let value) = hint
            {
                contains[path, default: [:]][value, default: []].append(index)
            } else {
                bucket.always.append(index)
            }
        }
        bucket.equals = equals.map { ($0.key, $0.value) }.sorted { $0.path.lexicographicallyPrecedes($1.path) }
        bucket.contains = contains.map { ($0.key, $0.value) }.sorted { $0.path.lexicographicallyPrecedes($1.path) }
        return bucket
    }
}
