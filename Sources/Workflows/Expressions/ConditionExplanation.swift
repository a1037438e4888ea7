import Core

/// Why a condition came out true or false: the smallest sub-expressions that
/// decided it and the values they read. Shown by `explain` and `--verbose`.
public struct ConditionExplanation: Sendable, CustomStringConvertible {
    /// One deciding sub-expression, e.g. `ticket.priority == "urgent"` (false).
    public struct Clause: Sendable, Hashable {
        public var text: String
        public var result: Bool
        /// What the clause read: field paths and function calls, with the
        /// value each had (`nil` when the field was missing).
        public var observations: [Observation]
    }

    public struct Observation: Sendable, Hashable {
        public var text: String
        public var value: Value?
    }

    public var result: Bool
    public var clauses: [Clause]

    /// One line per clause: `` `ticket.priority == "urgent"` was false: ticket.priority is "normal" ``.
    public var description: String {
        clauses.map { clause in
            var line = "`\(clause.text)` was \(clause.result)"
            if !clause.observations.isEmpty {
                line += ": " + clause.observations.map { observation in
                    guard let value = observation.value else { return "\(observation.text) is missing" }
                    return "\(observation.text) is \(JSONWriter.string(value))"
                }.joined(separator: ", ")
            }
            return line
        }.joined(separator: "\n")
    }
}
