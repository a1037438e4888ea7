/// A JSON-shaped value: what events, tickets and action parameters are made of.
///
/// Objects keep their keys in the order they were read so that a payload
/// written back out looks like the one that came in, unknown fields included.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([Value])
    case object(Object)

    /// An ordered JSON object. Lookups are linear: event and ticket objects are
    /// small, and a scan of a few keys beats hashing them.
    public struct Object: Sendable, Hashable {
        public private(set) var keys: [String]
        public private(set) var values: [Value]

        public init() {
            keys = []
            values = []
        }

        public init(_ pairs: [(String, Value)]) {
            keys = []
            values = []
            keys.reserveCapacity(pairs.count)
            values.reserveCapacity(pairs.count)
            for (key, value) in pairs { self[key] = value }
        }

        /// Builds an object from keys already known to be distinct (a parser
        /// that has checked them), skipping the per-key lookup.
        public init(distinctKeys keys: [String], values: [Value]) {
            precondition(keys.count == values.count)
            self.keys = keys
            self.values = values
        }

        public var count: Int { keys.count }
        public var isEmpty: Bool { keys.isEmpty }

        public func index(of key: String) -> Int? {
            keys.firstIndex(of: key)
        }

        public subscript(key: String) -> Value? {
            get {
                guard let index = keys.firstIndex(of: key) else { return nil }
                return values[index]
            }
            set {
                if let index = keys.firstIndex(of: key) {
                    if let newValue {
                        values[index] = newValue
                    } else {
                        keys.remove(at: index)
                        values.remove(at: index)
                    }
                } else if let newValue {
                    keys.append(key)
                    values.append(newValue)
                }
            }
        }

        /// Key-value pairs in order.
        public var pairs: Zip2Sequence<[String], [Value]> { zip(keys, values) }
    }
}

extension Value {
    public subscript(key: String) -> Value? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// Follows a dotted path of object keys and array indexes.
    public func value(at path: ArraySlice<String>) -> Value? {
        var current = self
        for segment in path {
            switch current {
            case .object(let object):
                guard let next = object[segment] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(segment), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    public func value(at path: [String]) -> Value? { value(at: path[...]) }

    /// Follows a dotted path of object keys and array indexes.
    public func value(at path: some Sequence<String>) -> Value? {
        value(at: Array(path)[...])
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .int(let number): return number
        case .double(let number) where number.rounded() == number && abs(number) < 9e15: return Int(number)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    public var arrayValue: [Value]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var objectValue: Object? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The name of the value's JSON type, for messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) { self = .object(Object(elements)) }
    public init(nilLiteral: ()) { self = .null }
}
