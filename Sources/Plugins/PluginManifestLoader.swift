import Core
import Foundation
import Workflows

/// Reads `plugin.yaml` files into manifests, reporting every problem as a
/// diagnostic with its file, line and column; unknown keys are refused.
public enum PluginManifestLoader {
    public static let defaultFolder = "plugins"
    public static let manifestName = "plugin.yaml"
    static let keys = [
        "name", "version", "protocol", "summary", "command", "env", "timeout", "startup_timeout", "retry", "limits",
        "max_in_flight", "actions",
    ]
    static let actionKeys = ["summary", "parameters", "timeout", "retryable"]
    static let parameterKeys = ["type", "required", "default", "summary", "values", "items"]
    static let retryKeys = ["attempts", "backoff", "max_backoff"]
    static let limitKeys = ["cpu_seconds", "memory_mb", "processes", "file_size_mb", "open_files", "output_line_kb"]
    static let types = ["string", "enum", "bool", "int", "number", "duration", "list"]

    /// Every `plugins/*/plugin.yaml` under `folder`, sorted by name. A missing
    /// folder holds no plugins. Plugin names must be unique and must not
    /// clash with `reserved` (the built-in action names).
    public static func loadAll(folder: String = defaultFolder, reserved: [String] = []) -> (plugins: [PluginManifest], diagnostics: [Diagnostic]) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { return ([], []) }
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        var plugins: [PluginManifest] = []
        var diagnostics: [Diagnostic] = []
        for entry in entries where !entry.hasPrefix(".") {
            let file = folder + "/" + entry + "/" + manifestName
            guard FileManager.default.fileExists(atPath: file) else { continue }
            let (manifest, problems) = load(file: file)
            diagnostics += problems
            guard let manifest else { continue }
            if plugins.contains(where: { $0.name == manifest.name }) || reserved.contains(manifest.name) {
                diagnostics.append(Diagnostic(
                    .duplicatePlugin, "a plugin or built-in action is already named `\(manifest.name)`",
                    at: SourceLocation(file: file, line: 1, column: 1)))
                continue
            }
            plugins.append(manifest)
        }
        return (plugins, diagnostics)
    }

    /// Reads one manifest; `nil` when it has errors.
    public static func load(file: String) -> (PluginManifest?, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: file) else {
            return (nil, [Diagnostic(.unreadableFile, "cannot read \(file)", at: nil)])
        }
        let root: YAMLNode
        do {
            root = try YAMLReader.read([UInt8](data), file: file)
        } catch {
            return (nil, error.diagnostics)
        }
        let folder = (file as NSString).deletingLastPathComponent
        var reader = ManifestReader(file: file, folder: folder)
        let manifest = reader.manifest(root)
        return (reader.diagnostics.hasErrors ? nil : manifest, reader.diagnostics)
    }
}
