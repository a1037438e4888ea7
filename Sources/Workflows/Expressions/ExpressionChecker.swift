import Core

/// Type-checks a parsed condition against the schema and lowers it to
/// `ConditionNode`s, collecting every problem it can find. A sub-expression
/// with an error gets type `any` so one mistake is reported once.
struct ExpressionChecker {
    let schema: ObjectSchema
    private(set) var problems: [ExpressionProblem] = []

    init(schema: ObjectSchema) {
        self.schema = schema
    }

    private mutating func report(_ code: DiagnosticCode, _ message: String, at offset: Int, hint: String? = nil) {
        problems.append(ExpressionProblem(code: code, message: message, offset: offset, hint: hint))
    }

    mutating func check(_ syntax: ExpressionSyntax, source: [Unicode.Scalar]) -> (ConditionNode, ExpressionType) {
        self.source = source
        return check(syntax)
    }

    private var source: [Unicode.Scalar] = []

    private func text(_ syntax: ExpressionSyntax) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: source[syntax.range])
        let text = String(view)
        return text.count > 40 ? String(text.prefix(37)) + "..." : text
    }

    private mutating func check(_ syntax: ExpressionSyntax) -> (ConditionNode, ExpressionType) {
        switch syntax {
        case .literal(let value, let range, _):
            return (ConditionNode(kind: .constant(value), range: range), ExpressionType(literal: value))

        case .list(let items, let range):
            let checked = items.map { check($0) }
            var element: ExpressionType = checked.first?.1 ?? .any
            for (_, type) in checked where type != element { element = .any }
            var constants: [Value] = []
            for (node, _) in checked {
                guard case .constant(let value) = node.kind else { break }
                constants.append(value)
            }
            let kind: ConditionNode.Kind = constants.count == checked.count
                ? .constant(.array(constants)) : .list(checked.map(\.0))
            return (ConditionNode(kind: kind, range: range), .list(element))

        case .path(let segments, let range):
            guard let (field, type) = checkPath(segments) else {
                return (ConditionNode(kind: .constant(.null), range: range), .any)
            }
            return (ConditionNode(kind: .field(field), range: range), type)

        case .call(let name, let nameOffset, let arguments, let range):
            return checkCall(name, nameOffset: nameOffset, arguments: arguments, range: range)

        case .not(let operand, let range):
            let (node, type) = check(operand)
            requireBoolean(type, operand, operatorName: "not")
            return (ConditionNode(kind: .not(node), range: range), .bool)

        case .logical(let isAnd, let operands, let range):
            var nodes: [ConditionNode] = []
            for operand in operands {
                let (node, type) = check(operand)
                requireBoolean(type, operand, operatorName: isAnd ? "and" : "or")
                nodes.append(node)
            }
            return (ConditionNode(kind: isAnd ? .all(nodes) : .any(nodes), range: range), .bool)

        case .binary(let op, let left, let right, let operatorOffset, let range):
            return checkBinary(op, left, right, operatorOffset: operatorOffset, range: range)
        }
    }

    private mutating func requireBoolean(_ type: ExpressionType, _ syntax: ExpressionSyntax, operatorName: String) {
        guard type != .bool, type != .any else { return }
        report(.typeMismatch, "`\(operatorName)` needs true or false, but `\(text(syntax))` is a \(type)",
               at: syntax.range.lowerBound)
    }

    // MARK: Paths

    private mutating func checkPath(_ segments: [ExpressionSyntax.Segment]) -> (ConditionNode.Field, ExpressionType)? {
        var type: FieldType = .object(schema)
        var written: [String] = []
        for segment in segments {
            let here = ConditionNode.render(path: written)
            switch type {
            case .object(let object) where !segment.isIndex:
                if let field = object.field(named: segment.name) {
                    type = field.type
                } else if object.isOpen {
                    type = .any
                } else if written.isEmpty {
                    let hint = Suggestion.hint(for: segment.name, in: object.fieldNames + ConditionFunction.names)
                        ?? "write text in quotes, e.g. \"\(segment.name)\""
                    let roots = object.fieldNames.map { "`\($0)`" }.joined(separator: ", ")
                    report(.unknownField, "unknown name `\(segment.name)`; a field path starts with \(roots)",
                           at: segment.offset, hint: hint)
                    return nil
                } else {
                    report(.unknownField, "`\(here)` has no field `\(segment.name)`", at: segment.offset,
                           hint: Suggestion.hint(for: segment.name, in: object.fieldNames))
                    return nil
                }
            case .object:
                report(.unknownField, "`\(here)` is an object, not a list", at: segment.offset)
                return nil
            case .list(let element) where segment.isIndex:
                type = element
            case .list:
                report(.unknownField, "`\(here)` is a list and has no field `\(segment.name)`", at: segment.offset,
                       hint: "to test membership write `\"\(segment.name)\" in \(here)`")
                return nil
            case .any:
                break
            default:
                report(.unknownField,
                       "`\(here)` is a \(ExpressionType(type)) and has no \(segment.isIndex ? "index" : "field `\(segment.name)`")",
                       at: segment.offset)
                return nil
            }
            written.append(segment.name)
        }

        var root: ConditionNode.Root
        var rest = segments.dropFirst()
        switch written[0] {
        case "ticket": root = .ticket
        case "event": root = .event
        case "previous":
            if let next = rest.first, !next.isIndex, next.name == "ticket" {
                root = .previousTicket
                rest = rest.dropFirst()
            } else {
                root = .previous
            }
        default: root = .other(written[0])
        }
        let steps: [ConditionNode.Step] = rest.map { $0.isIndex ? .index(Int($0.name) ?? -1) : .key($0.name) }
        let resultType = ExpressionType(type)
        var isList = false
        if case .list = resultType { isList = true }
        return (ConditionNode.Field(root: root, steps: steps, path: written, isList: isList), resultType)
    }

    // MARK: Calls

    private mutating func checkCall(
        _ name: String, nameOffset: Int, arguments: [ExpressionSyntax], range: Range<Int>
    ) -> (ConditionNode, ExpressionType) {
        let failed = (ConditionNode(kind: .constant(.null), range: range), ExpressionType.any)
        guard let function = ConditionFunction.named(name) else {
            report(.unknownFunction, "unknown function `\(name)`", at: nameOffset,
                   hint: Suggestion.hint(for: name, in: ConditionFunction.names))
            for argument in arguments { _ = check(argument) }
            return failed
        }
        guard arguments.count == function.parameters.count else {
            let expected = function.parameters.count
            report(.wrongArgumentCount,
                   "`\(name)` takes \(expected) argument\(expected == 1 ? "" : "s"), but \(arguments.count) \(arguments.count == 1 ? "was" : "were") given",
                   at: nameOffset)
            return failed
        }
        var nodes: [ConditionNode] = []
        var ok = true
        for (argument, parameter) in zip(arguments, function.parameters) {
            if case .ticketField = parameter {
                guard case .path(let segments, let argumentRange) = argument, segments.count > 1,
                      segments[0].name == "ticket"
                else {
                    report(.typeMismatch, "`\(name)` takes a ticket field, e.g. `\(name)(ticket.priority)`",
                           at: argument.range.lowerBound)
                    ok = false
                    continue
                }
                guard let (field, _) = checkPath(segments) else {
                    ok = false
                    continue
                }
                nodes.append(ConditionNode(kind: .field(field), range: argumentRange))
                continue
            }
            let (node, type) = check(argument)
            nodes.append(node)
            guard type != .any else { continue }
            let accepted: Bool
            let wanted: String
            switch parameter {
            case .text: (accepted, wanted) = (type.isStringLike, "a string")
            case .textOrList:
                if case .list = type { accepted = true } else { accepted = type.isStringLike }
                wanted = "a string or a list"
            case .time: (accepted, wanted) = (type == .timestamp || type == .string, "a timestamp")
            case .anything, .ticketField: (accepted, wanted) = (true, "")
            }
            if !accepted {
                report(.typeMismatch, "`\(name)` needs \(wanted), but `\(text(argument))` is a \(type)",
                       at: argument.range.lowerBound)
                ok = false
            }
        }
        guard ok else { return failed }
        switch function.implementation {
        case .unary(let body):
            return (ConditionNode(kind: .unary(body, nodes[0]), range: range), function.result)
        case .binary(let body):
            return (ConditionNode(kind: .binary(body, nodes[0], nodes[1]), range: range), function.result)
        case .changed:
            guard case .field(let field) = nodes[0].kind else { return failed }
            return (ConditionNode(kind: .changed(field), range: range), function.result)
        }
    }

    // MARK: Operators

    private mutating func checkBinary(
        _ op: ExpressionSyntax.BinaryOperator, _ left: ExpressionSyntax, _ right: ExpressionSyntax,
        operatorOffset: Int, range: Range<Int>
    ) -> (ConditionNode, ExpressionType) {
        let (leftNode, leftType) = check(left)
        let (rightNode, rightType) = check(right)
        func node(_ kind: ConditionNode.Kind) -> (ConditionNode, ExpressionType) {
            (ConditionNode(kind: kind, range: range), .bool)
        }
        switch op {
        case .equal, .notEqual:
            comparable(leftType, left, rightType, right, op: op, operatorOffset: operatorOffset, ordering: false)
            let asTime = leftType == .timestamp || rightType == .timestamp
            return node(.equal(leftNode, rightNode, negated: op == .notEqual, asTime: asTime))

        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            comparable(leftType, left, rightType, right, op: op, operatorOffset: operatorOffset, ordering: true)
            var ranks: [String]?
            if case .enumeration(let values) = leftType { ranks = values }
            if case .enumeration(let values) = rightType, ranks == nil { ranks = values }
            let asTime = leftType == .timestamp || rightType == .timestamp
            return node(.order(op, leftNode, rightNode, ranks: ranks, asTime: asTime))

        case .in, .notIn:
            switch rightType {
            case .list(let element):
                if case .list(let items, _) = right {
                    for item in items {
                        comparable(leftType, left, ExpressionType(literalOf: item) ?? element, item, op: op,
                                   operatorOffset: operatorOffset, ordering: false)
                    }
                } else {
                    comparable(leftType, left, element, nil, op: op, operatorOffset: operatorOffset, ordering: false)
                }
            case let type where type.isStringLike:
                if leftType != .any, !leftType.isStringLike {
                    report(.typeMismatch,
                           "`\(op.rawValue)` with a string on the right looks for text, but `\(text(left))` is a \(leftType)",
                           at: left.range.lowerBound)
                }
            case .any:
                break
            default:
                report(.typeMismatch,
                       "`\(op.rawValue)` needs a list or a string on the right, but `\(text(right))` is a \(rightType)",
                       at: right.range.lowerBound)
            }
            return node(.member(leftNode, rightNode, negated: op == .notIn))

        case .contains:
            switch leftType {
            case .list(let element):
                comparable(element, nil, rightType, right, op: op, operatorOffset: operatorOffset, ordering: false)
            case let type where type.isStringLike:
                if rightType != .any, !rightType.isStringLike {
                    report(.typeMismatch, "`contains` on text needs a string, but `\(text(right))` is a \(rightType)",
                           at: right.range.lowerBound)
                }
            case .any:
                break
            default:
                report(.typeMismatch,
                       "`contains` needs a string or a list on the left, but `\(text(left))` is a \(leftType)",
                       at: left.range.lowerBound)
            }
            return node(.contains(leftNode, rightNode))

        case .matches:
            if leftType != .any, !leftType.isStringLike {
                report(.typeMismatch, "`matches` needs a string on the left, but `\(text(left))` is a \(leftType)",
                       at: left.range.lowerBound)
            }
            guard case .literal(.string(let pattern), let patternRange, let offsets) = right else {
                report(.typeMismatch, "`matches` needs a pattern in quotes on the right, e.g. \"^refund\"",
                       at: right.range.lowerBound)
                return node(.constant(.bool(false)))
            }
            switch SafeRegex.compile(pattern) {
            case .success(let regex):
                return node(.matches(leftNode, regex))
            case .failure(let error):
                let offset = error.offset < offsets.count ? offsets[error.offset] : patternRange.lowerBound
                report(.invalidRegex, "invalid pattern: \(error.message)", at: offset)
                return node(.constant(.bool(false)))
            }
        }
    }

    /// Reports when two sides can never be compared, and when a string
    /// literal is not a possible value of an enumeration or not a timestamp.
    private mutating func comparable(
        _ leftType: ExpressionType, _ left: ExpressionSyntax?, _ rightType: ExpressionType, _ right: ExpressionSyntax?,
        op: ExpressionSyntax.BinaryOperator, operatorOffset: Int, ordering: Bool
    ) {
        if checkLiteral(against: leftType, described: left, literal: right)
            || checkLiteral(against: rightType, described: right, literal: left)
        {
            return
        }
        let compatible: Bool
        switch (leftType, rightType) {
        case (.any, _), (_, .any): compatible = true
        case (.null, _), (_, .null): compatible = !ordering
        case (.number, .number): compatible = true
        case (.bool, .bool), (.list, .list), (.object, .object): compatible = !ordering
        case (let a, let b) where a.isStringLike && b.isStringLike: compatible = true
        default: compatible = false
        }
        guard !compatible else { return }
        let leftText = left.map { "`\(text($0))` (\(leftType))" } ?? "a \(leftType)"
        let rightText = right.map { "`\(text($0))` (\(rightType))" } ?? "a \(rightType)"
        if ordering, leftType == rightType {
            report(.typeMismatch, "`\(op.rawValue)` cannot order values of type \(leftType)", at: operatorOffset)
        } else {
            report(.typeMismatch, "`\(op.rawValue)` cannot compare \(leftText) with \(rightText)", at: operatorOffset)
        }
    }

    /// True when `literal` is a string literal checked against an enumeration
    /// or timestamp `type` (reporting if it does not fit).
    private mutating func checkLiteral(
        against type: ExpressionType, described field: ExpressionSyntax?, literal: ExpressionSyntax?
    ) -> Bool {
        guard case .literal(.string(let value), let range, _)? = literal else { return false }
        switch type {
        case .enumeration(let values):
            if !values.contains(value) {
                let name = field.map { "`\(text($0))`" } ?? "the field"
                let choices = values.map { "\"\($0)\"" }.joined(separator: ", ")
                report(.typeMismatch, "\"\(value)\" is not a possible value of \(name) (one of \(choices))",
                       at: range.lowerBound, hint: Suggestion.hint(for: value, in: values))
            }
            return true
        case .timestamp:
            if Timestamp.parse(value) == nil {
                report(.typeMismatch, "\"\(value)\" is not a timestamp", at: range.lowerBound,
                       hint: "write it as RFC 3339, e.g. \"2024-05-01T09:00:00Z\"")
            }
            return true
        default:
            return false
        }
    }
}

extension ExpressionType {
    /// The type of a literal list item, or `nil` for anything else.
    fileprivate init?(literalOf syntax: ExpressionSyntax) {
        guard case .literal(let value, _, _) = syntax else { return nil }
        self.init(literal: value)
    }
}
