/// Wakes a loop that otherwise sleeps: the engine waits on it for new
/// events, a reload request, or its next timer, whichever comes first.
/// A ring while nobody waits is kept, so it is never missed.
public actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation = 0

    public init() {}

    public func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns at the next ring, or after `timeout`.
    public func wait(atMost timeout: Duration) async {
        if rung {
            rung = false
            return
        }
        generation += 1
        let mine = generation
        Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(mine)
        }
        await withCheckedContinuation { waiter = $0 }
    }

    private func expire(_ generation: Int) {
        guard generation == self.generation, let waiter else { return }
        self.waiter = nil
        waiter.resume()
    }
}
