import Core

/// A parameter as written in a step, checked against the action's spec.
public struct ParameterBinding: Sendable, Hashable {
    public var name: String
    public var value: ParameterValue
    public var location: SourceLocation

    public init(name: String, value: ParameterValue, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}
