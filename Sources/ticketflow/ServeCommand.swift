import ArgumentParser
import Core
import Daemon
import Engine
import Foundation
import Logging
import UnixSignals
import Workflows

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: HTTP ingest and webhooks, the engine, timers, metrics.",
        discussion: """
            Reads the `server:` section of ticketflow.yaml (listen address, store, folders, limits, and \
            the environment variables that hold its secrets). Each event is acknowledged with 202 only \
            once it is in the log. SIGHUP, or saving a workflow file, reloads the workflows if they \
            validate; otherwise the running set stays and the problems are logged. SIGTERM or Ctrl-C \
            stops taking requests, stores and processes what was acknowledged, and exits. Logs are \
            JSON lines on standard error.
            """
    )

    @Option(name: .long, help: "Listen on HOST:PORT (overrides server.listen; port 0 picks a free one).")
    var listen: String?

    @Option(name: .long, help: "The event log (overrides server.store).")
    var store: String?

    @Option(name: .long, help: "Folder of workflows (overrides server.workflows).")
    var workflows: String?

    @Option(name: .long, help: "Log format: json (default) or text.")
    var logFormat: String = "json"

    func validate() throws {
        guard ["json", "text"].contains(logFormat) else { throw ValidationError("--log-format must be json or text") }
        if let listen, ServerConfig.parseListen(listen) == nil {
            throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080")
        }
    }

    func run() async throws {
        let (project, projectProblems) = ProjectConfig.load()
        var (config, problems) = ServerConfig.parse(project.server, environment: ProcessInfo.processInfo.environment)
        problems = projectProblems + problems
        if let listen, let (host, port) = ServerConfig.parseListen(listen) {
            config.host = host
            config.port = port
        }
        if let store { config.store = store }
        if let workflows { config.workflows = workflows }
        let folders = [config.workflows, config.guides, ProjectConfig.defaultPath]
        let initialFingerprint = FileFingerprint.of(folders)
        let (engine, engineProblems) = Composition.engine(workflows: config.workflows, plugins: config.plugins, guides: config.guides)
        for diagnostic in (problems + engineProblems).sortedByLocation() { Output.standardError.line(diagnostic.description) }
        Output.standardError.flush()
        guard !problems.hasErrors, let engine else { throw ExitCode.problemsFound }
        guard let log = await Composition.openStore(config.store) else { throw ExitCode.problemsFound }
        // Daemons sharing a PostgreSQL log split it into shards unless told otherwise.
        if config.shards == nil, config.store.hasPrefix("postgres://") || config.store.hasPrefix("postgresql://") {
            config.shards = 16
        }

        let format = logFormat
        LoggingSystem.bootstrap { label in
            format == "json"
                ? JSONLogHandler(label: label, now: Composition.now) as any LogHandler
                : StreamLogHandler.standardError(label: label)
        }
        let logger = Logger(label: "ticketflow")
        let workflowsPath = config.workflows
        let guides = config.guides
        let pluginsFolder = config.plugins
        let daemon = Daemon(
            config: config, store: log, engine: engine,
            load: {
                let (engine, diagnostics) = Composition.engine(workflows: workflowsPath, plugins: pluginsFolder, guides: guides)
                guard let engine else { return .failure(DiagnosticsError(diagnostics.filter { $0.severity == .error })) }
                return .success(engine)
            },
            fingerprint: { FileFingerprint.of(folders) }, initialFingerprint: initialFingerprint,
            plugins: Composition.installedPlugins(config.plugins),
            now: Composition.now, logger: logger)
        let host = config.host
        let storePath = Composition.storeName(config.store)
        let workflowCount = engine.workflows.workflows.count
        let services = daemon.serviceGroup(gracefulShutdownSignals: [.sigterm, .sigint]) { port in
            logger.info(
                "listening", metadata: [
                    "address": "http://\(host):\(port)", "store": "\(storePath)", "workflows": "\(workflowCount)",
                    "guides": "\(SentenceModel.note())",
                ])
        }
        try await services.run()
        logger.info("stopped")
    }
}
