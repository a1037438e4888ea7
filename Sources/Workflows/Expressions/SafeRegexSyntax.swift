/// A parsed `matches` pattern, before it is compiled to an NFA program.
/// Groups do not capture: a condition only asks whether the text matches.
indirect enum SafeRegexSyntax: Sendable {
    case empty
    case scalar(Unicode.Scalar)
    case anyExceptNewline
    case set(SafeRegexCharacterSet)
    case textStart
    case textEnd
    case wordBoundary
    case notWordBoundary
    case concatenation([SafeRegexSyntax])
    case alternation([SafeRegexSyntax])
    /// `maximum == nil` means unbounded.
    case repetition(SafeRegexSyntax, minimum: Int, maximum: Int?)

    /// Instructions this node compiles to, saturating so that nested counted
    /// repetitions are rejected before anything is expanded.
    var programSize: Int {
        switch self {
        case .empty: return 0
        case .scalar, .anyExceptNewline, .set, .textStart, .textEnd, .wordBoundary, .notWordBoundary: return 1
        case .concatenation(let items): return items.reduce(0) { saturatingAdd($0, $1.programSize) }
        case .alternation(let items):
            return items.reduce(2 * items.count) { saturatingAdd($0, $1.programSize) }
        case .repetition(let item, let minimum, let maximum):
            let body = saturatingAdd(item.programSize, 2)
            let copies = maximum ?? (minimum + 1)
            return saturatingMultiply(body, Swift.max(copies, 1))
        }
    }
}

private func saturatingAdd(_ lhs: Int, _ rhs: Int) -> Int {
    let (sum, overflow) = lhs.addingReportingOverflow(rhs)
    return overflow ? .max : sum
}

private func saturatingMultiply(_ lhs: Int, _ rhs: Int) -> Int {
    let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
    return overflow ? .max : product
}
