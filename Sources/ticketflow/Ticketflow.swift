import ArgumentParser

@main
struct Ticketflow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticketflow",
        abstract: "Support-ticket automation: YAML workflows that react to ticket events.",
        discussion: """
            Exit codes: 0 success; 1 problems found (invalid workflows, rejected events, \
            failing tests); 64 wrong command-line usage.
            """,
        subcommands: [
            ValidateCommand.self, DryRunCommand.self, TestCommand.self, BacktestCommand.self, RunCommand.self, LogCommand.self,
            ExplainCommand.self, ServeCommand.self, RecommendationsCommand.self, SchemaCommand.self, GuidesCommand.self, GroupCommand.self,
            PluginsCommand.self, RetryCommand.self, MigrateCommand.self,
        ]
    )
}

extension ExitCode {
    /// Exit code 1: the command ran, and found problems it has already reported.
    static let problemsFound = ExitCode(1)
}
