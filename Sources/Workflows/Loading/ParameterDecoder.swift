import Core

/// Checks a step's parameters against its action's spec and turns them into
/// bindings: unknown names (with a suggestion), missing required ones, wrong
/// types and unknown template variables are all reported.
enum ParameterDecoder {
    static func decode(
        _ node: YAMLNode, spec: ActionSpec, lines: [Substring], diagnostics: inout [Diagnostic]
    ) -> [ParameterBinding] {
        var given: [(name: String, key: YAMLNode, value: YAMLNode)] = []
        if case .mapping(let pairs) = node.kind, !(spec.shorthand.map { spec.parameter(named: $0)?.kind.isObject ?? false } ?? false) {
            for pair in pairs {
                let name = pair.key.scalarText ?? ""
                if spec.parameter(named: name) == nil {
                    diagnostics.append(Diagnostic(
                        .unknownParameter, "`\(spec.name)` has no parameter `\(name)`", at: pair.key.location,
                        hint: Suggestion.hint(for: name, in: spec.parameters.map(\.name))))
                } else {
                    given.append((name, pair.key, pair.value))
                }
            }
        } else if let shorthand = spec.shorthand {
            given.append((shorthand, node, node))
        } else if node.isPlainScalar, node.scalarText == "" || node.scalarText == "null", !spec.parameters.contains(where: \.required) {
            // `- some_action:` with nothing after it: all defaults.
        } else {
            diagnostics.append(Diagnostic(
                .wrongType, "`\(spec.name)` takes a mapping of parameters (\(spec.parameters.map(\.name).joined(separator: ", ")))",
                at: node.location))
            return []
        }
        var bindings: [ParameterBinding] = []
        for parameter in spec.parameters {
            if let entry = given.first(where: { $0.name == parameter.name }) {
                if let value = decodeValue(entry.value, kind: parameter.kind, name: "\(spec.name).\(parameter.name)", lines: lines, diagnostics: &diagnostics) {
                    bindings.append(ParameterBinding(name: parameter.name, value: value, location: entry.value.location))
                }
            } else if parameter.required {
                diagnostics.append(Diagnostic(
                    .missingParameter, "`\(spec.name)` needs parameter `\(parameter.name)`", at: node.location))
            } else if let defaultValue = parameter.defaultValue {
                bindings.append(ParameterBinding(name: parameter.name, value: .constant(defaultValue), location: node.location))
            }
        }
        return bindings
    }

    static func decodeValue(
        _ node: YAMLNode, kind: ParameterSpec.Kind, name: String, lines: [Substring], diagnostics: inout [Diagnostic]
    ) -> ParameterValue? {
        func wrong(_ expected: String) -> ParameterValue? {
            diagnostics.append(Diagnostic(
                .invalidParameter, "`\(name)` must be \(expected), got \(WorkflowDecoder.describe(node))", at: node.location))
            return nil
        }
        switch kind {
        case .string:
            guard let text = node.scalarText else { return wrong("text") }
            if node.isPlainScalar, text.isEmpty || text == "null" || text == "~" {
                diagnostics.append(Diagnostic(.invalidParameter, "`\(name)` is empty", at: node.location))
                return nil
            }
            return template(text, node: node, lines: lines, diagnostics: &diagnostics)
        case .oneOf(let allowed):
            guard let text = node.scalarText else { return wrong("one of \(allowed.joined(separator: ", "))") }
            if text.contains("{{") { return template(text, node: node, lines: lines, diagnostics: &diagnostics) }
            guard allowed.contains(text) else {
                diagnostics.append(Diagnostic(
                    .invalidParameter, "`\(name)` must be one of \(allowed.joined(separator: ", ")), got \"\(text)\"",
                    at: node.location, hint: Suggestion.hint(for: text, in: allowed)))
                return nil
            }
            return .constant(.string(text))
        case .bool:
            guard node.isPlainScalar, let text = node.scalarText, text == "true" || text == "false" else {
                return wrong("true or false")
            }
            return .constant(.bool(text == "true"))
        case .int:
            guard node.isPlainScalar, let text = node.scalarText, let number = Int(text) else { return wrong("a whole number") }
            // Every count an action takes (limit, at_least) means "how many": zero or less is a mistake.
            guard number >= 1 else { return wrong("a whole number of at least 1") }
            return .constant(.int(number))
        case .number:
            guard node.isPlainScalar, let text = node.scalarText, let number = Double(text), number.isFinite else {
                return wrong("a number")
            }
            return .constant(.double(number))
        case .duration:
            guard let text = node.scalarText, let span = TimeSpan.parse(text) else {
                diagnostics.append(Diagnostic(
                    .invalidDuration, "`\(name)` must be a duration such as 30m, 4h or 7d (at most 36500d), got \(WorkflowDecoder.describe(node))",
                    at: node.location))
                return nil
            }
            return .constant(.string(span.description))
        case .list(let element):
            // A single value stands for a list of one: `tag: urgent`.
            let items = node.items ?? [node]
            var values: [ParameterValue] = []
            for item in items {
                guard let value = decodeValue(item, kind: element, name: name, lines: lines, diagnostics: &diagnostics) else {
                    continue
                }
                values.append(value)
            }
            if values.isEmpty, node.items?.isEmpty ?? false { return wrong("a non-empty list") }
            return .list(values)
        case .object(let fields):
            guard let pairs = node.pairs else { return wrong("a mapping") }
            var bindings: [ParameterBinding] = []
            for pair in pairs {
                let key = pair.key.scalarText ?? ""
                guard let field = fields.first(where: { $0.name == key }) else {
                    diagnostics.append(Diagnostic(
                        .unknownParameter, "`\(name)` has no field `\(key)`", at: pair.key.location,
                        hint: Suggestion.hint(for: key, in: fields.map(\.name))))
                    continue
                }
                if let value = decodeValue(pair.value, kind: field.kind, name: "\(name).\(key)", lines: lines, diagnostics: &diagnostics) {
                    bindings.append(ParameterBinding(name: key, value: value, location: pair.value.location))
                }
            }
            for field in fields where field.required && !pairs.contains(where: { $0.key.scalarText == field.name }) {
                diagnostics.append(Diagnostic(.missingParameter, "`\(name)` needs field `\(field.name)`", at: node.location))
            }
            return .object(bindings)
        }
    }

    private static func template(_ text: String, node: YAMLNode, lines: [Substring], diagnostics: inout [Diagnostic]) -> ParameterValue? {
        let locator = ScalarLocator(node: node, lines: lines)
        switch Template.compile(text, locate: locator.location(ofOffset:)) {
        case .success(let template):
            return template.isLiteral ? .constant(.string(text)) : .template(template)
        case .failure(let error):
            diagnostics.append(contentsOf: error.diagnostics)
            return nil
        }
    }
}

extension ParameterSpec.Kind {
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
