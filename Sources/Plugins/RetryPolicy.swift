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

extension Duration {
    /// Whole milliseconds, for timestamps and messages.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// `200ms`, `2s`, `1m30s`: how manifests and messages write a duration.
    public var shortDescription: String {
        let ms = wholeMilliseconds
        if ms < 1000 || ms % 1000 != 0 { return "\(ms)ms" }
        return TimeSpan(milliseconds: ms).description
    }

    /// Parses `200ms` as well as everything `TimeSpan` reads (`30s`, `5m`, `1h30m`).
    public static func parseSpan(_ text: String) -> Duration? {
        if text.hasSuffix("ms"), let ms = Int64(text.dropLast(2)), ms > 0 { return .milliseconds(ms) }
        guard let span = TimeSpan.parse(text), span.milliseconds > 0 else { return nil }
        return .milliseconds(span.milliseconds)
    }
}
