import Core

/// Splits a condition into tokens, reporting the first malformed one as E0301.
struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    /// All tokens followed by `.end`, or the offset and message of the first error.
    mutating func tokenize() -> Result<[ExpressionToken], ExpressionSyntaxError> {
        var tokens: [ExpressionToken] = []
        while true {
            while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
            guard position < scalars.count else {
                tokens.append(ExpressionToken(kind: .end, text: "", offset: scalars.count, length: 0))
                return .success(tokens)
            }
            switch next() {
            case .success(let token): tokens.append(token)
            case .failure(let error): return .failure(error)
            }
        }
    }

    private mutating func next() -> Result<ExpressionToken, ExpressionSyntaxError> {
        let start = position
        let scalar = scalars[position]
        if isIdentifierStart(scalar) {
            while position < scalars.count, isIdentifierStart(scalars[position]) || isDigit(scalars[position]) {
                position += 1
            }
            return .success(token(.word, from: start))
        }
        if isDigit(scalar) { return number(from: start) }
        if scalar == "\"" || scalar == "'" { return string(from: start, quote: scalar) }
        let two = position + 1 < scalars.count ? String(scalar) + String(scalars[position + 1]) : ""
        if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
            position += 2
            return .success(token(.symbol, from: start))
        }
        switch scalar {
        case "(", ")", "[", "]", ",", ".", "<", ">", "!", "-":
            position += 1
            return .success(token(.symbol, from: start))
        case "=":
            return .failure(ExpressionSyntaxError("`=` is not an operator", at: start, hint: "did you mean `==`?"))
        case "&":
            return .failure(ExpressionSyntaxError("`&` is not an operator", at: start, hint: "did you mean `and`?"))
        case "|":
            return .failure(ExpressionSyntaxError("`|` is not an operator", at: start, hint: "did you mean `or`?"))
        default:
            return .failure(ExpressionSyntaxError("unexpected character `\(scalar)`", at: start))
        }
    }

    private func token(_ kind: ExpressionToken.Kind, from start: Int) -> ExpressionToken {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<position])
        return ExpressionToken(kind: kind, text: String(text), offset: start, length: position - start)
    }

    private mutating func number(from start: Int) -> Result<ExpressionToken, ExpressionSyntaxError> {
        while position < scalars.count, isDigit(scalars[position]) { position += 1 }
        var isDecimal = false
        if position + 1 < scalars.count, scalars[position] == ".", isDigit(scalars[position + 1]) {
            isDecimal = true
            position += 1
            while position < scalars.count, isDigit(scalars[position]) { position += 1 }
        }
        if position < scalars.count, isIdentifierStart(scalars[position]) {
            // `4h` reads like a duration, which conditions do not have.
            return .failure(ExpressionSyntaxError(
                "unexpected `\(scalars[position])` after a number", at: position,
                hint: "durations are not values here; compare with a number, e.g. `hours_since(ticket.created_at) > 4`"))
        }
        var base = token(.symbol, from: start)
        if isDecimal {
            guard let value = Double(base.text) else {
                return .failure(ExpressionSyntaxError("invalid number `\(base.text)`", at: start))
            }
            base.kind = .decimal(value)
        } else {
            guard let value = Int(base.text) else {
                return .failure(ExpressionSyntaxError("the number `\(base.text)` is too large", at: start))
            }
            base.kind = .integer(value)
        }
        return .success(base)
    }

    private mutating func string(
        from start: Int, quote: Unicode.Scalar
    ) -> Result<ExpressionToken, ExpressionSyntaxError> {
        position += 1
        var text = String.UnicodeScalarView()
        var offsets: [Int] = []
        while true {
            guard position < scalars.count else {
                return .failure(ExpressionSyntaxError("unterminated string", at: start, hint: "add the closing \(quote)"))
            }
            let scalar = scalars[position]
            if scalar == quote {
                position += 1
                break
            }
            let scalarStart = position
            if scalar == "\\" {
                guard position + 1 < scalars.count else {
                    return .failure(ExpressionSyntaxError("unterminated string", at: start, hint: "add the closing \(quote)"))
                }
                let escaped = scalars[position + 1]
                position += 2
                switch escaped {
                case "\"", "'", "\\", "/": text.append(escaped)
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "u":
                    var value: UInt32 = 0
                    for _ in 0..<4 {
                        guard position < scalars.count, let digit = Int(String(scalars[position]), radix: 16) else {
                            return .failure(ExpressionSyntaxError(
                                "`\\u` needs four hex digits, e.g. `\\u00e9`", at: scalarStart))
                        }
                        value = value * 16 + UInt32(digit)
                        position += 1
                    }
                    guard let decoded = Unicode.Scalar(value) else {
                        return .failure(ExpressionSyntaxError("`\\u` escape is not a valid character", at: scalarStart))
                    }
                    text.append(decoded)
                default:
                    // Regex escapes such as `\b` or `\d` pass through: patterns are strings too.
                    text.append("\\")
                    offsets.append(scalarStart)
                    text.append(escaped)
                    offsets.append(scalarStart + 1)
                    continue
                }
                offsets.append(scalarStart)
            } else {
                text.append(scalar)
                offsets.append(scalarStart)
                position += 1
            }
        }
        return .success(ExpressionToken(
            kind: .string, text: String(text), offset: start, length: position - start, scalarOffsets: offsets))
    }

    private func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value >= 97 && value <= 122) || (value >= 65 && value <= 90) || value == 95
    }

    private func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
}
