import ArgumentParser
import Core
import Plugins
import Workflows

struct PluginsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show each plugin's actions and their parameters, as workflows use them.",
        discussion: "Reads plugins/*/plugin.yaml; exits 1 if a manifest has problems (they are printed)."
    )

    @OptionGroup var pluginOptions: PluginOptions

    func run() throws {
        guard let plugins = Composition.loadPlugins(pluginOptions.plugins) else { throw ExitCode.problemsFound }
        let output = Output()
        if plugins.isEmpty { output.line("no plugins in \(pluginOptions.plugins)/") }
        for manifest in plugins {
            output.line("\(manifest.name) \(manifest.version) (protocol \(manifest.protocolVersion))" + (manifest.summary.isEmpty ? "" : ": \(manifest.summary)"))
            output.line("  command: \(manifest.command.map(Self.quoted).joined(separator: " "))  (in \(manifest.folder))")
            if !manifest.environment.isEmpty { output.line("  environment: \(manifest.environment.joined(separator: ", "))") }
            output.line(
                "  tries: \(manifest.retry.attempts), backoff \(manifest.retry.backoff.shortDescription) up to \(manifest.retry.maxBackoff.shortDescription); in flight: \(manifest.maxInFlight)")
            for action in manifest.actions {
                output.line("  \(action.spec.name)" + (action.spec.summary.isEmpty ? "" : " — \(action.spec.summary)"))
                output.line("    timeout \(action.timeout.shortDescription), errors \(action.retryable ? "retried" : "not retried")")
                for parameter in action.spec.parameters {
                    var line = "    \(parameter.name): \(parameter.kind)"
                    if parameter.required { line += ", required" }
                    if let value = parameter.defaultValue { line += ", default \(JSONWriter.string(value))" }
                    if !parameter.summary.isEmpty { line += " — \(parameter.summary)" }
                    output.line(line)
                }
            }
        }
        output.flush()
    }

    static func quoted(_ word: String) -> String {
        word.contains(where: { $0 == " " || $0 == "\"" }) ? JSONWriter.string(.string(word)) : word
    }
}
