import Core

/// One node of a YAML document, with the place it starts in the file.
///
/// Scalars keep their text and style as written, untyped: the workflow layer
/// decides whether `on` is a key or a value and whether `"5"` may be a number,
/// and it points its own diagnostics at `location`. Aliases have already been
/// replaced by copies of their anchored nodes, which keep the anchor's locations.
public struct YAMLNode: Sendable, Hashable {
    /// How a scalar was written; only plain scalars are typed by `jsonValue()`.
    public enum ScalarStyle: String, Sendable, Hashable {
        case plain
        case singleQuoted
        case doubleQuoted
        /// A `|` block scalar.
        case literal
        /// A `>` block scalar.
        case folded
    }

    /// One `key: value` entry of a mapping, in the order written.
    public struct Pair: Sendable, Hashable {
        public var key: YAMLNode
        public var value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public enum Kind: Sendable, Hashable {
        /// The scalar's content after quoting and folding are undone.
        case scalar(String, style: ScalarStyle)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    /// Where the node starts (its anchor or tag, if it has one), 1-based.
    public var location: SourceLocation
    public var kind: Kind

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The scalar's text, or `nil` for a sequence or mapping.
    public var scalarText: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// Whether this is an unquoted scalar, the only kind YAML types implicitly.
    public var isPlainScalar: Bool {
        if case .scalar(_, .plain) = kind { return true }
        return false
    }

    /// The entries of a mapping, or `nil` for anything else.
    public var pairs: [Pair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// The items of a sequence, or `nil` for anything else.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The value stored under a scalar key with this text, in a mapping.
    public func value(forKey key: String) -> YAMLNode? {
        pairs?.first { $0.key.scalarText == key }?.value
    }

    /// "scalar", "sequence" or "mapping", for messages.
    public var kindName: String {
        switch kind {
        case .scalar: "scalar"
        case .sequence: "sequence"
        case .mapping: "mapping"
        }
    }

    /// The node as JSON, typing plain scalars by the YAML 1.2 core schema.
    ///
    /// `null`, `~` and empty are null; `true`/`false` (also capitalised or in
    /// capitals) are booleans; decimal, `0o` and `0x` integers are integers
    /// (numbers too big for `Int` become doubles); floats, `.inf` and `.nan`
    /// are doubles. Everything else, and every quoted or block scalar, is a
    /// string: unlike YAML 1.1, `yes`, `no`, `on` and `off` stay strings.
    /// Mapping keys are their scalar text (`1:` gives the key `"1"`).
    public func jsonValue() -> Value {
        // Iterative so that a deep tree built with raised limits cannot
        // exhaust the stack here.
        enum Step {
            case convert(YAMLNode)
            case makeArray(count: Int)
            case makeObject(keys: [String])
        }
        var steps: [Step] = [.convert(self)]
        var finished: [Value] = []
        while let step = steps.popLast() {
            switch step {
            case .convert(let node):
                switch node.kind {
                case .scalar(let text, let style):
                    finished.append(style == .plain ? YAMLCoreSchema.value(ofPlain: text) : .string(text))
                case .sequence(let items):
                    steps.append(.makeArray(count: items.count))
                    steps.append(contentsOf: items.reversed().map(Step.convert))
                case .mapping(let pairs):
                    steps.append(.makeObject(keys: pairs.map { $0.key.scalarText ?? "" }))
                    steps.append(contentsOf: pairs.reversed().map { Step.convert($0.value) })
                }
            case .makeArray(let count):
                let items = Array(finished.suffix(count))
                finished.removeLast(count)
                finished.append(.array(items))
            case .makeObject(let keys):
                let values = finished.suffix(keys.count)
                finished.removeLast(keys.count)
                finished.append(.object(Value.Object(Array(zip(keys, values)))))
            }
        }
        return finished[0]
    }
}
