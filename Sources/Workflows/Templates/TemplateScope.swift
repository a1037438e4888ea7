import Core
import Mustache

/// What a template sees: `event`, `ticket` and `previous.ticket`, presented to
/// Mustache as nested lookups over `Value`s without copying them.
public struct TemplateScope: MustacheParent, MustacheCustomRenderable {
    let value: Value

    public init(event: Value, ticket: Value, previousTicket: Value?) {
        var root = Value.Object()
        root["event"] = event
        root["ticket"] = ticket
        root["previous"] = previousTicket.map { .object(Value.Object([("ticket", $0)])) } ?? .null
        value = .object(root)
    }

    init(value: Value) { self.value = value }

    public func child(named name: String) -> Any? {
        guard let child = value.value(at: CollectionOfOne(name)) else { return nil }
        return Self.present(child)
    }

    public var renderText: String { JSONWriter.string(value) }
    public var isNull: Bool { value.isNull }

    /// Scalars become Swift values Mustache renders directly; lists become
    /// arrays (for sections); objects stay scopes.
    static func present(_ value: Value) -> Any? {
        switch value {
        case .null: nil
        case .bool(let flag): flag
        case .int(let number): number
        case .double(let number): number
        case .string(let text): text
        case .array(let items): items.map { present($0) ?? "" }
        case .object: TemplateScope(value: value)
        }
    }
}
