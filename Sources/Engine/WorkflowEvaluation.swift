import Core

/// One workflow considered for one event.
public struct WorkflowEvaluation: Sendable {
    public enum Result: String, Sendable, Hashable {
        case fired
        /// Its condition was false.
        case notMatched = "not_matched"
        /// Skipped: disabled, an earlier workflow stopped the run, or the event is its own effect.
        case skipped
    }

    public var workflow: String
    public var version: String
    public var file: String
    public var result: Result
    /// Why it did not fire, in words (the failing part of the condition and its values).
    public var reason: String?
    public var effects: [Effect]
    /// Set when a step failed and the rest of the workflow did not run.
    public var failure: String?
}
