import Core

/// How failed plugin calls are retried: up to `attempts` tries in all, the
/// wait before try n+1 growing as `backoff × 2^(n-1)` up to `maxBackoff`,
/// with "equal jitter" (half the wait fixed, half random) so that many calls
/// failing together do not come back together.
public struct RetryPolicy: Sendable, Hashable {
    public var attempts: Int
    public var backoff: Duration
    public var maxBackoff: Duration

    public init(attempts: Int = 5, backoff: Duration = .seconds(2), maxBackoff: Duration = .seconds(300)) {
        self.attempts = attempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    /// The wait after the `attempt`-th failed try; `random` is in 0..<1.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let full = min(backoff * (1 << exponent), maxBackoff)
        let half = full / 2
        return half + half * random
    }
}
