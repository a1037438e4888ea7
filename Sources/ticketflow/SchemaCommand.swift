import ArgumentParser
import Core
import Plugins
import Workflows

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema of the workflow format, for editors.",
        discussion: """
            Save it and point yaml-language-server at it, e.g. with a first line \
            `# yaml-language-server: $schema=../ticketflow.schema.json` in each workflow file.
            """
    )

    @OptionGroup var pluginOptions: PluginOptions

    func run() throws {
        // Plugin actions are part of the format too; a broken manifest leaves them out.
        let plugins = PluginManifestLoader.loadAll(folder: pluginOptions.plugins, reserved: Composition.actions.catalog.names).plugins
        let output = Output()
        output.write(JSONWriter.pretty(WorkflowJSONSchema.make(catalog: Composition.catalog(plugins: plugins))))
        output.flush()
    }
}
