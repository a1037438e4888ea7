/// One problem found in user input, kept as data so that every problem in a
/// run can be collected, sorted and rendered in one place.
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case warning
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    /// Where the problem is; `nil` for problems with no place (a missing folder).
    public var location: SourceLocation?
    public var severity: Severity
    /// A stable identifier such as `E0203`, documented in `docs/diagnostics.md`.
    public var code: DiagnosticCode
    public var message: String
    /// A short hint shown after the message, e.g. "did you mean `escalate`?".
    public var hint: String?

    public init(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?,
        severity: Severity = .error, hint: String? = nil
    ) {
        self.code = code
        self.message = message
        self.location = location
        self.severity = severity
        self.hint = hint
    }

    /// `file:line:col: error[CODE]: message (hint)` — the one rendering users see.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "\(severity.rawValue)[\(code.rawValue)]: \(message)"
        if let hint { text += "; \(hint)" }
        return text
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, line and column; problems without a place first.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { lhs, rhs in
            switch (lhs.element.location, rhs.element.location) {
            case (nil, nil): return lhs.offset < rhs.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let left?, let right?): return left == right ? lhs.offset < rhs.offset : left < right
            }
        }.map(\.element)
    }
}

/// A thrown bundle of diagnostics, for APIs that stop at the first failing phase.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
