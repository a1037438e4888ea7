import Core

/// One step: an action with its parameters, and an optional condition.
public final class Step: Sendable {
    /// `id:` when given, otherwise the step's 1-based position. Part of the
    /// key that makes each effect happen at most once per event.
    public let id: String
    public let action: String
    public let parameters: [ParameterBinding]
    public let condition: Condition?
    public let location: SourceLocation

    public init(id: String, action: String, parameters: [ParameterBinding], condition: Condition?, location: SourceLocation) {
        self.id = id
        self.action = action
        self.parameters = parameters
        self.condition = condition
        self.location = location
    }
}
