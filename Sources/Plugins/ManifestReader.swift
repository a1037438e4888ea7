import Core
import Foundation
import Workflows

/// The state of reading one manifest: the problems found so far.
struct ManifestReader {
    let file: String
    let folder: String
    var diagnostics: [Diagnostic] = []

    init(file: String, folder: String) {
        self.file = file
        self.folder = folder
    }

    mutating func problem(_ message: String, at node: YAMLNode, code: DiagnosticCode = .pluginManifest, hint: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: node.location, hint: hint))
    }

    /// The pairs of a mapping, with unknown keys reported.
    mutating func mapping(_ node: YAMLNode, _ context: String, allowed: [String]) -> [String: YAMLNode]? {
        guard let pairs = node.pairs else {
            problem("\(context) must be a mapping, got a \(node.kindName)", at: node)
            return nil
        }
        var values: [String: YAMLNode] = [:]
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            if allowed.contains(key) {
                values[key] = pair.value
            } else {
                problem("unknown key `\(key)` in \(context)", at: pair.key, hint: Suggestion.hint(for: key, in: allowed))
            }
        }
        return values
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (97...122).contains(first) else { return false }
        return name.utf8.count <= 64
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 95 }
    }

    mutating func text(_ node: YAMLNode?, _ name: String) -> String? {
        guard let node else { return nil }
        guard let text = node.scalarText, !text.isEmpty else {
            problem("`\(name)` must be text", at: node)
            return nil
        }
        return text
    }

    mutating func count(_ node: YAMLNode?, _ name: String, range: ClosedRange<Int>) -> Int? {
        guard let node else { return nil }
        guard node.isPlainScalar, let text = node.scalarText, let value = Int(text), range.contains(value) else {
            problem("`\(name)` must be a whole number from \(range.lowerBound) to \(range.upperBound)", at: node)
            return nil
        }
        return value
    }

    mutating func duration(_ node: YAMLNode?, _ name: String) -> Duration? {
        guard let node else { return nil }
        guard let text = node.scalarText, let value = Duration.parseSpan(text) else {
            problem("`\(name)` must be a duration such as 500ms, 10s or 5m", at: node)
            return nil
        }
        return value
    }

    mutating func boolean(_ node: YAMLNode?, _ name: String) -> Bool? {
        guard let node else { return nil }
        guard node.isPlainScalar, let text = node.scalarText, text == "true" || text == "false" else {
            problem("`\(name)` must be true or false", at: node)
            return nil
        }
        return text == "true"
    }

    mutating func manifest(_ root: YAMLNode) -> PluginManifest? {
        guard let values = mapping(root, "plugin manifest", allowed: PluginManifestLoader.keys) else { return nil }
        let start = root
        for key in ["name", "version", "protocol", "command", "actions"] where values[key] == nil {
            problem("plugin manifest is missing required key `\(key)`", at: start)
        }
        let name = text(values["name"], "name") ?? ""
        if let node = values["name"], !name.isEmpty {
            if !Self.isValidName(name) {
                problem("plugin name `\(name)` must be lowercase letters, digits, `-` or `_`, starting with a letter", at: node)
            } else if (folder as NSString).lastPathComponent != name {
                problem("plugin `\(name)` must live in a folder named `\(name)`, not `\((folder as NSString).lastPathComponent)`", at: node)
            }
        }
        let version = text(values["version"], "version") ?? ""
        var protocolVersion = 1
        if let node = values["protocol"] {
            if let value = Int(node.scalarText ?? ""), PluginManifest.supportedProtocols.contains(value) {
                protocolVersion = value
            } else {
                problem(
                    "protocol version \(node.scalarText ?? "?") is not supported; this ticketflow speaks \(PluginManifest.supportedProtocols.map(String.init).joined(separator: ", "))",
                    at: node, code: .pluginProtocol)
            }
        }
        var command: [String] = []
        if let node = values["command"] {
            if let items = node.items, !items.isEmpty, items.allSatisfy({ $0.scalarText.map { !$0.isEmpty } ?? false }) {
                command = items.compactMap(\.scalarText)
            } else {
                problem("`command` must be a non-empty list: the program, then its arguments (no shell is used)", at: node, code: .pluginCommand)
            }
        }
        var environment: [String] = []
        if let node = values["env"] {
            if let items = node.items, items.allSatisfy({ item in
                item.scalarText.map { !$0.isEmpty && $0.utf8.allSatisfy { $0 == 95 || (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0) } } ?? false
            }) {
                environment = items.compactMap(\.scalarText)
            } else {
                problem("`env` must be a list of environment variable names", at: node)
            }
        }
        let timeout = duration(values["timeout"], "timeout") ?? .seconds(10)
        let startupTimeout = duration(values["startup_timeout"], "startup_timeout") ?? .seconds(5)
        var retry = RetryPolicy()
        if let node = values["retry"], let fields = mapping(node, "retry", allowed: PluginManifestLoader.retryKeys) {
            retry.attempts = count(fields["attempts"], "retry.attempts", range: 1...100) ?? retry.attempts
            retry.backoff = duration(fields["backoff"], "retry.backoff") ?? retry.backoff
            retry.maxBackoff = duration(fields["max_backoff"], "retry.max_backoff") ?? max(retry.maxBackoff, retry.backoff)
        }
        var limits = PluginLimits()
        if let node = values["limits"], let fields = mapping(node, "limits", allowed: PluginManifestLoader.limitKeys) {
            limits.cpuSeconds = count(fields["cpu_seconds"], "limits.cpu_seconds", range: 1...86_400) ?? limits.cpuSeconds
            limits.memoryBytes = (count(fields["memory_mb"], "limits.memory_mb", range: 16...65_536) ?? (limits.memoryBytes >> 20)) << 20
            limits.processes = count(fields["processes"], "limits.processes", range: 1...10_000) ?? limits.processes
            limits.fileSizeBytes = (count(fields["file_size_mb"], "limits.file_size_mb", range: 1...65_536) ?? (limits.fileSizeBytes >> 20)) << 20
            limits.openFiles = count(fields["open_files"], "limits.open_files", range: 16...65_536) ?? limits.openFiles
            limits.maxLineBytes = (count(fields["output_line_kb"], "limits.output_line_kb", range: 1...65_536) ?? (limits.maxLineBytes >> 10)) << 10
        }
        let maxInFlight = count(values["max_in_flight"], "max_in_flight", range: 1...256) ?? 4
        var actions: [PluginManifest.Action] = []
        if let node = values["actions"] {
            if let pairs = node.pairs, !pairs.isEmpty {
                for pair in pairs {
                    if let action = action(pair, plugin: name, timeout: timeout) { actions.append(action) }
                }
            } else {
                problem("`actions` must be a mapping from action names to their descriptions", at: node)
            }
        }
        return PluginManifest(
            name: name, version: version, protocolVersion: protocolVersion, summary: text(values["summary"], "summary") ?? "",
            command: command, environment: environment, actions: actions, limits: limits, retry: retry,
            maxInFlight: maxInFlight, startupTimeout: startupTimeout, folder: folder, file: file)
    }

    mutating func action(_ pair: YAMLNode.Pair, plugin: String, timeout: Duration) -> PluginManifest.Action? {
        let name = pair.key.scalarText ?? ""
        guard Self.isValidName(name) else {
            problem("action name `\(name)` must be lowercase letters, digits, `-` or `_`, starting with a letter", at: pair.key)
            return nil
        }
        var fields: [String: YAMLNode] = [:]
        if !(pair.value.isPlainScalar && (pair.value.scalarText ?? "").isEmpty) {
            guard let read = mapping(pair.value, "action `\(name)`", allowed: PluginManifestLoader.actionKeys) else { return nil }
            fields = read
        }
        var parameters: [ParameterSpec] = []
        if let node = fields["parameters"] {
            if let pairs = node.pairs {
                for parameterPair in pairs {
                    if let parameter = parameter(parameterPair, context: "\(plugin).\(name)") { parameters.append(parameter) }
                }
            } else {
                problem("`parameters` must be a mapping from parameter names to their types", at: node)
            }
        }
        let spec = ActionSpec(
            name: "\(plugin).\(name)", summary: text(fields["summary"], "summary") ?? "", parameters: parameters,
            emits: PluginEvents.requested)
        return PluginManifest.Action(
            spec: spec, name: name, timeout: duration(fields["timeout"], "timeout") ?? timeout,
            retryable: boolean(fields["retryable"], "retryable") ?? true)
    }

    mutating func parameter(_ pair: YAMLNode.Pair, context: String) -> ParameterSpec? {
        let name = pair.key.scalarText ?? ""
        guard Self.isValidName(name) else {
            problem("parameter name `\(name)` must be lowercase letters, digits, `-` or `_`, starting with a letter", at: pair.key)
            return nil
        }
        // `text: string` is short for `text: { type: string }`.
        var fields: [String: YAMLNode] = [:]
        if pair.value.scalarText != nil {
            fields["type"] = pair.value
        } else {
            guard let read = mapping(pair.value, "parameter `\(context).\(name)`", allowed: PluginManifestLoader.parameterKeys) else {
                return nil
            }
            fields = read
        }
        guard let typeNode = fields["type"] else {
            problem("parameter `\(context).\(name)` needs a `type` (one of \(PluginManifestLoader.types.joined(separator: ", ")))", at: pair.value)
            return nil
        }
        guard let kind = kind(typeNode, fields: fields, name: "\(context).\(name)") else { return nil }
        let required = boolean(fields["required"], "required") ?? false
        var defaultValue: Value?
        if let node = fields["default"] {
            let value = node.jsonValue()
            if Self.matches(value, kind) {
                defaultValue = value
            } else {
                problem("the default of `\(context).\(name)` must be \(kind)", at: node)
            }
            if required { problem("`\(context).\(name)` cannot be both required and have a default", at: node) }
        }
        return ParameterSpec(name, kind, required: required, default: defaultValue, summary: text(fields["summary"], "summary") ?? "")
    }

    mutating func kind(_ node: YAMLNode, fields: [String: YAMLNode], name: String) -> ParameterSpec.Kind? {
        let type = node.scalarText ?? ""
        switch type {
        case "string": return .string
        case "bool": return .bool
        case "int": return .int
        case "number": return .number
        case "duration": return .duration
        case "enum":
            guard let items = fields["values"]?.items, !items.isEmpty, items.allSatisfy({ $0.scalarText != nil }) else {
                problem("enum parameter `\(name)` needs `values`: a non-empty list of words", at: fields["values"] ?? node)
                return nil
            }
            return .oneOf(items.compactMap(\.scalarText))
        case "list":
            guard let itemNode = fields["items"] else {
                problem("list parameter `\(name)` needs `items`: the type of each element", at: node)
                return nil
            }
            guard let element = kind(itemNode, fields: [:], name: name) else { return nil }
            if case .list = element {
                problem("lists of lists are not supported", at: itemNode)
                return nil
            }
            return .list(element)
        default:
            problem(
                "unknown parameter type `\(type)`", at: node,
                hint: Suggestion.hint(for: type, in: PluginManifestLoader.types))
            return nil
        }
    }

    static func matches(_ value: Value, _ kind: ParameterSpec.Kind) -> Bool {
        switch (kind, value) {
        case (.string, .string): true
        case (.oneOf(let allowed), .string(let text)): allowed.contains(text)
        case (.bool, .bool): true
        case (.int, .int): true
        case (.number, .int), (.number, .double): true
        case (.duration, .string(let text)): TimeSpan.parse(text) != nil
        case (.list(let element), .array(let items)): items.allSatisfy { matches($0, element) }
        default: false
        }
    }
}
