import Core

/// A diagnostic before it is placed in a file: `offset` counts Unicode
/// scalars into the condition's source.
struct ExpressionProblem: Sendable {
    var code: DiagnosticCode
    var message: String
    var offset: Int
    var hint: String?
}
