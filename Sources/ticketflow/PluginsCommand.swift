import ArgumentParser

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the installed plugins, or start each and check its handshake.",
        subcommands: [PluginsListCommand.self, PluginsCheckCommand.self]
    )
}
