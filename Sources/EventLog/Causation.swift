import Core

/// What produced an engine event: the triggering event, the workflow (and
/// the version of its file) and the step.
public struct Causation: Sendable, Hashable {
    public var eventID: String
    public var workflow: String
    public var workflowVersion: String
    public var step: String

    public init(eventID: String, workflow: String, workflowVersion: String, step: String) {
        self.eventID = eventID
        self.workflow = workflow
        self.workflowVersion = workflowVersion
        self.step = step
    }
}
