/// A bracket expression or class escape such as `[a-z_]`, `[^0-9]` or `\w`.
struct SafeRegexCharacterSet: Sendable {
    enum Builtin: Sendable, Hashable {
        case digit, word, space
    }

    var ranges: [ClosedRange<UInt32>] = []
    /// `\d`, `\w`, `\s` inside the set, and their negations (`\D` = `(.digit, true)`).
    var builtins: [(Builtin, negated: Bool)] = []
    var negated = false

    static func builtin(_ builtin: Builtin, negated: Bool) -> SafeRegexCharacterSet {
        var set = SafeRegexCharacterSet()
        set.builtins = [(builtin, negated)]
        return set
    }

    func contains(_ scalar: Unicode.Scalar, ignoringCase: Bool) -> Bool {
        var found = containsExactly(scalar)
        if !found, ignoringCase {
            let lower = SafeRegexCharacterSet.lowercase(scalar), upper = SafeRegexCharacterSet.uppercase(scalar)
            found = (lower != scalar && containsExactly(lower)) || (upper != scalar && containsExactly(upper))
        }
        return found != negated
    }

    private func containsExactly(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        for range in ranges where range.contains(value) { return true }
        for (builtin, negated) in builtins where SafeRegexCharacterSet.matches(builtin, scalar) != negated {
            return true
        }
        return false
    }

    static func matches(_ builtin: Builtin, _ scalar: Unicode.Scalar) -> Bool {
        switch builtin {
        case .digit: return scalar.value >= 48 && scalar.value <= 57
        case .word: return isWord(scalar)
        case .space:
            if scalar.value < 128 { return scalar == " " || (scalar.value >= 9 && scalar.value <= 13) }
            return scalar.properties.isWhitespace
        }
    }

    /// Letters of any script, decimal digits and `_`, as in Python's `\w` on text.
    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 128 {
            return (value >= 97 && value <= 122) || (value >= 65 && value <= 90) || (value >= 48 && value <= 57)
                || value == 95
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
    }

    static func lowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if value < 128 { return value >= 65 && value <= 90 ? Unicode.Scalar(value + 32)! : scalar }
        let mapped = scalar.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : scalar
    }

    static func uppercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if value < 128 { return value >= 97 && value <= 122 ? Unicode.Scalar(value - 32)! : scalar }
        let mapped = scalar.properties.uppercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : scalar
    }
}
