import Core
import Dispatch
import Engine
import Logging
import Synchronization

/// When the daemon loads its workflows again, and the loading: on request
/// (SIGHUP), or when the files' fingerprint has changed and then stayed the
/// same across two checks (so a file caught mid-save is not loaded). A set
/// with any error is refused and logged with its locations; the caller
/// keeps running the engine it has.
///
/// The loading runs on its own thread, not in the engine's loop: building a
/// set can take long (new guide passages are encoded, tens of seconds for a
/// big help center), and meanwhile the running set keeps processing events
/// and a sharded daemon keeps renewing its leases. The loop picks the new
/// engine up at its next turn after the load ends (`loaded` wakes it).
struct WorkflowReloader {
    let load: EngineService.Loader
    let fingerprint: @Sendable () -> String
    let watchInterval: TimeSpan
    let metrics: DaemonMetrics
    let logger: Logger
    /// Called on the loading thread when a load has ended, to wake the engine's loop.
    let loaded: @Sendable () -> Void
    private var known: String
    private var previous: String
    private var lastWatch = ContinuousClock.now
    /// The load under way, if any.
    private var running: BackgroundLoad?
    /// A reload was asked for while one was under way: the files may have
    /// changed after it read them, so another follows.
    private var again = false

    /// - Parameter initialFingerprint: the files' summary taken before the running engine was loaded.
    init(
        load: @escaping EngineService.Loader, fingerprint: @escaping @Sendable () -> String, initialFingerprint: String,
        watchInterval: TimeSpan, metrics: DaemonMetrics, logger: Logger, loaded: @escaping @Sendable () -> Void
    ) {
        self.load = load
        self.fingerprint = fingerprint
        self.watchInterval = watchInterval
        self.metrics = metrics
        self.logger = logger
        self.loaded = loaded
        known = initialFingerprint
        previous = initialFingerprint
    }

    /// Starts a load when a reload was `requested` or the files changed;
    /// returns the new engine once a load has ended with a set that
    /// validates, `nil` otherwise. Never waits for a load.
    mutating func newEngine(requested: Bool) -> Engine? {
        if wantsReload(requested: requested) {
            if running == nil { start() } else { again = true }
        }
        guard let running, let result = running.result else { return nil }
        self.running = nil
        if again {
            again = false
            start()
        }
        switch result {
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

    private mutating func wantsReload(requested: Bool) -> Bool {
        if requested { return true }
        guard watchInterval.milliseconds > 0, ContinuousClock.now - lastWatch >= .milliseconds(watchInterval.milliseconds)
        else { return false }
        lastWatch = ContinuousClock.now
        let current = fingerprint()
        defer { previous = current }
        guard current != known, current == previous else { return false }
        known = current
        logger.info("workflow files changed; reloading")
        return true
    }

    private mutating func start() {
        let job = BackgroundLoad()
        running = job
        let load = load
        let loaded = loaded
        // A global queue, not a task: the load is long, blocking work that
        // must not hold one of the few threads Swift's tasks run on.
        DispatchQueue.global(qos: .utility).async {
            job.finish(load())
            loaded()
        }
    }
}

/// One load's result, written by the loading thread and read by the loop.
private final class BackgroundLoad: Sendable {
    private let outcome = Mutex<Result<Engine, DiagnosticsError>?>(nil)

    var result: Result<Engine, DiagnosticsError>? { outcome.withLock { $0 } }

    func finish(_ result: Result<Engine, DiagnosticsError>) { outcome.withLock { $0 = result } }
}
