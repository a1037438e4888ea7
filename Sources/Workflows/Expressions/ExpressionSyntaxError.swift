/// A problem found while reading a condition, before it is placed in a file.
struct ExpressionSyntaxError: Error, Sendable {
    var message: String
    var offset: Int
    var hint: String?
    var isTooComplex = false

    init(_ message: String, at offset: Int, hint: String? = nil, tooComplex: Bool = false) {
        self.message = message
        self.offset = offset
        self.hint = hint
        self.isTooComplex = tooComplex
    }
}
