import Core

/// Reads one YAML mapping against a list of allowed keys, reporting unknown
/// keys (with a suggestion) and missing required ones into a shared list.
struct MappingReader {
    let node: YAMLNode
    let context: String
    private(set) var values: [String: YAMLNode] = [:]
    private(set) var keyNodes: [String: YAMLNode] = [:]

    /// - Parameter context: how the mapping is named in messages, e.g. "workflow" or "step".
    init?(_ node: YAMLNode, context: String, allowed: [String], diagnostics: inout [Diagnostic]) {
        guard let pairs = node.pairs else {
            diagnostics.append(Diagnostic(.wrongType, "\(context) must be a mapping, got a \(node.kindName)", at: node.location))
            return nil
        }
        self.node = node
        self.context = context
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            if allowed.contains(key) {
                values[key] = pair.value
                keyNodes[key] = pair.key
            } else {
                diagnostics.append(Diagnostic(
                    .unknownKey, "unknown key `\(key)` in \(context)", at: pair.key.location,
                    hint: Suggestion.hint(for: key, in: allowed)))
            }
        }
    }

    subscript(key: String) -> YAMLNode? { values[key] }

    func require(_ key: String, diagnostics: inout [Diagnostic]) -> YAMLNode? {
        if let value = values[key] { return value }
        diagnostics.append(Diagnostic(.missingKey, "\(context) is missing required key `\(key)`", at: node.location))
        return nil
    }
}
