import Core

/// A compiled, type-checked `if:` condition.
///
/// Compiling does all the work that can be done once (parsing, checking
/// field paths against the schema, compiling regexes) so that `evaluate`
/// only walks a small tree. Missing and `null` fields never fail evaluation:
/// they make comparisons false (see `docs/expressions.md`).
public struct Condition: Sendable {
    /// Longer conditions are rejected with E0307.
    public static let maximumLength = 4096
    /// Deeper nesting of parentheses, lists, calls and `not` is rejected with E0307.
    public static let maximumDepth = ExpressionParser.maximumDepth

    public let source: String
    let root: ConditionNode
    /// Top-level conjuncts usable by a trigger index; see `IndexHint`.
    public let indexHints: [IndexHint]
    /// Every field path the condition reads, from the roots, in order of first use.
    public let referencedPaths: [[String]]

    /// Parses and type-checks `source`. `locate` maps an offset in Unicode
    /// scalars of `source` to its place in the workflow file, so every
    /// diagnostic points at the offending token.
    public static func compile(
        _ source: String, schema: ObjectSchema = EventSchema.root, locate: (Int) -> SourceLocation
    ) -> Result<Condition, DiagnosticsError> {
        func failure(_ problems: [ExpressionProblem]) -> Result<Condition, DiagnosticsError> {
            .failure(DiagnosticsError(problems.map {
                Diagnostic($0.code, $0.message, at: locate($0.offset), hint: $0.hint)
            }))
        }
        let scalars = Array(source.unicodeScalars)
        guard scalars.count <= maximumLength else {
            return failure([ExpressionProblem(
                code: .expressionTooComplex,
                message: "the condition is \(scalars.count) characters long; the limit is \(maximumLength)",
                offset: maximumLength)])
        }
        var lexer = ExpressionLexer(scalars)
        let syntax: ExpressionSyntax
        do throws(ExpressionSyntaxError) {
            let tokens = try lexer.tokenize().get()
            var parser = ExpressionParser(tokens: tokens)
            syntax = try parser.parse()
        } catch {
            return failure([ExpressionProblem(
                code: error.isTooComplex ? .expressionTooComplex : .expressionSyntax, message: error.message,
                offset: error.offset, hint: error.hint)])
        }
        var checker = ExpressionChecker(schema: schema)
        let (root, type) = checker.check(syntax, source: scalars)
        var problems = checker.problems
        if type != .bool, type != .any, problems.isEmpty {
            problems.append(ExpressionProblem(
                code: .typeMismatch, message: "a condition must be true or false, but this is a \(type)",
                offset: syntax.range.lowerBound, hint: "compare it, e.g. `... == \"value\"`"))
        }
        guard problems.isEmpty else {
            return failure(problems.sorted { $0.offset < $1.offset })
        }
        return .success(Condition(source: source, root: root))
    }

    private init(source: String, root: ConditionNode) {
        self.source = source
        self.root = root
        var conjuncts = [root]
        if case .all(let operands) = root.kind { conjuncts = operands }
        indexHints = conjuncts.compactMap(Condition.hint(for:))
        var paths: [[String]] = []
        Condition.collectPaths(root, into: &paths)
        referencedPaths = paths
    }

    /// Whether the condition holds for `context`.
    public func evaluate(_ context: EvaluationContext) -> Bool {
        root.isTrue(context)
    }

    /// Evaluates and reports the smallest sub-expressions that decided the result.
    public func explain(_ context: EvaluationContext) -> ConditionExplanation {
        var clauses: [ConditionExplanation.Clause] = []
        explain(root, context, into: &clauses)
        return ConditionExplanation(result: root.isTrue(context), clauses: clauses)
    }

