/// Reads a pattern into `SafeRegexSyntax`, rejecting every feature that
/// would need backtracking (backreferences, lookaround).
struct SafeRegexParser {
    static let maximumGroupDepth = 32
    static let maximumRepeatCount = 1000

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var depth = 0
    private(set) var ignoresCase = false

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    mutating func parse() throws(SafeRegexError) -> SafeRegexSyntax {
        if starts(with: "(?i)") {
            ignoresCase = true
            position += 4
        }
        let syntax = try parseAlternation()
        if position < scalars.count {
            // Only an unbalanced `)` stops the top level early.
            throw SafeRegexError("unbalanced `)`", at: position)
        }
        return syntax
    }

    private func starts(with text: String) -> Bool {
        var index = position
        for scalar in text.unicodeScalars {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
        }
        return true
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func parseAlternation() throws(SafeRegexError) -> SafeRegexSyntax {
        var branches = [try parseConcatenation()]
        while current == "|" {
            position += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws(SafeRegexError) -> SafeRegexSyntax {
        var items: [SafeRegexSyntax] = []
        while let scalar = current, scalar != "|", scalar != ")" {
            let atomStart = position
            var atom = try parseAtom()
            var quantified = false
            while let quantifier = try parseQuantifier() {
                if quantified {
                    throw SafeRegexError("a quantifier cannot follow another quantifier", at: quantifier.offset)
                }
                quantified = true
                switch atom {
                case .textStart, .textEnd, .wordBoundary, .notWordBoundary:
                    throw SafeRegexError("nothing to repeat", at: atomStart)
                case .empty:
                    break
                default:
                    atom = .repetition(atom, minimum: quantifier.minimum, maximum: quantifier.maximum)
                }
            }
            items.append(atom)
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    private mutating func parseQuantifier() throws(SafeRegexError) -> (minimum: Int, maximum: Int?, offset: Int)? {
        guard let scalar = current else { return nil }
        let offset = position
        var result: (Int, Int?)
        switch scalar {
        case "*": result = (0, nil); position += 1
        case "+": result = (1, nil); position += 1
        case "?": result = (0, 1); position += 1
        case "{":
            guard let counted = try parseCountedRepetition() else { return nil }
            result = counted
        default:
            return nil
        }
        // A lazy `?` changes which match is found, not whether one is: accept it.
        if current == "?" { position += 1 }
        if current == "+" {
            throw SafeRegexError("possessive quantifiers are not supported", at: position)
        }
        return (result.0, result.1, offset)
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}`; anything else leaves `{` a literal, as in Python.
    private mutating func parseCountedRepetition() throws(SafeRegexError) -> (Int, Int?)? {
        let start = position
        var index = position + 1
        func number(_ index: inout Int) -> Int? {
            var value: Int?
            while index < scalars.count, (48...57).contains(scalars[index].value) {
                value = min((value ?? 0) * 10 + Int(scalars[index].value - 48), 1_000_000)
                index += 1
            }
            return value
        }
        let minimum = number(&index)
        var maximum: Int?
        var unbounded = false
        if index < scalars.count, scalars[index] == "," {
            index += 1
            maximum = number(&index)
            unbounded = maximum == nil
        } else {
            maximum = minimum
        }
        guard index < scalars.count, scalars[index] == "}", minimum != nil || maximum != nil else { return nil }
        position = index + 1
        let low = minimum ?? 0
        if low > SafeRegexParser.maximumRepeatCount || (maximum ?? 0) > SafeRegexParser.maximumRepeatCount {
            throw SafeRegexError("a repetition count above \(SafeRegexParser.maximumRepeatCount) is not allowed", at: start)
        }
        if let maximum, maximum < low {
            throw SafeRegexError("the repetition range {\(low),\(maximum)} is backwards", at: start)
        }
        return (low, unbounded ? nil : maximum)
    }

    private mutating func parseAtom() throws(SafeRegexError) -> SafeRegexSyntax {
        let start = position
        let scalar = scalars[position]
        position += 1
        switch scalar {
        case "(": return try parseGroup(start: start)
        case "[": return .set(try parseSet(start: start))
        case ".": return .anyExceptNewline
        case "^": return .textStart
        case "$": return .textEnd
        case "\\": return try parseEscape(start: start, inSet: false).syntax
        case "*", "+", "?":
            throw SafeRegexError("nothing to repeat before `\(scalar)`", at: start)
        default: return .scalar(scalar)
        }
    }

    private mutating func parseGroup(start: Int) throws(SafeRegexError) -> SafeRegexSyntax {
        if current == "?" {
            if starts(with: "?:") {
                position += 2
            } else if starts(with: "?=") || starts(with: "?!") || starts(with: "?<=") || starts(with: "?<!") {
                throw SafeRegexError("lookaround assertions are not supported (they need backtracking)", at: start)
            } else if starts(with: "?P<") || starts(with: "?<") {
                // A named group: its name is skipped, groups never capture here.
                while let scalar = current, scalar != ">" { position += 1 }
                guard current == ">" else { throw SafeRegexError("unterminated group name", at: start) }
                position += 1
            } else if starts(with: "?P=") {
                throw SafeRegexError("backreferences are not supported (they need backtracking)", at: start)
            } else if starts(with: "?i)") {
                throw SafeRegexError("`(?i)` is only allowed at the very start of the pattern", at: start)
            } else {
                throw SafeRegexError("unsupported group syntax `(?`", at: start)
            }
        }
        depth += 1
        defer { depth -= 1 }
        if depth > SafeRegexParser.maximumGroupDepth {
            throw SafeRegexError("groups are nested more than \(SafeRegexParser.maximumGroupDepth) deep", at: start)
        }
        let inner = try parseAlternation()
        guard current == ")" else { throw SafeRegexError("missing `)` for this group", at: start) }
        position += 1
        return inner
    }

    private mutating func parseSet(start: Int) throws(SafeRegexError) -> SafeRegexCharacterSet {
        var set = SafeRegexCharacterSet()
        if current == "^" {
            set.negated = true
            position += 1
        }
        var first = true
        while true {
            guard let scalar = current else { throw SafeRegexError("missing `]` for this character class", at: start) }
            if scalar == "]", !first {
                position += 1
                return set
            }
            first = false
            let itemStart = position
            let low: Unicode.Scalar
            if scalar == "\\" {
                position += 1
                let escape = try parseEscape(start: itemStart, inSet: true)
                guard let literal = escape.literal else {
                    if case .set(let inner) = escape.syntax { set.builtins += inner.builtins }
                    continue
                }
                low = literal
            } else {
                if scalar == "[", starts(with: "[:") {
                    throw SafeRegexError("POSIX classes like `[:alpha:]` are not supported", at: position)
                }
                low = scalar
                position += 1
            }
            // `a-z` is a range unless `-` is last (`[a-]`).
            if current == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                let highStart = position
                var high = scalars[position]
                if high == "\\" {
                    position += 1
                    guard let literal = try parseEscape(start: highStart, inSet: true).literal else {
                        throw SafeRegexError("a class escape cannot end a range", at: highStart)
                    }
                    high = literal
                } else {
                    position += 1
                }
                guard low.value <= high.value else {
                    throw SafeRegexError("the range `\(low)-\(high)` is backwards", at: itemStart)
                }
                set.ranges.append(low.value...high.value)
            } else {
                set.ranges.append(low.value...low.value)
            }
        }
    }

    /// Reads after a `\`. Returns the syntax, and the literal scalar when the escape is one.
    private mutating func parseEscape(
        start: Int, inSet: Bool
    ) throws(SafeRegexError) -> (syntax: SafeRegexSyntax, literal: Unicode.Scalar?) {
        guard let scalar = current else { throw SafeRegexError("the pattern ends with a lone `\\`", at: start) }
        position += 1
        func literal(_ value: Unicode.Scalar) -> (SafeRegexSyntax, Unicode.Scalar?) { (.scalar(value), value) }
        switch scalar {
        case "d": return (.set(.builtin(.digit, negated: false)), nil)
        case "D": return (.set(.builtin(.digit, negated: true)), nil)
        case "w": return (.set(.builtin(.word, negated: false)), nil)
        case "W": return (.set(.builtin(.word, negated: true)), nil)
        case "s": return (.set(.builtin(.space, negated: false)), nil)
        case "S": return (.set(.builtin(.space, negated: true)), nil)
        case "b" where !inSet: return (.wordBoundary, nil)
        case "B" where !inSet: return (.notWordBoundary, nil)
        case "A" where !inSet: return (.textStart, nil)
        case "z" where !inSet, "Z" where !inSet: return (.textEnd, nil)
        case "n": return literal("\n")
        case "t": return literal("\t")
        case "r": return literal("\r")
        case "f": return literal("\u{0C}")
        case "v": return literal("\u{0B}")
        case "0": return literal("\u{0}")
        case "x": return literal(try parseHex(digits: 2, start: start))
        case "u": return literal(try parseHex(digits: 4, start: start))
        case "1"..."9", "k":
            throw SafeRegexError("backreferences are not supported (they need backtracking)", at: start)
        default:
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                throw SafeRegexError("unknown escape `\\\(scalar)`", at: start)
            }
            return literal(scalar)
        }
    }

    private mutating func parseHex(digits: Int, start: Int) throws(SafeRegexError) -> Unicode.Scalar {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let scalar = current, let digit = scalar.hexDigitValue else {
                throw SafeRegexError("expected \(digits) hex digits after `\\\(scalars[start + 1])`", at: start)
            }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        guard let result = Unicode.Scalar(value) else {
            throw SafeRegexError("`\\u` escape is not a valid character", at: start)
        }
        return result
    }
}

extension Unicode.Scalar {
    fileprivate var hexDigitValue: Int? {
        switch value {
        case 48...57: return Int(value - 48)
        case 65...70: return Int(value - 55)
        case 97...102: return Int(value - 87)
        default: return nil
        }
    }
}
