import Core

/// Recursive descent over the token list. Recursion only happens through
/// nesting (parentheses, lists, calls, `not`), which is capped at
/// `maximumDepth`; chains of `and`/`or` are loops.
struct ExpressionParser {
    static let maximumDepth = 32

    private let tokens: [ExpressionToken]
    private var index = 0
    private var depth = 0

    init(tokens: [ExpressionToken]) {
        self.tokens = tokens
    }

    mutating func parse() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        if current.kind == .end {
            throw ExpressionSyntaxError("the condition is empty", at: current.offset)
        }
        let expression = try parseOr()
        guard current.kind == .end else {
            throw ExpressionSyntaxError(
                "unexpected \(current.quoted) after a complete expression", at: current.offset,
                hint: current.kind == .word || current.kind == .string
                    ? "join conditions with `and` or `or`" : nil)
        }
        return expression
    }

    private var current: ExpressionToken { tokens[index] }
    private var following: ExpressionToken { tokens[min(index + 1, tokens.count - 1)] }

    private mutating func advance() -> ExpressionToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func enter(_ token: ExpressionToken) throws(ExpressionSyntaxError) {
        depth += 1
        if depth > ExpressionParser.maximumDepth {
            throw ExpressionSyntaxError(
                "the condition is nested more than \(ExpressionParser.maximumDepth) levels deep", at: token.offset,
                tooComplex: true)
        }
    }

    private mutating func parseOr() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        var operands = [try parseAnd()]
        while current.isWord("or") || current.isSymbol("||") {
            _ = advance()
            operands.append(try parseAnd())
        }
        return operands.count == 1 ? operands[0] : .logical(isAnd: false, operands, range: span(operands))
    }

    private mutating func parseAnd() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        var operands = [try parseNot()]
        while current.isWord("and") || current.isSymbol("&&") {
            _ = advance()
            operands.append(try parseNot())
        }
        return operands.count == 1 ? operands[0] : .logical(isAnd: true, operands, range: span(operands))
    }

    private mutating func parseNot() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        if (current.isWord("not") && !following.isWord("in")) || current.isSymbol("!") {
            let token = advance()
            try enter(token)
            defer { depth -= 1 }
            let operand = try parseNot()
            return .not(operand, range: token.offset..<operand.range.upperBound)
        }
        return try parseBinary(level: 0)
    }

    /// Operator levels from loosest to tightest binding.
    private static let levels: [[ExpressionSyntax.BinaryOperator]] = [
        [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual],
        [.in, .notIn],
        [.contains],
        [.matches],
    ]

    private mutating func parseBinary(level: Int) throws(ExpressionSyntaxError) -> ExpressionSyntax {
        guard level < ExpressionParser.levels.count else { return try parsePrimary() }
        let left = try parseBinary(level: level + 1)
        guard let op = binaryOperator(), ExpressionParser.levels[level].contains(op) else { return left }
        let token = advance()
        if op == .notIn { _ = advance() }
        let right = try parseBinary(level: level + 1)
        // Operators of one level do not chain: `a == b == c` is almost always a
        // mistake, and refusing it keeps trees shallow.
        if let again = binaryOperator(), ExpressionParser.levels[level].contains(again) {
            throw ExpressionSyntaxError(
                "`\(again.rawValue)` cannot follow `\(op.rawValue)` directly", at: current.offset,
                hint: "join the comparisons with `and`, or add parentheses")
        }
        return .binary(op, left, right, operatorOffset: token.offset,
                       range: left.range.lowerBound..<right.range.upperBound)
    }

    private func binaryOperator() -> ExpressionSyntax.BinaryOperator? {
        let token = current
        switch token.kind {
        case .symbol:
            return ExpressionSyntax.BinaryOperator(rawValue: token.text)
        case .word:
            if token.text == "not", following.isWord("in") { return .notIn }
            if token.text == "in" || token.text == "contains" || token.text == "matches" {
                return ExpressionSyntax.BinaryOperator(rawValue: token.text)
            }
            return nil
        default:
            return nil
        }
    }

    private mutating func parsePrimary() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        let token = current
        switch token.kind {
        case .string:
            _ = advance()
            return .literal(.string(token.text), range: range(of: token), scalarOffsets: token.scalarOffsets)
        case .integer(let value):
            _ = advance()
            return .literal(.int(value), range: range(of: token), scalarOffsets: [])
        case .decimal(let value):
            _ = advance()
            return .literal(.double(value), range: range(of: token), scalarOffsets: [])
        case .symbol where token.text == "-":
            _ = advance()
            let number = current
            switch number.kind {
            case .integer(let value) where number.offset == token.offset + 1:
                _ = advance()
                return .literal(.int(-value), range: token.offset..<(number.offset + number.length), scalarOffsets: [])
            case .decimal(let value) where number.offset == token.offset + 1:
                _ = advance()
                return .literal(.double(-value), range: token.offset..<(number.offset + number.length), scalarOffsets: [])
            default:
                throw ExpressionSyntaxError("`-` must be followed directly by a number", at: token.offset)
            }
        case .symbol where token.text == "(":
            _ = advance()
            try enter(token)
            defer { depth -= 1 }
            let inner = try parseOr()
            guard current.isSymbol(")") else {
                throw ExpressionSyntaxError(
                    "expected `)` to close the `(`, found \(current.quoted)",
                    at: current.offset)
            }
            _ = advance()
            return inner
        case .symbol where token.text == "[":
            _ = advance()
            try enter(token)
            defer { depth -= 1 }
            let items = try parseSequence(closing: "]", opener: token)
            return .list(items.values, range: token.offset..<items.end)
        case .word:
            switch token.text {
            case "true", "false":
                _ = advance()
                return .literal(.bool(token.text == "true"), range: range(of: token), scalarOffsets: [])
            case "null":
                _ = advance()
                return .literal(.null, range: range(of: token), scalarOffsets: [])
            case "and", "or", "in", "contains", "matches":
                throw ExpressionSyntaxError("expected a value before `\(token.text)`", at: token.offset)
            default:
                break
            }
            _ = advance()
            if current.isSymbol("(") {
                let opener = advance()
                try enter(opener)
                defer { depth -= 1 }
                let arguments = try parseSequence(closing: ")", opener: opener)
                return .call(name: token.text, nameOffset: token.offset, arguments: arguments.values,
                             range: token.offset..<arguments.end)
            }
            return try parsePath(startingWith: token)
        case .end:
            throw ExpressionSyntaxError("the condition ends where a value was expected", at: token.offset)
        default:
            throw ExpressionSyntaxError("expected a value, found \(token.quoted)", at: token.offset)
        }
    }

    private mutating func parsePath(startingWith root: ExpressionToken) throws(ExpressionSyntaxError) -> ExpressionSyntax {
        var segments = [ExpressionSyntax.Segment(name: root.text, offset: root.offset, isIndex: false)]
        var end = root.offset + root.length
        while true {
            if current.isSymbol("."), current.offset == end {
                _ = advance()
                let name = current
                guard name.kind == .word, name.offset == end + 1 else {
                    // Templates write `guides.0.title`; conditions index lists with brackets.
                    if name.offset == end + 1, segments.count > 1, case .integer(let position) = name.kind {
                        throw ExpressionSyntaxError(
                            "expected a field name after `.`", at: name.offset,
                            hint: "in a condition a list item is written `\(segments.last?.name ?? "list")[\(position)]`")
                    }
                    throw ExpressionSyntaxError("expected a field name after `.`", at: name.offset)
                }
                _ = advance()
                segments.append(.init(name: name.text, offset: name.offset, isIndex: false))
                end = name.offset + name.length
            } else if current.isSymbol("["), current.offset == end {
                let open = advance()
                guard case .integer(let position) = current.kind else {
                    throw ExpressionSyntaxError("a list index must be a whole number, e.g. `[0]`", at: current.offset)
                }
                let number = advance()
                guard current.isSymbol("]") else {
                    throw ExpressionSyntaxError("expected `]` after the list index", at: current.offset)
                }
                let close = advance()
                segments.append(.init(name: String(position), offset: number.offset, isIndex: true))
                end = close.offset + 1
                _ = open
            } else {
                return .path(segments, range: root.offset..<end)
            }
        }
    }

    private mutating func parseSequence(
        closing: String, opener: ExpressionToken
    ) throws(ExpressionSyntaxError) -> (values: [ExpressionSyntax], end: Int) {
        var values: [ExpressionSyntax] = []
        while !current.isSymbol(closing) {
            values.append(try parseOr())
            if current.isSymbol(",") {
                _ = advance()
            } else if !current.isSymbol(closing) {
                throw ExpressionSyntaxError(
                    "expected `,` or `\(closing)`, found \(current.quoted)", at: current.offset)
            }
        }
        let close = advance()
        return (values, close.offset + 1)
    }

    private func range(of token: ExpressionToken) -> Range<Int> { token.offset..<(token.offset + token.length) }

    private func span(_ operands: [ExpressionSyntax]) -> Range<Int> {
        operands[0].range.lowerBound..<operands[operands.count - 1].range.upperBound
    }
}
