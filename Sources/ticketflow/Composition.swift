import Actions
import Core
import Engine
import Workflows

/// The one place where the program's parts are put together.
enum Composition {
    static var actions: ActionRegistry { BuiltinActions.registry }

    static func loader() -> WorkflowLoader { WorkflowLoader(catalog: actions.catalog) }

    /// Loads and validates workflows; prints diagnostics to standard error.
    /// Returns `nil` when there were errors.
    static func loadWorkflows(_ path: String) -> WorkflowSet? {
        let outcome = loader().load(path)
        for diagnostic in outcome.diagnostics { Output.standardError.line(diagnostic.description) }
        Output.standardError.flush()
        return outcome.diagnostics.hasErrors ? nil : outcome.workflows
    }
}
