import ArgumentParser
import Core
import Engine
import Workflows

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the workflow test cases (*.test.yaml) that sit next to the workflows.",
        discussion: """
            Each test case gives events and the effects they must produce, in order. A failing \
            case prints expected (-) and actual (+) effects. Exits 1 if any case fails or a test \
            file is invalid.
            """
    )

    @Option(name: .long, help: "Folder (or file) of workflows.")
    var workflows: String = "workflows"

    @OptionGroup var pluginOptions: PluginOptions

    @Argument(help: "Test files or folders (default: the test files under --workflows).")
    var tests: [String] = []

    func run() throws {
        guard let (workflowSet, config, actions) = Composition.loadRunnable(workflows, plugins: pluginOptions.plugins) else { throw ExitCode.problemsFound }
        let plugins = Composition.installedPlugins(pluginOptions.plugins)
        let output = Output()
        var files: [String] = []
        for path in tests.isEmpty ? [workflows] : tests {
            switch WorkflowLoader.testFiles(at: path) {
            case .success(let found): files += found
            case .failure(let diagnostic):
                output.line(diagnostic.description)
                output.flush()
                throw ExitCode.problemsFound
            }
        }
        let runner = WorkflowTestRunner(
            workflows: workflowSet, actions: actions, options: Engine.Options(calendar: config.businessCalendar))
        let catalog = Composition.catalog(plugins: plugins)
        var passed = 0
        var failed = 0
        var invalidFiles = 0
        for file in files {
            let (cases, diagnostics) = WorkflowTestFile.load(file, catalog: catalog)
            for diagnostic in diagnostics.sortedByLocation() { output.line(diagnostic.description) }
            if diagnostics.hasErrors { invalidFiles += 1 }
            for testCase in cases {
                let result = runner.run(testCase)
                if result.passed {
                    passed += 1
                    output.line("PASS \(testCase.location): \(testCase.name)")
                } else {
                    failed += 1
                    output.line("FAIL \(testCase.location): \(testCase.name)")
                    for line in result.diff { output.line("  " + line) }
                }
            }
        }
        if files.isEmpty { output.line("no test files (*.test.yaml) found") }
        output.line("\(passed) passed, \(failed) failed" + (invalidFiles > 0 ? ", " + counted(invalidFiles, "invalid test file") : ""))
        output.flush()
        if failed > 0 || invalidFiles > 0 { throw ExitCode.problemsFound }
    }
}
