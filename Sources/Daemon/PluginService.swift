import Logging
import Plugins
import ServiceLifecycle

/// Sends the plugin calls the engine records (the outbox in the log) and
/// records what came of them, inside the daemon. Started first, so it is
/// stopped last: calls recorded by the engine's final batch wait in the log
/// for the next start, since the outbox is durable.
struct PluginService: Service {
    let dispatcher: PluginDispatcher
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await dispatcher.run() }
        } catch is CancellationError {
            await dispatcher.shutdown()
        } catch {
            logger.error("the plugin dispatcher stopped", metadata: ["error": "\(error)"])
            await dispatcher.shutdown()
            throw error
        }
    }
}
