/// Wakes a loop that otherwise sleeps: the engine waits on it for new
/// events, a reload request, or its next timer, whichever comes first.
/// A ring while nobody waits is kept, so it is never missed.
public actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var timeout: Task<Void, Never>?
    /// Which wait a timeout belongs to: a late timeout must not end a later wait.
    private var generation = 0

    public init() {}

    public func ring() {
        if let waiter {
            self.waiter = nil
            timeout?.cancel()
            timeout = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns at the next ring, after `duration`, or when the task is cancelled.
    public func wait(atMost duration: Duration) async {
        if rung || Task.isCancelled {
            rung = false
            return
        }
        generation += 1
        let mine = generation
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiter = continuation
                timeout = Task { [weak self] in
                    try? await Task.sleep(for: duration)
                    await self?.expire(mine)
                }
            }
        } onCancel: {
            Task { await self.expire(mine) }
        }
    }

    private func expire(_ generation: Int) {
        guard generation == self.generation, let waiter else { return }
        self.waiter = nil
        timeout = nil
        waiter.resume()
    }
}
