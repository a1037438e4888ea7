import Core
import EventLog
import Logging
import Plugins
import ServiceLifecycle

/// Sends the plugin calls the engine records (the outbox in the log) and
/// records what came of them, inside the daemon. Started first, so it is
/// stopped last: calls recorded by the engine's final batch wait in the log
/// for the next start, since the outbox is durable.
///
/// When several daemons share a log, only the holder of one lease
/// (`plugins.dispatch`) dispatches, so a call is not sent once per daemon.
/// The dispatcher's commits are not fenced by that lease: a daemon paused
/// past it and resuming mid-round can send a call again, with the same
/// idempotency key, which is what plugins are given it for.
struct PluginService: Service {
    struct Gate: Sendable {
        var store: any ShardedEventStore
        var owner: String
        var duration: TimeSpan
    }

    let dispatcher: PluginDispatcher
    let gate: Gate?
    let logger: Logger
    static let consumer = "plugins.dispatch"

    func run() async throws {
        do {
            if let gate {
                try await cancelWhenGracefulShutdown { try await runGated(gate) }
            } else {
                try await cancelWhenGracefulShutdown { try await dispatcher.run() }
            }
        } catch is CancellationError {
            await dispatcher.shutdown()
        } catch {
            logger.error("the plugin dispatcher stopped", metadata: ["error": "\(error)"])
            await dispatcher.shutdown()
            throw error
        }
    }

    private func runGated(_ gate: Gate) async throws {
        var lease: ShardLease?
        defer { if let lease { Task { try? await gate.store.releaseLease(lease) } } }
        while !Task.isCancelled {
            if let held = lease {
                lease = try? await gate.store.renewLease(held, duration: gate.duration)
            } else {
                lease = try await gate.store.acquireLease(
                    consumer: Self.consumer, shard: ShardID(0, of: 1), owner: gate.owner, duration: gate.duration)
            }
            if lease != nil { try await dispatcher.dispatchDue() }
            try await Task.sleep(for: .milliseconds(min(1000, gate.duration.milliseconds / 3)))
        }
        throw CancellationError()
    }
}
