import Foundation

/// How a manifest's command becomes a program to run and an environment.
enum PluginCommand {
    /// The `PATH` a plugin gets unless the manifest passes the engine's own.
    static let safePath = "/usr/local/bin:/usr/bin:/bin"

    /// The program to execute: a path with a slash is relative to the plugin
    /// folder; a bare name is looked up on the engine's `PATH`.
    static func resolve(_ manifest: PluginManifest) throws(PluginFailure) -> String {
        let program = manifest.command.first ?? ""
        let candidates: [String]
        if program.contains("/") {
            candidates = [program.hasPrefix("/") ? program : manifest.folder + "/" + program]
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? safePath
            candidates = path.split(separator: ":").map { "\($0)/\(program)" }
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate.hasPrefix("/") ? candidate : FileManager.default.currentDirectoryPath + "/" + candidate
        }
        throw PluginFailure(
            plugin: manifest.name, reason: .startFailed,
            message: program.contains("/") ? "\(candidates[0]) is not an executable file" : "no program `\(program)` on PATH",
            retryable: false)
    }

    /// Only the variables the manifest names, and `PATH`.
    static func environment(for manifest: PluginManifest) -> [String] {
        let host = ProcessInfo.processInfo.environment
        var items: [String] = []
        if !manifest.environment.contains("PATH") { items.append("PATH=\(safePath)") }
        for name in manifest.environment {
            if let value = host[name] { items.append("\(name)=\(value)") }
        }
        return items
    }
}
