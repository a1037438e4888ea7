import ServiceLifecycle

/// Does nothing until shutdown begins, then turns `/readyz` to 503 before
/// anything else stops, so a load balancer stops sending traffic.
struct ReadinessOnShutdown: Service {
    let status: DaemonStatus

    func run() async throws {
        try? await gracefulShutdown()
        await status.markStopping()
    }
}
