import Core

/// What makes an effect unique: the event that triggered it, the workflow
/// and the step. A store records each key at most once.
public struct EffectKey: Sendable, Hashable, CustomStringConvertible {
    public var eventID: String
    public var workflow: String
    public var step: String

    public init(eventID: String, workflow: String, step: String) {
        self.eventID = eventID
        self.workflow = workflow
        self.step = step
    }

    public var description: String { "\(eventID)/\(workflow)/\(step)" }
}
