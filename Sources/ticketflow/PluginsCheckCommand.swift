import ArgumentParser
import Core
import Plugins

struct PluginsCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Start each plugin, verify its handshake (protocol version and actions), and stop it.",
        discussion: "Exits 1 if a manifest has problems or a plugin fails to start or to answer the handshake."
    )

    @OptionGroup var pluginOptions: PluginOptions

    func run() async throws {
        guard let plugins = Composition.loadPlugins(pluginOptions.plugins) else { throw ExitCode.problemsFound }
        let output = Output()
        var failed = 0
        if plugins.isEmpty { output.line("no plugins in \(pluginOptions.plugins)/") }
        for manifest in plugins {
            let host = PluginHost(manifest: manifest)
            let started = ContinuousClock.now
            let result = await host.handshake()
            let elapsed = ContinuousClock.now - started
            await host.shutdown()
            switch result {
            case .success(let actions):
                output.line("ok \(manifest.name): handshake in \(elapsed.wholeMilliseconds) ms, protocol \(manifest.protocolVersion), actions \(actions.joined(separator: ", "))")
            case .failure(let failure):
                failed += 1
                output.line(Diagnostic(
                    .pluginHandshake, failure.message, at: SourceLocation(file: manifest.file, line: 1, column: 1)).description)
            }
        }
        output.line("\(plugins.count - failed) passed, \(failed) failed")
        output.flush()
        if failed > 0 { throw ExitCode.problemsFound }
    }
}
