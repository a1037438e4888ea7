import ArgumentParser
import Core
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

    func run() throws {
        let output = Output()
        output.write(JSONWriter.pretty(WorkflowJSONSchema.make(catalog: Composition.actions.catalog)))
        output.flush()
    }
}
