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
        case .array(let items): TemplateList(items: items)
        case .object: TemplateScope(value: value)
        }
    }
}

/// A list as templates see it: iterated by sections (`{{#ticket.tags}}`),
/// and indexed by number (`{{ event.effect.details.guides.0.title }}`) the
/// same way the fast interpolation path indexes it.
struct TemplateList: MustacheSequence, MustacheParent, MustacheCustomRenderable {
    let items: [Value]

    func makeIterator() -> AnyIterator<Any> {
        var iterator = items.makeIterator()
        return AnyIterator { iterator.next().map { TemplateScope.present($0) ?? "" } }
    }

    func child(named name: String) -> Any? {
        guard let index = Int(name), items.indices.contains(index) else { return nil }
        return TemplateScope.present(items[index])
    }

    var renderText: String { JSONWriter.string(.array(items)) }
    var isNull: Bool { items.isEmpty }
}
