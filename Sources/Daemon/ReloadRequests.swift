/// Reload requests (SIGHUP, or a test) waiting for the engine to take them.
actor ReloadRequests {
    private var pending = false
    func request() { pending = true }
    /// Whether a reload was asked for since the last call.
    func take() -> Bool {
        defer { pending = false }
        return pending
    }
}
