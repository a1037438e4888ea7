/// What `/readyz` reports: ready once the engine has caught up with the log
/// after start-up, not ready while stopping or while the store keeps failing.
actor DaemonStatus {
    private(set) var caughtUp = false
    private(set) var stopping = false
    private(set) var engineProblem: String?

    func markCaughtUp() {
        caughtUp = true
        engineProblem = nil
    }

    func markStopping() { stopping = true }

    func markEngineProblem(_ problem: String) { engineProblem = problem }

    /// Why the daemon should not get traffic, or `nil` when it should.
    var notReadyReason: String? {
        if stopping { return "stopping" }
        if let engineProblem { return engineProblem }
        if !caughtUp { return "catching up with the log" }
        return nil
    }
}
