import Core

/// A type-checked sub-expression, ready to evaluate: field paths are already
/// split into steps and regexes compiled, so evaluation parses nothing.
struct ConditionNode: Sendable {
    enum Root: Sendable {
        case event, ticket, previousTicket
        /// Bare `previous`: an object holding the previous ticket.
        case previous
        /// A root of a custom schema, read from the event object.
        case other(String)
    }

    enum Step: Sendable {
        case key(String)
        case index(Int)
    }

    struct Field: Sendable {
        var root: Root
        var steps: [Step]
        /// The path as written from the root (`["ticket", "tags", "0"]`).
        var path: [String]
        /// Statically a list, so `"x" in path` is a membership test.
        var isList: Bool
        var text: String { ConditionNode.render(path: path) }
    }

    indirect enum Kind: Sendable {
        case constant(Value)
        case field(Field)
        case list([ConditionNode])
        case not(ConditionNode)
        case all([ConditionNode])
        case any([ConditionNode])
        case equal(ConditionNode, ConditionNode, negated: Bool, asTime: Bool)
        /// `ranks` orders enumeration values; `asTime` parses both sides as timestamps.
        case order(ExpressionSyntax.BinaryOperator, ConditionNode, ConditionNode, ranks: [String]?, asTime: Bool)
        case member(ConditionNode, ConditionNode, negated: Bool)
        case contains(ConditionNode, ConditionNode)
        case matches(ConditionNode, SafeRegex)
        case unary(@Sendable (Value?, EvaluationContext) -> Value?, ConditionNode)
        case binary(@Sendable (Value?, Value?) -> Value?, ConditionNode, ConditionNode)
        /// The field, rooted at `ticket`, compared with the previous ticket.
        case changed(Field)
    }

    var kind: Kind
    var range: Range<Int>

    func isTrue(_ context: EvaluationContext) -> Bool {
        if case .bool(true)? = evaluate(context) { return true }
        return false
    }

    /// `nil` means missing; comparisons treat it like `null`.
    func evaluate(_ context: EvaluationContext) -> Value? {
        switch kind {
        case .constant(let value):
            return value
        case .field(let field):
            return ConditionNode.resolve(field, in: context)
        case .list(let items):
            return .array(items.map { $0.evaluate(context) ?? .null })
        case .not(let operand):
            return .bool(!operand.isTrue(context))
        case .all(let operands):
            for operand in operands where !operand.isTrue(context) { return .bool(false) }
            return .bool(true)
        case .any(let operands):
            for operand in operands where operand.isTrue(context) { return .bool(true) }
            return .bool(false)
        case .equal(let left, let right, let negated, let asTime):
            let same = ConditionNode.equal(left.evaluate(context), right.evaluate(context), asTime: asTime)
            return .bool(same != negated)
        case .order(let op, let left, let right, let ranks, let asTime):
            guard let order = ConditionNode.order(
                left.evaluate(context), right.evaluate(context), ranks: ranks, asTime: asTime)
            else { return .bool(false) }
            switch op {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .member(let left, let right, let negated):
            return .bool(ConditionNode.member(left.evaluate(context), of: right.evaluate(context)) != negated)
        case .contains(let left, let right):
            return .bool(ConditionNode.member(right.evaluate(context), of: left.evaluate(context)))
        case .matches(let operand, let regex):
            guard case .string(let text)? = operand.evaluate(context) else { return .bool(false) }
            return .bool(regex.matches(text))
        case .unary(let function, let argument):
            return function(argument.evaluate(context), context)
        case .binary(let function, let first, let second):
            return function(first.evaluate(context), second.evaluate(context))
        case .changed(let field):
            guard let previous = context.previousTicket else { return .bool(false) }
            let before = ConditionNode.follow(field.steps, from: previous)
            let after = ConditionNode.follow(field.steps, from: context.ticket)
            return .bool(!ConditionNode.equal(before, after, asTime: false))
        }
    }

    static func resolve(_ field: Field, in context: EvaluationContext) -> Value? {
        switch field.root {
        case .ticket: return follow(field.steps, from: context.ticket)
        case .event: return follow(field.steps, from: context.event)
        case .previousTicket:
            guard let previous = context.previousTicket else { return nil }
            return follow(field.steps, from: previous)
        case .previous:
            guard let previous = context.previousTicket else { return nil }
            return follow(field.steps, from: .object(.init([("ticket", previous)])))
        case .other(let name):
            guard let base = context.event[name] else { return nil }
            return follow(field.steps, from: base)
        }
    }

    static func follow(_ steps: [Step], from base: Value) -> Value? {
        var current = base
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else { return nil }
                current = next
            case (.index(let index), .array(let items)):
                guard items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Equality with numbers compared by value (`1 == 1.0`) and missing equal to `null`.
    static func equal(_ left: Value?, _ right: Value?, asTime: Bool) -> Bool {
        switch (left ?? .null, right ?? .null) {
        case (.null, .null): return true
        case (.string(let a), .string(let b)):
            if a == b { return true }
            guard asTime, let first = Timestamp.parse(a), let second = Timestamp.parse(b) else { return false }
            return first == second
        case (.int(let a), .int(let b)): return a == b
        case (.int, .double), (.double, .int), (.double, .double):
            return left?.doubleValue == right?.doubleValue
        case (.bool(let a), .bool(let b)): return a == b
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where !equal(x, y, asTime: false) { return false }
            return true
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    /// -1, 0 or 1; `nil` when the values cannot be ordered (null, mixed types,
    /// a value outside the enumeration), which makes every ordering false.
    static func order(_ left: Value?, _ right: Value?, ranks: [String]?, asTime: Bool) -> Int? {
        switch (left, right) {
        case (.string(let a)?, .string(let b)?):
            if let ranks {
                guard let first = ranks.firstIndex(of: a), let second = ranks.firstIndex(of: b) else { return nil }
                return sign(first, second)
            }
            if asTime {
                guard let first = Timestamp.parse(a), let second = Timestamp.parse(b) else { return nil }
                return sign(first, second)
            }
            return sign(a, b)
        case (.int(let a)?, .int(let b)?):
            return sign(a, b)
        case (.int?, .double?), (.double?, .int?), (.double?, .double?):
            guard let a = left?.doubleValue, let b = right?.doubleValue, !a.isNaN, !b.isNaN else { return nil }
            return sign(a, b)
        default:
            return nil
        }
    }

    private static func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

    /// `item in container`: list membership or substring; false for null or missing.
    static func member(_ item: Value?, of container: Value?) -> Bool {
        guard let item, !item.isNull else { return false }
        switch container {
        case .array(let items)?:
            for candidate in items where equal(item, candidate, asTime: false) { return true }
            return false
        case .string(let text)?:
            guard case .string(let part) = item else { return false }
            return TextSearch.contains(text, part)
        default:
            return false
        }
    }

    /// `ticket.tags[0]`-style text for a path.
    static func render(path: [String]) -> String {
        var text = ""
        for (index, segment) in path.enumerated() {
            if index > 0, let first = segment.unicodeScalars.first, first.value >= 48, first.value <= 57 {
                text += "[\(segment)]"
            } else {
                text += index == 0 ? segment : ".\(segment)"
            }
        }
        return text
    }
}
