import Core
import Engine
import Logging

/// When the daemon loads its workflows again, and the loading: on request
/// (SIGHUP), or when the files' fingerprint has changed and then stayed the
/// same across two checks (so a file caught mid-save is not loaded). A set
/// with any error is refused and logged with its locations; the caller
/// keeps running the engine it has.
struct WorkflowReloader {
    let load: EngineService.Loader
    let fingerprint: @Sendable () -> String
    let watchInterval: TimeSpan
    let metrics: DaemonMetrics
    let logger: Logger
    private var known: String
    private var previous: String
    private var lastWatch = ContinuousClock.now

    /// - Parameter initialFingerprint: the files' summary taken before the running engine was loaded.
    init(
        load: @escaping EngineService.Loader, fingerprint: @escaping @Sendable () -> String, initialFingerprint: String,
        watchInterval: TimeSpan, metrics: DaemonMetrics, logger: Logger
    ) {
        self.load = load
        self.fingerprint = fingerprint
        self.watchInterval = watchInterval
        self.metrics = metrics
        self.logger = logger
        known = initialFingerprint
        previous = initialFingerprint
    }

    /// A new engine when a reload was `requested` or the files changed and
    /// the new set validates; `nil` otherwise.
    mutating func newEngine(requested: Bool) -> Engine? {
        var reload = requested
        if !reload, watchInterval.milliseconds > 0, ContinuousClock.now - lastWatch >= .milliseconds(watchInterval.milliseconds) {
            lastWatch = ContinuousClock.now
            let current = fingerprint()
            if current != known, current == previous {
                known = current
                reload = true
                logger.info("workflow files changed; reloading")
            }
            previous = current
        }
        guard reload else { return nil }
        switch load() {
        case .success(let engine):
            metrics.reloads.increment()
            logger.info("workflows reloaded", metadata: ["workflows": "\(engine.workflows.workflows.count)"])
            return engine
        case .failure(let error):
            metrics.reloadFailures.increment()
            for diagnostic in error.diagnostics where diagnostic.severity == .error {
                logger.error("reload refused; the previous workflows keep running", metadata: ["problem": "\(diagnostic)"])
            }
            return nil
        }
    }
}
