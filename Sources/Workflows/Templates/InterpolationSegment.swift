import Core

/// A piece of a template that is only text and `{{ variables }}`.
enum InterpolationSegment: Sendable, Hashable {
    case text(String)
    case variable([String])

    /// Splits a template into text and variables, or returns `nil` when it
    /// uses anything else (sections, comments, partials, `.`).
    static func split(_ source: String) -> [InterpolationSegment]? {
        var segments: [InterpolationSegment] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
            var inner = rest[open.upperBound...]
            var closing = "}}"
            if inner.first == "{" {
                inner = inner.dropFirst()
                closing = "}}}"
            } else if inner.first == "&" {
                inner = inner.dropFirst()
            }
            guard let close = inner.range(of: closing) else { return nil }
            let name = inner[..<close.lowerBound].trimmingCharacters(in: " ")
            guard !name.isEmpty, name != ".",
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" })
            else { return nil }
            segments.append(.variable(name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)))
            rest = inner[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        return segments
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> Substring {
        var text = self
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return text
    }
}
