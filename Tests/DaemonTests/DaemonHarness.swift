import Actions
import Core
import Engine
import EventLog
import Foundation
import Logging
import ServiceLifecycle
import Workflows

@testable import Daemon

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A daemon started in-process on a free loopback port, talked to over real HTTP.
struct DaemonHarness {
    static let token = "test-token-\(UUID().uuidString)"
    static let hmacSecret = "hmac-secret"
    static let gitHubSecret = "github-secret"
    static let zendeskSecret = "zendesk-secret"

    static let workflow = """
        workflow: urgent-billing
        on: ticket.created
        if: ticket.priority == "urgent"
        steps:
          - tag: needs-tier2
          - escalate: { to: billing-tier2, reason: "urgent" }
        """

    static func config(_ adjust: (inout ServerConfig) -> Void = { _ in }) -> ServerConfig {
        var config = ServerConfig()
        config.host = "127.0.0.1"
        config.port = 0
        config.watchInterval = TimeSpan(milliseconds: 0)
        config.credentials.bearerTokens = [token]
        config.credentials.hmacSecrets = ["old-" + hmacSecret, hmacSecret]
        config.credentials.githubSecrets = [gitHubSecret]
        config.credentials.zendeskSecrets = [zendeskSecret]
        adjust(&config)
        return config
    }

    static func engine(_ files: [String] = [workflow]) throws -> Engine {
        let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)
        var workflows: [Workflow] = []
        for (index, text) in files.enumerated() {
            let (workflow, diagnostics) = loader.loadText(Array(text.utf8), file: "w\(index).yaml")
            guard let workflow, !diagnostics.hasErrors else { throw DiagnosticsError(diagnostics) }
            workflows.append(workflow)
        }
        return Engine(workflows: WorkflowSet(workflows), actions: BuiltinActions.registry, options: Engine.Options(explainNonMatches: true))
    }

    @Sendable static func now() -> Timestamp { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) }

    /// Runs `body` against a started daemon, then stops it gracefully.
    static func withDaemon(
        config: ServerConfig = config(), store: any EventStore = MemoryEventStore(), engine: Engine? = nil,
        load: @escaping @Sendable () -> Result<Engine, DiagnosticsError> = { .failure(DiagnosticsError([])) },
        _ body: (Client, Daemon) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let daemon = Daemon(
            config: config, store: store, engine: try engine ?? Self.engine(), load: load, fingerprint: { "" }, now: now, logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = daemon.serviceGroup { port in continuation.yield(port) }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw HarnessError.noPort }
            do {
                try await body(Client(port: port), daemon)
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    enum HarnessError: Error { case noPort, timeout(String) }

    /// Waits until `condition` holds, for at most `seconds`.
    static func eventually(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError.timeout(what)
    }

    static func event(_ id: String, ticket: String = "T-1", priority: String = "urgent", type: String = "ticket.created") -> String {
        #"{"id":"\#(id)","type":"\#(type)","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"\#(ticket)","subject":"Card declined","priority":"\#(priority)"}}"#
    }
}

/// A small HTTP client over URLSession.
struct Client: Sendable {
    let port: Int

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: Value { (try? JSONReader.read(String(decoding: body, as: UTF8.self))) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func send(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    func post(_ path: String, _ text: String, token: String? = DaemonHarness.token, headers: [String: String] = [:]) async throws -> Reply {
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        all["Content-Type"] = "application/json"
        return try await send("POST", path, body: Data(text.utf8), headers: all)
    }

    func get(_ path: String, token: String? = DaemonHarness.token) async throws -> Reply {
        try await send("GET", path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }
}
