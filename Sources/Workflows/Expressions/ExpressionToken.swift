import Core

/// One token of a condition; offsets count Unicode scalars from the start of the source.
struct ExpressionToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// Identifiers and keywords alike (`ticket`, `and`, `in`): keywords are
        /// recognised by position, so `ticket.custom.in` stays a field name.
        case word
        case integer(Int)
        case decimal(Double)
        /// The decoded text is in `text`.
        case string
        /// `( ) [ ] , . == != < <= > >= && || ! -`
        case symbol
        case end
    }

    var kind: Kind
    var text: String
    var offset: Int
    var length: Int
    /// For strings: the source offset of each decoded scalar, so a regex
    /// error inside a pattern points at the right column.
    var scalarOffsets: [Int] = []

    func isWord(_ word: String) -> Bool { kind == .word && text == word }
    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }

    /// How the token reads in a message.
    var quoted: String {
        switch kind {
        case .end: return "the end of the expression"
        case .string: return "string \(JSONWriter.string(.string(text)))"
        default: return "`\(text)`"
        }
    }
}
