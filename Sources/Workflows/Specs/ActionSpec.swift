import Core

/// What an action is called, what it takes and what it records: the single
/// description that validation, docs and the JSON Schema are all derived from.
/// Built-in Swift actions and plugin actions are described the same way.
public struct ActionSpec: Sendable, Hashable {
    public var name: String
    public var summary: String
    public var parameters: [ParameterSpec]
    /// The parameter a bare value fills: `tag: urgent` means `tag: { tags: [urgent] }`.
    public var shorthand: String?
    /// The event type the engine appends when the action takes effect.
    public var emits: String?
    /// Rules across or within parameters, checked when a workflow loads.
    public var checks: [ParameterCheck]

    public init(
        name: String, summary: String, parameters: [ParameterSpec], shorthand: String? = nil, emits: String? = nil,
        checks: [ParameterCheck] = []
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.shorthand = shorthand
        self.emits = emits
        self.checks = checks
    }

    public func parameter(named name: String) -> ParameterSpec? {
        parameters.first { $0.name == name }
    }
}

/// The actions a workflow set may use, keyed by name. A value built where the
/// program is put together, never a global: tests build small ones.
public struct ActionCatalog: Sendable {
    public private(set) var specs: [String: ActionSpec] = [:]

    public init(_ specs: [ActionSpec] = []) {
        for spec in specs { self.specs[spec.name] = spec }
    }

    public mutating func add(_ spec: ActionSpec) { specs[spec.name] = spec }

    public subscript(name: String) -> ActionSpec? { specs[name] }

    public var names: [String] { specs.keys.sorted() }

    /// Event types any action in the catalog may append.
    public var emittedTypes: [String] { specs.values.compactMap(\.emits).sorted() }
}