    private func explain(
        _ node: ConditionNode, _ context: EvaluationContext, into clauses: inout [ConditionExplanation.Clause]
    ) {
        let result = node.isTrue(context)
        switch node.kind {
        case .all(let operands):
            // False: the operands that failed. True: all of them mattered.
            for operand in operands where !result ? !operand.isTrue(context) : true {
                explain(operand, context, into: &clauses)
            }
        case .any(let operands):
            if result, let first = operands.first(where: { $0.isTrue(context) }) {
                explain(first, context, into: &clauses)
            } else {
                for operand in operands { explain(operand, context, into: &clauses) }
            }
        case .not(let operand):
            explain(operand, context, into: &clauses)
        default:
            var observations: [ConditionExplanation.Observation] = []
            observe(node, context, into: &observations)
            clauses.append(.init(text: text(node.range), result: result, observations: observations))
        }
    }

    private func observe(
        _ node: ConditionNode, _ context: EvaluationContext, into observations: inout [ConditionExplanation.Observation]
    ) {
        func add(_ text: String, _ value: Value?) {
            if !observations.contains(where: { $0.text == text }) { observations.append(.init(text: text, value: value)) }
        }
        switch node.kind {
        case .constant:
            break
        case .field(let field):
            add(field.text, ConditionNode.resolve(field, in: context))
        case .list(let items), .all(let items), .any(let items):
            for item in items { observe(item, context, into: &observations) }
        case .not(let operand), .matches(let operand, _):
            observe(operand, context, into: &observations)
        case .equal(let left, let right, _, _), .order(_, let left, let right, _, _), .member(let left, let right, _),
            .contains(let left, let right):
            observe(left, context, into: &observations)
            observe(right, context, into: &observations)
        case .unary(_, let argument):
            observe(argument, context, into: &observations)
            add(text(node.range), node.evaluate(context))
        case .binary(_, let first, let second):
            observe(first, context, into: &observations)
            observe(second, context, into: &observations)
        case .changed(let field):
            let previous = ConditionNode.Field(
                root: .previousTicket, steps: field.steps, path: ["previous"] + field.path, isList: field.isList)
            add(previous.text, ConditionNode.resolve(previous, in: context))
            add(field.text, ConditionNode.resolve(field, in: context))
        }
    }

    private func text(_ range: Range<Int>) -> String {
        let scalars = source.unicodeScalars
        let start = scalars.index(scalars.startIndex, offsetBy: range.lowerBound)
        let end = scalars.index(start, offsetBy: range.count)
        return String(scalars[start..<end])
    }

    private static func hint(for conjunct: ConditionNode) -> IndexHint? {
        func indexable(_ value: Value) -> Bool {
            switch value {
            case .string, .bool: return true
            default: return false
            }
        }
        switch conjunct.kind {
        case .equal(let left, let right, negated: false, asTime: false):
            switch (left.kind, right.kind) {
            case (.field(let field), .constant(let value)) where indexable(value),
                (.constant(let value), .field(let field)) where indexable(value):
                return .equals(path: field.path, values: [value])
            default: return nil
            }
        case .member(let left, let right, negated: false):
            switch (left.kind, right.kind) {
            case (.field(let field), .constant(.array(let values))) where !values.isEmpty && values.allSatisfy(indexable):
                return .equals(path: field.path, values: values)
            case (.constant(let value), .field(let field)) where field.isList && indexable(value):
                return .listContains(path: field.path, value: value)
            default: return nil
            }
        case .contains(let left, let right):
            if case .field(let field) = left.kind, field.isList, case .constant(let value) = right.kind, indexable(value) {
                return .listContains(path: field.path, value: value)
            }
            return nil
        default:
            return nil
        }
    }

    private static func collectPaths(_ node: ConditionNode, into paths: inout [[String]]) {
        func add(_ path: [String]) { if !paths.contains(path) { paths.append(path) } }
        switch node.kind {
        case .constant: break
        case .field(let field): add(field.path)
        case .list(let items), .all(let items), .any(let items):
            for item in items { collectPaths(item, into: &paths) }
        case .not(let operand), .matches(let operand, _), .unary(_, let operand):
            collectPaths(operand, into: &paths)
        case .equal(let left, let right, _, _), .order(_, let left, let right, _, _), .member(let left, let right, _),
            .contains(let left, let right), .binary(_, let left, let right):
            collectPaths(left, into: &paths)
            collectPaths(right, into: &paths)
        case .changed(let field):
            add(field.path)
            add(["previous"] + field.path)
        }
    }
}
