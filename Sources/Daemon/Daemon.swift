import Core
import Engine
import EventLog
import Foundation
import Hummingbird
import Logging
import Metrics
import Plugins
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `ticketflow serve`, put together: the HTTP API, the group-commit writer
/// and the engine, run as services of one service group. On SIGTERM the
/// server stops taking requests and finishes those in flight, the writer
/// stores everything it acknowledged, and the engine processes it, in that
/// order (a service group stops its services in reverse order of start).
public struct Daemon: Sendable {
    public let config: ServerConfig
    let store: any EventStore
    let engine: Engine
    let load: EngineService.Loader
    let fingerprint: @Sendable () -> String
    let initialFingerprint: String
    let plugins: [PluginManifest]
    /// Who holds this daemon's shard leases: unique per process.
    public let owner: String
    let registry: PrometheusCollectorRegistry
    let metrics: DaemonMetrics
    let queue: IngestQueue
    let doorbell = Doorbell()
    let appended = AppendedRecords()
    let status = DaemonStatus()
    let reloadRequests = ReloadRequests()
    let now: @Sendable () -> Timestamp
    let logger: Logger

    /// - Parameters:
    ///   - load: builds an engine from the files as they are now (for reloads).
    ///   - fingerprint: a cheap summary of those files; when it changes, they are reloaded.
    ///   - initialFingerprint: the summary taken before `engine` was loaded.
    ///   - plugins: the plugins whose calls the daemon sends (read at start-up only).
    public init(
        config: ServerConfig, store: any EventStore, engine: Engine,
        load: @escaping @Sendable () -> Result<Engine, DiagnosticsError>,
        fingerprint: @escaping @Sendable () -> String, initialFingerprint: String = "", plugins: [PluginManifest] = [],
        now: @escaping @Sendable () -> Timestamp, logger: Logger
    ) {
        self.config = config
        self.store = store
        self.engine = engine
        self.load = load
        self.fingerprint = fingerprint
        self.initialFingerprint = initialFingerprint
        self.plugins = plugins
        owner = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"
        self.now = now
        self.logger = logger
        registry = PrometheusCollectorRegistry()
        metrics = DaemonMetrics(factory: PrometheusMetricsFactory(registry: registry))
        queue = IngestQueue(capacity: config.maxQueuedEvents, maxBatch: config.maxBatchEvents)
    }

    /// Asks the engine to reload the workflows (what SIGHUP does).
    public func requestReload() async {
        await reloadRequests.request()
        await doorbell.ring()
    }

    /// Everything the daemon runs, as one service group; `onListening` gets
    /// the port actually bound (useful with port 0). With `signals` (SIGTERM,
    /// SIGINT) the group stops gracefully when one arrives.
    public func serviceGroup(
        gracefulShutdownSignals signals: [UnixSignal] = [], onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        let engineService: any Service
        if let shards = config.shards, let shared = store as? any ShardedEventStore {
            engineService = ShardedEngineService(
                store: shared, shardCount: shards, owner: owner, leaseDuration: config.leaseDuration, initialEngine: engine,
                load: load, fingerprint: fingerprint, initialFingerprint: initialFingerprint, doorbell: doorbell,
                reloadRequests: reloadRequests, status: status, metrics: metrics, watchInterval: config.watchInterval,
                batchSize: 500, now: now, logger: logger)
        } else {
            engineService = EngineService(
                store: store, initialEngine: engine, load: load, fingerprint: fingerprint,
                initialFingerprint: initialFingerprint, doorbell: doorbell, appended: appended,
                reloadRequests: reloadRequests, status: status, metrics: metrics, watchInterval: config.watchInterval,
                batchSize: 500, now: now, logger: logger)
        }
        let writer = IngestWriter(queue: queue, store: store, doorbell: doorbell, appended: appended, metrics: metrics, now: now, logger: logger)
        // Stopped in reverse order: readiness turns 503 first, then the server
        // closes (finishing requests in flight), then the writer stores what
        // was acknowledged, then the engine processes it, then the plugin
        // dispatcher stops its plugins.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if !plugins.isEmpty {
            let dispatcher = PluginDispatcher(store: store, plugins: plugins, now: now)
            var gate: PluginService.Gate?
            if config.shards != nil, let shared = store as? any ShardedEventStore {
                gate = PluginService.Gate(store: shared, owner: owner, duration: config.leaseDuration)
            }
            services.append(.init(service: PluginService(dispatcher: dispatcher, gate: gate, logger: logger)))
        }
        return ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services + [
                .init(service: engineService), .init(service: writer), .init(service: SignalReloader(daemon: self)),
                .init(service: application(onListening: onListening)), .init(service: ReadinessOnShutdown(status: status)),
            ],
            gracefulShutdownSignals: signals, logger: logger))
    }

    /// The HTTP side: routes and the server.
    private func application(onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let authenticator = RequestAuthenticator(
            credentials: config.credentials, allowUnauthenticated: config.allowUnauthenticated,
            replayWindow: config.replayWindow, now: now)
        let ingest = IngestEndpoints(queue: queue, authenticator: authenticator, metrics: metrics, maxBodyBytes: config.maxBodyBytes)
        let reads = ReadEndpoints(store: store, authenticator: authenticator)
        let router = Router()
        router.post("/v1/events") { request, _ in await ingest.events(request) }
        router.post("/v1/webhooks/github") { request, _ in await ingest.gitHub(request) }
        router.post("/v1/webhooks/zendesk") { request, _ in await ingest.zendesk(request) }
        router.get("/v1/tickets/:id") { request, context in
            await reads.ticket(request, id: context.parameters.get("id") ?? "")
        }
        router.get("/v1/events/:id/explain") { request, context in
            await reads.explain(request, eventID: context.parameters.get("id") ?? "")
        }
        router.get("/healthz") { _, _ in JSONResponse.make(.ok, .object(Value.Object([("status", .string("ok"))]))) }
        let status = status
        router.get("/readyz") { _, _ in
            if let reason = await status.notReadyReason {
                return JSONResponse.error(.serviceUnavailable, "not_ready", reason)
            }
            return JSONResponse.make(.ok, .object(Value.Object([("status", .string("ready"))])))
        }
        let registry = registry
        let queue = queue
        let metrics = metrics
        router.get("/metrics") { _, _ in
            metrics.queueDepth.record(await queue.depth)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(config.host, port: config.port), serverName: "ticketflow"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
