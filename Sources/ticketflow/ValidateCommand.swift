import ArgumentParser
import Core
import Plugins
import Workflows

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow files and report every problem as file:line:col.",
        discussion: "Exits 0 when every workflow is valid (warnings allowed), 1 otherwise."
    )

    @Argument(help: "Workflow folders or files.")
    var paths: [String] = ["workflows"]

    @OptionGroup var pluginOptions: PluginOptions

    @Flag(help: "Print nothing but the problems.")
    var quiet = false

    func run() throws {
        let output = Output()
        var workflows = 0
        var files = 0
        var diagnostics: [Diagnostic] = []
        let (plugins, pluginProblems) = PluginManifestLoader.loadAll(
            folder: pluginOptions.plugins, reserved: Composition.actions.catalog.names)
        diagnostics += pluginProblems
        let loader = Composition.loader(plugins: plugins)
        let (config, configProblems) = ProjectConfig.load()
        diagnostics += configProblems
        for path in paths {
            let outcome = loader.load(path)
            workflows += outcome.workflows.count
            files += outcome.filesRead
            diagnostics += outcome.diagnostics + config.problems(with: outcome.workflows)
                + Composition.missingGuideFolders(in: outcome.workflows) + Composition.guideFileProblems(in: outcome.workflows)
        }
        for diagnostic in diagnostics { output.line(diagnostic.description) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        if !quiet {
            let summary = errors == 0
                ? counted(workflows, "workflow") + " valid in " + counted(files, "file")
                : counted(errors, "error") + " in " + counted(files, "file")
            output.line(summary + (warnings > 0 ? ", " + counted(warnings, "warning") : ""))
        }
        output.flush()
        if errors > 0 { throw ExitCode.problemsFound }
    }
}
