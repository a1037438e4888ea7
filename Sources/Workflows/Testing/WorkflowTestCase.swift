import Core

/// One test case from a `*.test.yaml` file: events in, expected effects out.
///
/// ```yaml
/// workflows: [urgent-billing]     # optional: only these workflows' effects are compared
/// tests:
///   - name: urgent billing goes to tier 2
///     ticket: { id: T-1, priority: urgent, tags: [billing] }   # shared by every event
///     events:
///       - type: ticket.created
///     expect:                                                 # written like steps
///       - tag: needs-tier2
///       - escalate: { to: billing-tier2 }
///         workflow: urgent-billing
/// ```
public struct WorkflowTestCase: Sendable {
    public var name: String
    public var location: SourceLocation
    /// Events, and moves of the clock (`advance: 5h`) that fire due timers.
    public var steps: [Step]

    public enum Step: Sendable {
        case event(Event)
        case advance(to: Timestamp)
    }

    /// The events, without the clock moves.
    public var events: [Event] {
        steps.compactMap { if case .event(let event) = $0 { event } else { nil } }
    }
    public var expectations: [Expectation]
    /// The workflows whose effects are compared; `nil` for all. Every
    /// workflow still runs (cascades included), so a test of one workflow
    /// keeps passing when unrelated workflows are added to the folder.
    public var workflows: [String]?

    /// One expected effect: an action, the parameters that must match (others
    /// are not compared), optionally the workflow that must produce it, and
    /// optionally what the step reported (`result:`, matched against the
    /// effect's details: the guide chosen, a recommendation's tickets).
    public struct Expectation: Sendable, Hashable {
        public var action: String
        public var parameters: Value.Object
        public var workflow: String?
        /// `nil` when the case does not look at the step's result.
        public var result: Value.Object?
        public var location: SourceLocation

        public var summary: String {
            var text = (workflow.map { "\($0): " } ?? "") + action
            for (name, value) in parameters.pairs { text += " \(name)=" + JSONWriter.string(value) }
            if let result { text += " result=" + JSONWriter.string(.object(result)) }
            return text
        }
    }
}
