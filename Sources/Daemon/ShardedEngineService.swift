import Core
import Engine
import EventLog
import Foundation
import Logging
import ServiceLifecycle

/// The engine of one daemon among several sharing a log (PostgreSQL): the
/// log's tickets are split into shards, and this daemon processes the
/// shards whose leases it holds, each with its own `LogConsumer` on a
/// `ShardLogView`. Every ticket is in exactly one shard, so each ticket's
/// events are processed in order by one daemon at a time; a commit carries
/// the lease's fencing token, so a daemon whose lease lapsed (killed,
/// paused, cut off) cannot commit over the daemon that took its shards.
///
/// Leases are renewed every third of their duration. Each daemon also
/// holds a membership lease (one of `memberSlots` under the consumer
/// `engine.members`), so the daemons know how many of them are alive even
/// when some hold no shard yet. Each takes at most its fair share (shards
/// divided by the live members, rounded up) and gives back what is beyond
/// it, so a new daemon gets work within a renewal period, and a dead one's
/// shards are taken over once its leases expire.
struct ShardedEngineService: Service {
    let store: any ShardedEventStore
    let shardCount: Int
    let owner: String
    let leaseDuration: TimeSpan
    let initialEngine: Engine
    let load: EngineService.Loader
    let fingerprint: @Sendable () -> String
    let initialFingerprint: String
    let doorbell: Doorbell
    let reloadRequests: ReloadRequests
    let status: DaemonStatus
    let metrics: DaemonMetrics
    let watchInterval: TimeSpan
    let batchSize: Int
    let now: @Sendable () -> Timestamp
    let logger: Logger
    var pollInterval: Duration = .milliseconds(500)
    static let consumer = "engine"
    static let membersConsumer = "engine.members"
    static let memberSlots = 64

    private struct Held {
        var lease: ShardLease
        var consumer: LogConsumer
    }

    func run() async throws {
        var engine = initialEngine
        var held: [Int: Held] = [:]
        var membership: ShardLease?
        var statistics = LogConsumer.Statistics()
        var reloader = WorkflowReloader(
            load: load, fingerprint: fingerprint, initialFingerprint: initialFingerprint,
            watchInterval: watchInterval, metrics: metrics, logger: logger,
            loaded: { [doorbell] in Task { await doorbell.ring() } })
        var lastLeaseRound = ContinuousClock.now - .seconds(3600)
        let renewEvery = Duration.milliseconds(leaseDuration.milliseconds / 3)
        let stop = StopRequest()

        // The shards of this daemon take turns: each sees what the others committed.
        let board = SharedStateBoard()
        func consumer(for lease: ShardLease) -> LogConsumer {
            var consumer = LogConsumer(
                name: Self.consumer, engine: engine, store: ShardLogView(store: store, lease: lease), now: now, batchSize: batchSize)
            consumer.board = board
            return consumer
        }

        try await withGracefulShutdownHandler {
            while true {
                let stopping = await stop.isSet
                // Reload as the single-daemon engine does; each shard's consumer is rebuilt.
                let requested = await reloadRequests.take()
                if !stopping, let loaded = reloader.newEngine(requested: requested) {
                    engine = loaded
                    for (index, entry) in held { held[index]?.consumer = consumer(for: entry.lease) }
                }

                // Every round: renewals are due every third of the lease, and a
                // dead daemon's shards should be taken as soon as they expire.
                if !stopping, ContinuousClock.now - lastLeaseRound >= min(renewEvery, pollInterval) {
                    lastLeaseRound = ContinuousClock.now
                    do {
                        try await balanceLeases(&held, membership: &membership, consumer: consumer)
                    } catch {
                        logger.error("could not renew or take shard leases", metadata: ["error": "\(error)"])
                    }
                }

                // Each shard on its own: one shard's error must not hold up the others.
                var failed = false
                let before = statistics
                for index in held.keys.sorted() {
                    guard var entry = held[index] else { continue }
                    do {
                        try await entry.consumer.drain(into: &statistics)
                        try await entry.consumer.fireTimers(until: now(), into: &statistics)
                        held[index] = entry
                    } catch let lost as LeaseLost {
                        logger.warning("lost a shard lease; another daemon has it", metadata: ["shard": "\(lost.shard)"])
                        held[index] = nil
                    } catch {
                        // What the consumer cached may be older than what it committed: start it afresh.
                        failed = true
                        held[index]?.consumer = consumer(for: entry.lease)
                        logger.error("the engine could not process a shard; retrying", metadata: ["shard": "\(entry.lease.shard)", "error": "\(error)"])
                        await status.markEngineProblem("the engine cannot process shard \(entry.lease.shard): \(error)")
                    }
                }
                metrics.record(statistics, since: before)
                for warning in statistics.warnings { logger.warning("\(warning)") }
                statistics.warnings.removeAll()
                if !failed { await status.markCaughtUp() }
                if stopping || Task.isCancelled {
                    for entry in held.values { try? await store.releaseLease(entry.lease) }
                    if let membership { try? await store.releaseLease(membership) }
                    return
                }
                await doorbell.wait(atMost: pollInterval)
            }
        } onGracefulShutdown: {
            Task {
                await stop.set()
                await doorbell.ring()
            }
        }
    }

    /// Renews what is held, gives back what is beyond the fair share, and
    /// takes free or expired shards up to it.
    private func balanceLeases(
        _ held: inout [Int: Held], membership: inout ShardLease?, consumer: (ShardLease) -> LogConsumer
    ) async throws {
        if let current = membership {
            membership = try? await store.renewLease(current, duration: leaseDuration)
        }
        if membership == nil {
            for slot in 0..<Self.memberSlots {
                if let lease = try await store.acquireLease(
                    consumer: Self.membersConsumer, shard: ShardID(slot, of: Self.memberSlots), owner: owner, duration: leaseDuration)
                {
                    membership = lease
                    break
                }
            }
        }
        for (index, entry) in held {
            do {
                let renewed = try await store.renewLease(entry.lease, duration: leaseDuration)
                held[index]?.lease = renewed
            } catch is LeaseLost {
                logger.warning("a shard lease lapsed before renewal", metadata: ["shard": "\(entry.lease.shard)"])
                held[index] = nil
            }
        }
        let current = now()
        let members = try await store.leases(consumer: Self.membersConsumer)
        let liveOwners = Set(members.filter { $0.expiresAt > current }.map(\.owner)).union([owner])
        let fairShare = (shardCount + liveOwners.count - 1) / liveOwners.count
        while held.count > fairShare, let index = held.keys.max() {
            if let entry = held.removeValue(forKey: index) { try? await store.releaseLease(entry.lease) }
        }
        // The store decides whether a shard is free or expired, on its own
        // clock and atomically; a shard another daemon holds comes back nil.
        for index in 0..<shardCount where held.count < fairShare && held[index] == nil {
            if let lease = try await store.acquireLease(
                consumer: Self.consumer, shard: ShardID(index, of: shardCount), owner: owner, duration: leaseDuration)
            {
                held[index] = Held(lease: lease, consumer: consumer(lease))
                logger.info("took a shard", metadata: ["shard": "\(lease.shard)", "token": "\(lease.fencingToken)"])
            }
        }
    }
}
