import ServiceLifecycle
import UnixSignals

/// Turns SIGHUP into a reload request, as daemons conventionally do.
struct SignalReloader: Service {
    let daemon: Daemon

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withGracefulShutdownHandler {
            for await _ in signals.cancelOnGracefulShutdown() {
                await daemon.requestReload()
            }
        } onGracefulShutdown: {}
    }
}
