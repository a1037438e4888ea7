import Core
import Workflows

/// What one action did.
public enum ActionOutcome: Sendable, Hashable {
    /// The action took effect; the engine appends the spec's `emits` event.
    case applied
    /// Nothing to do (the tag was already there); no follow-up event.
    case unchanged(reason: String)
    case failed(message: String, retryable: Bool)
}
