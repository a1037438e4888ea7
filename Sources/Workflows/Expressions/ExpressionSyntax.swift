import Core

/// A parsed condition before type checking. Every node keeps its source range
/// (in Unicode scalars) so diagnostics and `explain` can quote it.
indirect enum ExpressionSyntax: Sendable {
    struct Segment: Sendable {
        var name: String
        var offset: Int
        /// Written as `[0]` rather than `.name`.
        var isIndex: Bool
    }

    enum BinaryOperator: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case `in` = "in", notIn = "not in", contains = "contains", matches = "matches"
    }

    /// `scalarOffsets` is set for string literals (see `ExpressionToken`).
    case literal(Value, range: Range<Int>, scalarOffsets: [Int])
    case list([ExpressionSyntax], range: Range<Int>)
    case path([Segment], range: Range<Int>)
    case call(name: String, nameOffset: Int, arguments: [ExpressionSyntax], range: Range<Int>)
    case not(ExpressionSyntax, range: Range<Int>)
    case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax, operatorOffset: Int, range: Range<Int>)
    /// `and` (`isAnd`) or `or` over two or more operands, flattened so long
    /// chains do not make deep trees.
    case logical(isAnd: Bool, [ExpressionSyntax], range: Range<Int>)

    var range: Range<Int> {
        switch self {
        case .literal(_, let range, _), .list(_, let range), .path(_, let range), .call(_, _, _, let range),
            .not(_, let range), .binary(_, _, _, _, let range), .logical(_, _, let range):
            return range
        }
    }
}
