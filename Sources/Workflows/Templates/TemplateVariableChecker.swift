import Core

/// Finds every `{{ name }}` in a template and checks it against the schema
/// before the workflow is accepted: Mustache itself renders an unknown name
/// as an empty string, which would hide a typo until a customer sees it.
enum TemplateVariableChecker {
    /// Sections nest at most this deep: nested sections over lists multiply
    /// the work of rendering, and a deep stack of them could stall the engine.
    static let maxSectionDepth = 4
    /// A template holds at most this many tags.
    static let maxTags = 500

    static func check(_ source: String, schema: ObjectSchema, locate: (Int) -> SourceLocation) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var tagCount = 0
        let scalars = Array(source.unicodeScalars)
        // Types of the enclosing sections, innermost last; names inside a list
        // section may be relative to the element.
        var sections: [(name: String, element: FieldType?)] = []
        var index = 0
        while index + 1 < scalars.count {
            guard scalars[index] == "{", scalars[index + 1] == "{" else {
                index += 1
                continue
            }
            let open = index
            tagCount += 1
            if tagCount > maxTags {
                diagnostics.append(Diagnostic(
                    .templateSyntax, "a template may hold at most \(maxTags) tags", at: locate(open)))
                return diagnostics
            }
            var contentStart = index + 2
            var triple = false
            if contentStart < scalars.count, scalars[contentStart] == "{" {
                triple = true
                contentStart += 1
            }
            guard let close = find("}}", in: scalars, from: contentStart) else {
                diagnostics.append(Diagnostic(.templateSyntax, "`{{` is never closed with `}}`", at: locate(open)))
                return diagnostics
            }
            var contentEnd = close
            var next = close + 2
            if triple {
                if next < scalars.count, scalars[next] == "}" { next += 1 }
            }
            var content = String(String.UnicodeScalarView(scalars[contentStart..<contentEnd]))
            let leading = content.prefix { $0 == " " }.count
            var sigil: Character? = nil
            var nameOffset = contentStart + leading
            if let first = content.trimmingSpaces.first, "#^/!&>=<$%".contains(first) {
                sigil = first
                content = String(content.trimmingSpaces.dropFirst())
                nameOffset += 1 + content.prefix { $0 == " " }.count
            }
            let name = content.trimmingSpaces
            index = next
            contentEnd = close
            switch sigil {
            case "!":
                continue
            case ">", "<", "$", "=", "%":
                diagnostics.append(Diagnostic(
                    .templateSyntax, "`{{\(sigil!)` tags (partials, blocks, delimiters, pragmas) are not allowed in workflows",
                    at: locate(open)))
                continue
            case "/":
                if let last = sections.last, last.name == name {
                    sections.removeLast()
                } else {
                    diagnostics.append(Diagnostic(
                        .templateSyntax,
                        sections.last.map { "section `\(name)` closed, but `\($0.name)` is open" }
                            ?? "section `\(name)` closed but never opened",
                        at: locate(open)))
                }
                continue
            default:
                break
            }
            let type = resolve(name, sections: sections, schema: schema, at: nameOffset, locate: locate, into: &diagnostics)
            if sigil == "#" || sigil == "^" {
                if sections.count >= maxSectionDepth {
                    diagnostics.append(Diagnostic(
                        .templateSyntax, "sections nest at most \(maxSectionDepth) deep", at: locate(open)))
                    return diagnostics
                }
                if case .list(let element)? = type {
                    sections.append((name, element))
                } else {
                    sections.append((name, nil))
                }
            } else if let type, sigil != "#" {
                switch type {
                case .list:
                    diagnostics.append(Diagnostic(
                        .unknownTemplateVariable,
                        "`\(name)` is a list; write {{#\(name)}}{{.}} {{/\(name)}} to list its items",
                        at: locate(nameOffset)))
                case .object:
                    diagnostics.append(Diagnostic(
                        .unknownTemplateVariable, "`\(name)` is an object; name one of its fields",
                        at: locate(nameOffset)))
                default:
                    break
                }
            }
        }
        for section in sections.reversed() {
            diagnostics.append(Diagnostic(.templateSyntax, "section `\(section.name)` is never closed", at: locate(0)))
        }
        return diagnostics
    }

    /// The type of a variable, or `nil` when it cannot be known (inside a
    /// section whose element type is not known, or `.`).
    private static func resolve(
        _ name: String, sections: [(name: String, element: FieldType?)], schema: ObjectSchema,
        at offset: Int, locate: (Int) -> SourceLocation, into diagnostics: inout [Diagnostic]
    ) -> FieldType? {
        if name == "." {
            guard let section = sections.last else {
                diagnostics.append(Diagnostic(
                    .unknownTemplateVariable, "`{{.}}` names the current item, which exists only inside a list section",
                    at: locate(offset)))
                return nil
            }
            return section.element
        }
        let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if path.contains(where: \.isEmpty) {
            diagnostics.append(Diagnostic(.templateSyntax, "`\(name)` is not a valid variable name", at: locate(offset)))
            return nil
        }
        // Inside a section over list elements, names may be the element's fields.
        for section in sections.reversed() {
            if let element = section.element, case .object(let object) = element,
                case .success(let type) = EventSchema.type(of: path, in: object)
            {
                return type
            }
            if section.element == nil || section.element == .any { return nil }
        }
        switch EventSchema.type(of: path, in: schema) {
        case .success(let type):
            return type
        case .failure(let error):
            let prefix = path.prefix(error.segmentIndex).joined(separator: ".")
            let bad = path[error.segmentIndex]
            let segmentOffset = offset + (prefix.isEmpty ? 0 : prefix.unicodeScalars.count + 1)
            let known = prefix.isEmpty ? "" : " of `\(prefix)`"
            diagnostics.append(Diagnostic(
                .unknownTemplateVariable,
                error.candidates.isEmpty
                    ? "`\(prefix)` has no field `\(bad)`"
                    : "unknown variable `\(name)`: no field `\(bad)`\(known)",
                at: locate(segmentOffset), hint: Suggestion.hint(for: bad, in: error.candidates)))
            return nil
        }
    }

    private static func find(_ needle: String, in scalars: [Unicode.Scalar], from start: Int) -> Int? {
        let pattern = Array(needle.unicodeScalars)
        var index = start
        while index + pattern.count <= scalars.count {
            if scalars[index..<index + pattern.count].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
